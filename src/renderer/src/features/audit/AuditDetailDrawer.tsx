import { Code, Drawer, Group, Stack, Table, Text } from '@mantine/core'
import type { ReactNode } from 'react'
import type { AuditEntryView } from '../../../../shared/contract'
import { OutcomeBadge } from '../../components/OutcomeBadge'
import { SeverityBadge } from '../../components/SeverityBadge'
import { useCall } from '../../lib/use-call'
import { localTime, utcTime } from '../../lib/time'

interface Props {
  entry: AuditEntryView | null
  /** The entry before it in the chain, when it is already loaded. */
  previous?: AuditEntryView | null
  onClose: () => void
}

/** One audit entry in full: every field, its details as JSON and its place in the hash chain. Esc closes it. */
export function AuditDetailDrawer({ entry, previous = null, onClose }: Props) {
  return (
    <Drawer
      opened={entry !== null}
      onClose={onClose}
      position="right"
      size="lg"
      title={entry ? `Audit entry #${entry.seq}` : 'Audit entry'}
      closeButtonProps={{ 'aria-label': 'Close the audit entry' }}
    >
      {entry && <EntryDetail entry={entry} previous={previous} />}
    </Drawer>
  )
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Table.Tr>
      <Table.Th w={110} fw={500} c="dimmed">
        {label}
      </Table.Th>
      <Table.Td>{children}</Table.Td>
    </Table.Tr>
  )
}

const hashStyle = { wordBreak: 'break-all', whiteSpace: 'pre-wrap' } as const

function EntryDetail({ entry, previous }: { entry: AuditEntryView; previous: AuditEntryView | null }) {
  return (
    <Stack gap="md" data-testid="audit-entry-detail">
      <Table fz="sm" verticalSpacing={4} withRowBorders={false}>
        <Table.Tbody>
          <Row label="Sequence">
            <span className="qq-mono">#{entry.seq}</span>
          </Row>
          <Row label="Time">
            <Text size="sm">{localTime(entry.time)} (local)</Text>
            <Text size="xs" c="dimmed">
              {utcTime(entry.time)}
            </Text>
          </Row>
          <Row label="Type">{entry.type}</Row>
          <Row label="Actor">{entry.actor ?? 'none'}</Row>
          <Row label="Client">
            <span className="qq-mono">{entry.client}</span>
          </Row>
          <Row label="Action">
            <span className="qq-mono">{entry.action}</span>
          </Row>
          <Row label="Resource">{entry.resource ?? 'none'}</Row>
          <Row label="Outcome">
            <Group gap="xs">
              <OutcomeBadge result={entry.result} />
              <SeverityBadge level={entry.risk} />
            </Group>
          </Row>
        </Table.Tbody>
      </Table>
      <div>
        <Text size="sm" fw={500} mb={4}>
          Details
        </Text>
        <Code block>{JSON.stringify(entry.details, null, 2)}</Code>
      </div>
      <div>
        <Text size="sm" fw={500} mb={4}>
          Hash
        </Text>
        <Code block style={hashStyle} data-testid="entry-hash">
          {entry.hash}
        </Code>
        <Text size="sm" fw={500} mt="sm" mb={4}>
          Previous hash (entry #{entry.seq - 1})
        </Text>
        {entry.seq <= 1 ? (
          <Text size="xs" c="dimmed">
            The first entry: its chain starts from a fixed genesis value.
          </Text>
        ) : previous ? (
          <Code block style={hashStyle}>
            {previous.hash}
          </Code>
        ) : (
          <PreviousHash seq={entry.seq} />
        )}
        <Text size="xs" c="dimmed" mt={4}>
          Each entry&apos;s hash covers the previous entry&apos;s hash, so a changed or removed entry breaks
          the chain.
        </Text>
      </div>
    </Stack>
  )
}

/** The entry just before, fetched when the list (filtered) does not hold it. */
function PreviousHash({ seq }: { seq: number }) {
  const { state } = useCall('audit.search', { beforeSeq: seq, limit: 1 })
  if (state.status === 'loading') return <Text size="xs">Reading…</Text>
  if (state.status === 'error')
    return (
      <Text size="xs" c="red">
        {state.error.message} ({state.error.code})
      </Text>
    )
  const prev = state.value.entries[0]
  if (!prev || prev.seq !== seq - 1)
    return (
      <Text size="xs" c="red">
        Entry #{seq - 1} was not found — run <code>qqsec audit verify --json</code>.
      </Text>
    )
  return (
    <Code block style={hashStyle}>
      {prev.hash}
    </Code>
  )
}
