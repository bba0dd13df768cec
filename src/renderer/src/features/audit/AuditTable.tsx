import { Table, Text, UnstyledButton } from '@mantine/core'
import type { AuditEntryView } from '../../../../shared/contract'
import { LocalTime } from '../../components/LocalTime'
import { OutcomeBadge } from '../../components/OutcomeBadge'
import { SeverityBadge } from '../../components/SeverityBadge'

interface Props {
  entries: readonly AuditEntryView[]
  /** Opens an entry's detail; without it the table is read-only (the dashboard tile). */
  onOpen?: (seq: number) => void
  compact?: boolean
  caption: string
}

export function AuditTable({ entries, onOpen, compact = false, caption }: Props) {
  return (
    <Table.ScrollContainer minWidth={compact ? 520 : 900}>
      <Table striped highlightOnHover={Boolean(onOpen)} verticalSpacing={4} fz="sm" stickyHeader={!compact}>
        <caption className="qq-sr-only">{caption}</caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={160}>Time</Table.Th>
            {!compact && <Table.Th>Type</Table.Th>}
            <Table.Th>Actor</Table.Th>
            {!compact && <Table.Th>Client</Table.Th>}
            <Table.Th>Action</Table.Th>
            <Table.Th w={90}>Result</Table.Th>
            <Table.Th w={100}>Risk</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {entries.map((e) => (
            <Table.Tr
              key={e.seq}
              data-seq={e.seq}
              {...(onOpen ? { 'data-clickable-row': true, onClick: () => onOpen(e.seq) } : {})}
            >
              <Table.Td className="qq-mono">
                <LocalTime iso={e.time} />
              </Table.Td>
              {!compact && <Table.Td>{e.type}</Table.Td>}
              <Table.Td>
                {e.actor ?? (
                  <Text span c="dimmed" size="sm">
                    none
                  </Text>
                )}
              </Table.Td>
              {!compact && <Table.Td className="qq-mono">{e.client}</Table.Td>}
              <Table.Td>
                {onOpen ? (
                  <UnstyledButton
                    className="qq-mono"
                    data-focus-ring
                    onClick={(event) => {
                      event.stopPropagation()
                      onOpen(e.seq)
                    }}
                    aria-label={`Details of audit entry ${e.seq}: ${e.action}`}
                  >
                    {e.action}
                  </UnstyledButton>
                ) : (
                  <span className="qq-mono">{e.action}</span>
                )}
              </Table.Td>
              <Table.Td>
                <OutcomeBadge result={e.result} />
              </Table.Td>
              <Table.Td>
                <SeverityBadge level={e.risk} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  )
}
