import {
  Anchor,
  Badge,
  Button,
  Group,
  List,
  Menu,
  NativeSelect,
  Paper,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core'
import { ChevronDown, Download, FileCheck2 } from 'lucide-react'
import { useState } from 'react'
import type { CallError } from '../../../../shared/result'
import { ErrorAlert } from '../../components/ErrorAlert'
import { LocalTime } from '../../components/LocalTime'
import { MissingPermission } from '../../components/MissingPermission'
import { SeverityBadge } from '../../components/SeverityBadge'
import { TableSkeleton } from '../../components/TableSkeleton'
import { ViewHeader } from '../../components/ViewHeader'
import { downloadText, fileStamp } from '../../lib/download'
import { hrefFor } from '../../lib/hash-router'
import { fromDateTimeLocal, toDateTimeLocal } from '../../lib/time'
import { useAppStore } from '../../store'
import { callApi } from '../../store/call'
import { auditPath } from '../audit/audit-filters'
import { EvidenceBundleDialog, STANDARDS, type Standard } from '../audit/EvidenceBundleDialog'
import { complianceHtml, STANDARD_LABEL, type ComplianceReport } from './compliance-html'
import './compliance-print.css'

const DAY = 86_400_000

export function ComplianceView() {
  const allowed = useAppStore((s) => s.session?.permissions.includes('system:monitor') ?? false)
  return (
    <>
      <ViewHeader
        title="Compliance"
        description="Check the audit trail of a period against GDPR, SOX, HIPAA and the console's own controls."
      />
      {allowed ? (
        <ComplianceReports />
      ) : (
        <MissingPermission permission="system:monitor" what="Compliance reports" />
      )}
    </>
  )
}

type Run =
  | { status: 'idle' }
  | { status: 'loading' }
  | { status: 'error'; error: CallError }
  | { status: 'ready'; report: ComplianceReport }

function ComplianceReports() {
  const [standard, setStandard] = useState<Standard>('all')
  const [from, setFrom] = useState(() => toDateTimeLocal(Date.now() - 30 * DAY))
  const [to, setTo] = useState(() => toDateTimeLocal(Date.now() + 60_000))
  const [run, setRun] = useState<Run>({ status: 'idle' })
  const [bundleOpen, setBundleOpen] = useState(false)

  const submit = async () => {
    const f = fromDateTimeLocal(from)
    const t = fromDateTimeLocal(to)
    if (!f || !t) {
      setRun({ status: 'error', error: { code: 'INVALID_INPUT', message: 'Give a start and an end time.' } })
      return
    }
    setRun({ status: 'loading' })
    const result = await callApi('compliance.report', { standard, from: f, to: t })
    setRun(result.ok ? { status: 'ready', report: result.value } : { status: 'error', error: result.error })
  }

  const report = run.status === 'ready' ? run.report : null
  const name = report ? `qqsec-compliance-${report.standard}-${fileStamp(report.generatedAt)}` : ''

  return (
    <Stack gap="sm">
      <Paper withBorder p="sm" className="qq-no-print">
        <form
          onSubmit={(e) => {
            e.preventDefault()
            void submit()
          }}
        >
          <Group gap="sm" align="flex-end">
            <NativeSelect
              size="xs"
              w={150}
              label="Standard"
              data={STANDARDS}
              value={standard}
              onChange={(e) => setStandard(e.currentTarget.value as Standard)}
            />
            <TextInput
              size="xs"
              w={180}
              type="datetime-local"
              label="From (local time)"
              value={from}
              onChange={(e) => setFrom(e.currentTarget.value)}
            />
            <TextInput
              size="xs"
              w={180}
              type="datetime-local"
              label="To (local time)"
              value={to}
              onChange={(e) => setTo(e.currentTarget.value)}
            />
            <Button
              size="xs"
              type="submit"
              loading={run.status === 'loading'}
              leftSection={<FileCheck2 size={14} aria-hidden />}
            >
              Run report
            </Button>
            <div style={{ flex: 1 }} />
            <Menu position="bottom-end">
              <Menu.Target>
                <Button
                  size="xs"
                  variant="default"
                  leftSection={<Download size={14} aria-hidden />}
                  rightSection={<ChevronDown size={14} aria-hidden />}
                >
                  Export
                </Button>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Item
                  disabled={!report}
                  onClick={() =>
                    report &&
                    downloadText(`${name}.json`, JSON.stringify(report, null, 2), 'application/json')
                  }
                >
                  JSON
                </Menu.Item>
                <Menu.Item
                  disabled={!report}
                  onClick={() => report && downloadText(`${name}.html`, complianceHtml(report), 'text/html')}
                >
                  HTML (self-contained)
                </Menu.Item>
                <Menu.Item disabled={!report} onClick={() => window.print()}>
                  Print / Save as PDF
                </Menu.Item>
                <Menu.Divider />
                <Menu.Item onClick={() => setBundleOpen(true)}>Evidence bundle…</Menu.Item>
              </Menu.Dropdown>
            </Menu>
          </Group>
        </form>
      </Paper>
      {run.status === 'idle' && (
        <Paper withBorder p="lg" data-testid="compliance-empty">
          <Text size="sm">
            Pick a standard and a period, then <b>Run report</b>. The report checks every audit entry of the
            period against the standard&apos;s rules and lists each violation with the entries that show it.
          </Text>
        </Paper>
      )}
      {run.status === 'loading' && <TableSkeleton label="Running the compliance report" rows={10} />}
      {run.status === 'error' && (
        <ErrorAlert error={run.error} title="The report could not be made" onRetry={() => void submit()} />
      )}
      {report && <ReportPreview report={report} />}
      <EvidenceBundleDialog
        opened={bundleOpen}
        onClose={() => setBundleOpen(false)}
        initial={{
          standard,
          ...(fromDateTimeLocal(from) ? { from: fromDateTimeLocal(from) ?? '' } : {}),
          ...(fromDateTimeLocal(to) ? { to: fromDateTimeLocal(to) ?? '' } : {}),
        }}
      />
    </Stack>
  )
}

function Tile({ label, value, tone }: { label: string; value: string; tone?: string }) {
  return (
    <Paper withBorder p="sm">
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="xl" fw={700} c={tone} style={{ fontVariantNumeric: 'tabular-nums' }}>
        {value}
      </Text>
    </Paper>
  )
}

/** `audit#42` → a link to the audit view opened at entry 42; other refs as text. */
function EvidenceRef({ refText }: { refText: string }) {
  const m = /^audit#(\d+)$/.exec(refText)
  if (!m?.[1]) return <span className="qq-mono">{refText}</span>
  return (
    <Anchor href={hrefFor(auditPath({ seq: Number(m[1]) }))} className="qq-mono" size="xs">
      {refText}
    </Anchor>
  )
}

function ReportPreview({ report }: { report: ComplianceReport }) {
  const failing = report.rules.filter((r) => r.violations > 0)
  const scoreTone = report.score >= 90 ? 'teal' : report.score >= 70 ? 'yellow' : 'red'
  return (
    <Stack gap="sm" className="qq-print-area" data-testid="compliance-report">
      <Group justify="space-between" align="baseline">
        <Title order={3} size="h4">
          {STANDARD_LABEL[report.standard]} report
        </Title>
        <Text size="xs" c="dimmed">
          <LocalTime iso={report.from} /> to <LocalTime iso={report.to} /> · generated{' '}
          <LocalTime iso={report.generatedAt} />
        </Text>
      </Group>
      <SimpleGrid cols={{ base: 2, md: 5 }} spacing="sm">
        <Tile label="Score" value={`${report.score}%`} tone={scoreTone} />
        <Tile label="Audit entries checked" value={report.totals.entries.toLocaleString()} />
        <Tile label="Rules" value={String(report.rules.length)} />
        <Tile
          label="Rules with violations"
          value={String(failing.length)}
          tone={failing.length ? 'red' : 'teal'}
        />
        <Tile label="Violations" value={String(failing.reduce((s, r) => s + r.violations, 0))} />
      </SimpleGrid>
      {report.totals.byDataType.length > 0 && (
        <Group gap={6}>
          <Text size="xs" c="dimmed">
            Data types in the period:
          </Text>
          {report.totals.byDataType.map((d) => (
            <Badge key={d.dataType} variant="outline" size="sm" radius="sm" tt="none">
              {d.dataType} {d.count}
            </Badge>
          ))}
        </Group>
      )}
      <Paper withBorder>
        <Table fz="xs" verticalSpacing={4} striped aria-label="Compliance rules">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Rule</Table.Th>
              <Table.Th>Title</Table.Th>
              <Table.Th w={100}>Severity</Table.Th>
              <Table.Th w={80} ta="right">
                Checked
              </Table.Th>
              <Table.Th w={90} ta="right">
                Violations
              </Table.Th>
              <Table.Th>Controls</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {report.rules.map((r) => (
              <Table.Tr key={r.id} data-rule={r.id}>
                <Table.Td className="qq-mono" style={{ whiteSpace: 'nowrap' }}>
                  {r.id}
                </Table.Td>
                <Table.Td title={r.requirement}>{r.title}</Table.Td>
                <Table.Td>
                  <SeverityBadge level={r.severity} />
                </Table.Td>
                <Table.Td ta="right">{r.checked.toLocaleString()}</Table.Td>
                <Table.Td
                  ta="right"
                  c={r.violations > 0 ? 'red' : undefined}
                  fw={r.violations > 0 ? 700 : undefined}
                >
                  {r.violations}
                </Table.Td>
                <Table.Td c="dimmed">{r.controls.join(' · ')}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Paper>
      <Paper withBorder p="sm">
        <Title order={4} size="h6" mb={6}>
          Violations and evidence
        </Title>
        {failing.length === 0 ? (
          <Text size="sm">No violations in this period.</Text>
        ) : (
          <Stack gap="sm">
            {failing.map((r) => (
              <div key={r.id}>
                <Group gap={6}>
                  <SeverityBadge level={r.severity} />
                  <Text size="sm" fw={600}>
                    <span className="qq-mono">{r.id}</span> {r.title} — {r.violations} violation(s)
                  </Text>
                </Group>
                <List size="xs" spacing={2} mt={4} ml="md">
                  {r.evidence.map((e, i) => (
                    <List.Item key={`${e.ref}-${i}`}>
                      <EvidenceRef refText={e.ref} /> {e.time && <LocalTime iso={e.time} />} — {e.summary}
                    </List.Item>
                  ))}
                </List>
                {r.recommendation && (
                  <Text size="xs" mt={4}>
                    <b>Do:</b> {r.recommendation}
                  </Text>
                )}
              </div>
            ))}
          </Stack>
        )}
      </Paper>
      <Paper withBorder p="sm">
        <Title order={4} size="h6" mb={6}>
          Recommendations
        </Title>
        {report.recommendations.length === 0 ? (
          <Text size="sm">None: keep the current controls.</Text>
        ) : (
          <List size="sm" spacing={2}>
            {report.recommendations.map((r) => (
              <List.Item key={r}>{r}</List.Item>
            ))}
          </List>
        )}
      </Paper>
    </Stack>
  )
}
