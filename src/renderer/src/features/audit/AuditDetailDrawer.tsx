import { Code, Drawer, Group, Stack, Table, Text } from '@mantine/core'
import type { ReactNode } from 'react'
import type { AuditEntryView } from '../../../../shared/contract'
import { OutcomeBadge } from '../../components/OutcomeBadge'
import { SeverityBadge } from '../../components/SeverityBadge'
import { localTime, utcTime } from '../../lib/time'

interface Props {
  entry: AuditEntryView | null
  onClose: () => void
}

/** One audit entry in full: every field, its details as JSON and its place in the hash chain. Esc closes it. */
export function AuditDetailDrawer({ entry, onClose }: Props) {
  return (
    <Drawer
      opened={entry !== null}
      onClose={onClose}
      position="right"
      size="lg"
      title={entry ? `Audit entry #${entry.seq}` : 'Audit entry'}
      closeButtonProps={{ 'aria-label': 'Close the audit entry' }}
    >
      {entry && <EntryDetail entry={entry} />}
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

function EntryDetail({ entry }: { entry: AuditEntryView }) {
  return (
    <Stack gap="md">
      <Table fz="sm" verticalSpacing={4} withRowBorders={false}>
        <Table.Tbody>
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
          Chain hash
        </Text>
        <Code block style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap' }}>
          {entry.hash}
        </Code>
        <Text size="xs" c="dimmed" mt={4}>
          Each entry's hash covers the previous entry's hash, so a changed or removed entry breaks the chain.
        </Text>
      </div>
    </Stack>
  )
}
