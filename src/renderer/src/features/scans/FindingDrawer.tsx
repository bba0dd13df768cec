import { Badge, Button, Code, Drawer, Group, List, Stack, Table, Text, Title } from '@mantine/core'
import { ShieldCheck } from 'lucide-react'
import type { ReactNode } from 'react'
import { SeverityBadge } from '../../components/SeverityBadge'
import { FindingStatusBadge } from './FindingStatusBadge'
import { KIND_LABEL, locationOf, type Finding } from './scan-types'

interface Props {
  finding: Finding | null
  /** Accept the risk (only offered with system:configure). */
  onAccept: ((f: Finding) => void) | null
  onClose: () => void
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Table.Tr>
      <Table.Th w={150} fw={500} c="dimmed" style={{ verticalAlign: 'top' }}>
        {label}
      </Table.Th>
      <Table.Td>{children}</Table.Td>
    </Table.Tr>
  )
}

const mono = (text: string) => <span className="qq-mono">{text}</span>

/** One finding in full. Every text from an advisory is rendered as text; references are not links. Esc closes. */
export function FindingDrawer({ finding, onAccept, onClose }: Props) {
  return (
    <Drawer
      opened={finding !== null}
      onClose={onClose}
      position="right"
      size="xl"
      title={finding ? `${KIND_LABEL[finding.kind]} finding` : 'Finding'}
      closeButtonProps={{ 'aria-label': 'Close the finding' }}
    >
      {finding && <FindingDetail finding={finding} onAccept={onAccept} />}
    </Drawer>
  )
}

function FindingDetail({ finding: f, onAccept }: { finding: Finding; onAccept: Props['onAccept'] }) {
  return (
    <Stack gap="md" data-testid="finding-detail">
      <Stack gap={4}>
        <Group gap="xs">
          <SeverityBadge level={f.severity} />
          <FindingStatusBadge finding={f} />
        </Group>
        <Title order={3} size="h4">
          {f.title}
        </Title>
        <Text size="xs" c="dimmed" className="qq-mono">
          {locationOf(f)}
        </Text>
      </Stack>
      {onAccept && f.status !== 'accepted' && (
        <Group>
          <Button
            size="xs"
            variant="light"
            color="teal"
            leftSection={<ShieldCheck size={14} aria-hidden />}
            onClick={() => onAccept(f)}
          >
            Accept risk…
          </Button>
        </Group>
      )}
      <Table fz="sm" verticalSpacing={4} withRowBorders={false}>
        <Table.Tbody>
          <Row label="Rule">{mono(f.ruleId)}</Row>
          {f.kind === 'dependency' && <DependencyRows f={f} />}
          {f.kind === 'secret' && (
            <>
              <Row label="Value (redacted)">{f.redacted ? <Code>{f.redacted}</Code> : 'not shown'}</Row>
              <Row label="Entropy">
                {f.entropy !== undefined ? `${f.entropy.toFixed(2)} bits per character` : 'not measured'}
              </Row>
            </>
          )}
          {f.kind === 'config' && (
            <>
              <Row label="Problem">{f.message ?? '—'}</Row>
              <Row label="How to fix">{f.fix ?? '—'}</Row>
            </>
          )}
          {f.accepted && (
            <Row label="Accepted">
              {f.accepted.reason}
              {f.accepted.expires && (
                <Text size="xs" c="dimmed">
                  until {f.accepted.expires}
                  {f.accepted.ref ? ` · waiver ${f.accepted.ref}` : ''}
                </Text>
              )}
            </Row>
          )}
          <Row label="Fingerprint">{mono(f.fingerprint)}</Row>
        </Table.Tbody>
      </Table>
      {f.kind === 'dependency' && f.details && (
        <Stack gap={4}>
          <Text size="sm" fw={600}>
            Details
          </Text>
          {/* Advisory text as plain text (React escapes it); markdown is not rendered. */}
          <Text
            size="sm"
            component="pre"
            style={{ whiteSpace: 'pre-wrap', fontFamily: 'inherit', margin: 0 }}
            data-testid="advisory-details"
          >
            {f.details}
          </Text>
        </Stack>
      )}
      {f.references && f.references.length > 0 && (
        <Stack gap={4}>
          <Text size="sm" fw={600}>
            References
          </Text>
          <Text size="xs" c="dimmed">
            Shown as text: copy one into a browser you trust to read it.
          </Text>
          <List size="xs" spacing={2} data-testid="advisory-references">
            {f.references.map((r) => (
              <List.Item key={r}>
                <span className="qq-mono" style={{ wordBreak: 'break-all', userSelect: 'all' }}>
                  {r}
                </span>
              </List.Item>
            ))}
          </List>
        </Stack>
      )}
    </Stack>
  )
}

/** Where the severity comes from, in words: v4.0 scores are CVSS-B (base metrics only). */
const sourceLabel = (source: string): string =>
  source === 'CVSS:4.0'
    ? 'CVSS v4.0, CVSS-B'
    : source.startsWith('CVSS:')
      ? `CVSS v${source.slice(5)}`
      : source === 'database'
        ? 'advisory database label'
        : source

function DependencyRows({ f }: { f: Finding }) {
  return (
    <>
      <Row label="Advisories">
        <Group gap={4}>
          {(f.ids ?? []).map((id) => (
            <Badge key={id} variant="outline" color="gray" size="sm" radius="sm" tt="none">
              {id}
            </Badge>
          ))}
        </Group>
      </Row>
      <Row label="Score">
        {f.score !== null && f.score !== undefined ? f.score.toFixed(1) : 'none given'}
        {f.severitySource ? ` (${sourceLabel(f.severitySource)})` : ''}
        {f.vector && (
          <Text size="xs" c="dimmed" className="qq-mono" style={{ wordBreak: 'break-all' }}>
            {f.vector}
          </Text>
        )}
      </Row>
      {(f.ratings ?? []).length > 1 && (
        <Row label="All CVSS ratings">
          <Stack gap={2}>
            {(f.ratings ?? []).map((r) => (
              <div key={r.vector} data-testid="cvss-rating">
                <Text size="sm" span>
                  {`CVSS ${r.version}${r.version === '4.0' ? ' (CVSS-B)' : ''}: ${r.score.toFixed(1)} ${r.label}`}
                  {r.vector === f.vector ? ' — used for the severity' : ''}
                </Text>
                <Text size="xs" c="dimmed" className="qq-mono" style={{ wordBreak: 'break-all' }}>
                  {r.vector}
                </Text>
              </div>
            ))}
          </Stack>
        </Row>
      )}
      {f.summary && <Row label="Summary">{f.summary}</Row>}
      <Row label="Fixed in">
        {f.fixedVersions && f.fixedVersions.length > 0
          ? mono(f.fixedVersions.join(', '))
          : 'no fixed version yet'}
      </Row>
      <Row label="Dependency path">
        {f.path && f.path.length > 0 ? mono(f.path.join(' → ')) : 'direct dependency'}
      </Row>
      <Row label="Development only">{f.dev ? 'yes (devDependencies)' : 'no (shipped)'}</Row>
      {f.lockfile && <Row label="Lockfile">{mono(f.lockfile)}</Row>}
    </>
  )
}
