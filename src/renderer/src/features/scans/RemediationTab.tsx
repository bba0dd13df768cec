import { Badge, Paper, Table, Text } from '@mantine/core'
import { ErrorAlert } from '../../components/ErrorAlert'
import { SeverityBadge } from '../../components/SeverityBadge'
import { TableSkeleton } from '../../components/TableSkeleton'
import { useCall } from '../../lib/use-call'

const KIND: Record<string, string> = {
  upgrade: 'Upgrade',
  replace: 'Replace',
  'rotate-secret': 'Rotate secret',
  'remove-secret': 'Remove secret',
  'change-setting': 'Change setting',
}
const EFFORT_COLOR = { low: 'teal', medium: 'yellow', high: 'orange' } as const

/** The prioritized plan: what to do first, how much work it is, what it resolves and what it waits for. */
export function RemediationTab({ scanId }: { scanId: string }) {
  const { state, reload } = useCall('scans.remediation', { scanId })
  if (state.status === 'loading') return <TableSkeleton label="Loading the remediation plan" />
  if (state.status === 'error')
    return <ErrorAlert error={state.error} title="The remediation plan could not be read" onRetry={reload} />
  const actions = state.value.actions
  if (actions.length === 0)
    return (
      <Paper withBorder p="lg">
        <Text size="sm">Nothing to do: this scan has no open finding that needs an action.</Text>
      </Paper>
    )
  const number = new Map(actions.map((a, i) => [a.id, i + 1]))
  return (
    <Paper withBorder>
      <Table
        fz="sm"
        verticalSpacing={6}
        aria-label="Remediation plan, most important first"
        data-testid="remediation"
      >
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={40}>#</Table.Th>
            <Table.Th w={100}>Severity</Table.Th>
            <Table.Th>Action</Table.Th>
            <Table.Th w={80}>Effort</Table.Th>
            <Table.Th w={110}>Resolves</Table.Th>
            <Table.Th w={110}>After</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {actions.map((a, i) => (
            <Table.Tr key={a.id}>
              <Table.Td>{i + 1}</Table.Td>
              <Table.Td>
                <SeverityBadge level={a.severity} />
              </Table.Td>
              <Table.Td>
                <Text size="sm" fw={500}>
                  <Badge size="xs" variant="outline" color="gray" radius="sm" tt="none" mr={6}>
                    {KIND[a.kind] ?? a.kind}
                  </Badge>
                  {a.title}
                </Text>
                <Text size="xs" c="dimmed">
                  {a.detail}
                </Text>
              </Table.Td>
              <Table.Td>
                <Badge size="sm" variant="light" color={EFFORT_COLOR[a.effort]} radius="sm" tt="none">
                  {a.effort}
                </Badge>
              </Table.Td>
              <Table.Td>
                <Text size="xs" title={a.resolves.join('\n')}>
                  {a.resolves.length} finding{a.resolves.length === 1 ? '' : 's'}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="xs">
                  {a.dependsOn.length === 0
                    ? 'nothing'
                    : a.dependsOn.map((d) => (number.has(d) ? `#${number.get(d)}` : d)).join(', ')}
                </Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Paper>
  )
}
