import { Paper, ScrollArea, Stack, Table, Text, UnstyledButton } from '@mantine/core'
import { ErrorAlert } from '../../components/ErrorAlert'
import { LocalTime } from '../../components/LocalTime'
import { ScanHistoryChart } from '../../components/scan-history-chart'
import { SeverityBadge } from '../../components/SeverityBadge'
import { TableSkeleton } from '../../components/TableSkeleton'
import { useCall } from '../../lib/use-call'
import { riskLevel } from './ScanSummary'

/** Every recorded scan, newest first, and open findings over time by severity. */
export function HistoryTab({
  selected,
  onOpen,
}: {
  selected: string | null
  onOpen: (scanId: string) => void
}) {
  const { state, reload } = useCall('scans.list', { limit: 100 })
  if (state.status === 'loading') return <TableSkeleton label="Loading the scan history" />
  if (state.status === 'error')
    return <ErrorAlert error={state.error} title="The scan history could not be read" onRetry={reload} />
  const { scans, total } = state.value
  if (scans.length === 0)
    return (
      <Paper withBorder p="lg">
        <Text size="sm">
          No scan recorded yet. Give a folder above and press Scan; each run is kept here.
        </Text>
      </Paper>
    )
  const points = scans
    .slice()
    .reverse()
    .map((s) => ({ id: s.id, at: s.finishedAt, bySeverity: s.bySeverity }))
  return (
    <Stack gap="sm">
      <Paper withBorder p="sm">
        <ScanHistoryChart points={points} title="Open findings over time, by severity" />
      </Paper>
      <Text size="xs" c="dimmed">
        {scans.length < total ? `The newest ${scans.length} of ${total} scans` : `${total} scans`}, with the
        figures recorded when each ran (a scan opened from here is read against the current waivers)
      </Text>
      <Paper withBorder>
        <ScrollArea.Autosize mah={420} type="auto">
          <Table
            fz="sm"
            verticalSpacing={4}
            highlightOnHover
            stickyHeader
            aria-label="Recorded scans, newest first"
          >
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Finished</Table.Th>
                <Table.Th>Folder</Table.Th>
                <Table.Th>Risk</Table.Th>
                <Table.Th ta="right">Critical</Table.Th>
                <Table.Th ta="right">High</Table.Th>
                <Table.Th ta="right">Medium</Table.Th>
                <Table.Th ta="right">Low</Table.Th>
                <Table.Th ta="right">New</Table.Th>
                <Table.Th ta="right">Fixed</Table.Th>
                <Table.Th ta="right">Accepted</Table.Th>
                <Table.Th>By</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {scans.map((s) => (
                <Table.Tr
                  key={s.id}
                  bg={s.id === selected ? 'var(--mantine-primary-color-light)' : undefined}
                  aria-selected={s.id === selected}
                >
                  <Table.Td>
                    <UnstyledButton
                      fz="sm"
                      onClick={() => onOpen(s.id)}
                      aria-label={`Open the scan of ${s.finishedAt}`}
                    >
                      <LocalTime iso={s.finishedAt} />
                    </UnstyledButton>
                  </Table.Td>
                  <Table.Td>
                    <Text size="xs" className="qq-mono" truncate maw={260} title={s.root}>
                      {s.root}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" span fw={600} mr={6}>
                      {s.riskScore}
                    </Text>
                    <SeverityBadge level={riskLevel(s.riskScore)} />
                  </Table.Td>
                  <Table.Td ta="right">{s.bySeverity.critical}</Table.Td>
                  <Table.Td ta="right">{s.bySeverity.high}</Table.Td>
                  <Table.Td ta="right">{s.bySeverity.medium}</Table.Td>
                  <Table.Td ta="right">{s.bySeverity.low}</Table.Td>
                  <Table.Td ta="right">{s.new}</Table.Td>
                  <Table.Td ta="right">{s.fixed}</Table.Td>
                  <Table.Td ta="right">{s.accepted}</Table.Td>
                  <Table.Td>{s.user ?? '—'}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollArea.Autosize>
      </Paper>
    </Stack>
  )
}
