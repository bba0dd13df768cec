import { Badge, Button, Group, Paper, Stack, Table, Text } from '@mantine/core'
import { Plus } from 'lucide-react'
import { useState } from 'react'
import type { RoleView } from '../../../../shared/contract'
import { ErrorAlert } from '../../components/ErrorAlert'
import { TableSkeleton } from '../../components/TableSkeleton'
import { groupPermissions, verbOf } from '../../lib/permission-groups'
import { useCan } from '../../lib/permissions'
import { useCall } from '../../lib/use-call'
import { CreateRoleDialog } from './CreateRoleDialog'
import { plural } from '../../lib/words'

function Permissions({ role }: { role: RoleView }) {
  return (
    <Stack gap={2} component="dl" m={0}>
      {groupPermissions(role.permissions).map((g) => (
        <Group key={g.domain} gap={6} wrap="nowrap" align="baseline">
          <Text component="dt" size="xs" fw={500} w={96} style={{ flexShrink: 0 }}>
            {g.domain}
          </Text>
          <Text component="dd" size="xs" c="dimmed" m={0} className="qq-mono">
            {g.permissions.map(verbOf).join(' · ')}
          </Text>
        </Group>
      ))}
    </Stack>
  )
}

/** roles.list: the built-in roles and custom ones; "Create role" for holders of system:configure. */
export function RolesTab() {
  const { state, reload, refreshing } = useCall('roles.list', {})
  const canCreate = useCan('system:configure')
  const [creating, setCreating] = useState(false)
  if (state.status === 'loading') return <TableSkeleton label="Loading roles" rows={4} />
  if (state.status === 'error')
    return <ErrorAlert error={state.error} title="The roles could not be read" onRetry={reload} />
  const { roles } = state.value
  const custom = roles.filter((r) => !r.builtin).length

  return (
    <>
      <Group justify="space-between" mb="xs">
        <Text size="sm" c="dimmed" aria-live="polite">
          {plural(roles.length - custom, 'built-in role')} ·{' '}
          {custom === 0 ? 'no custom role yet' : plural(custom, 'custom role')}
          {refreshing ? ' · refreshing…' : ''}
        </Text>
        {canCreate ? (
          <Button size="xs" leftSection={<Plus size={14} aria-hidden />} onClick={() => setCreating(true)}>
            Create role
          </Button>
        ) : (
          <Text size="xs" c="dimmed">
            Creating roles needs system:configure.
          </Text>
        )}
      </Group>
      <Paper withBorder>
        <Table.ScrollContainer type="native" minWidth={760}>
          <Table striped verticalSpacing={8} fz="sm">
            <caption className="qq-sr-only">Roles</caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={170}>Role</Table.Th>
                <Table.Th>Description</Table.Th>
                <Table.Th w={380}>Permissions</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {roles.map((r) => (
                <Table.Tr key={r.name} data-role-row={r.name} style={{ verticalAlign: 'top' }}>
                  <Table.Td>
                    <Group gap={6} wrap="nowrap">
                      <Text size="sm" fw={600}>
                        {r.name}
                      </Text>
                      <Badge
                        variant="light"
                        color={r.builtin ? 'gray' : 'indigo'}
                        size="xs"
                        radius="sm"
                        tt="none"
                      >
                        {r.builtin ? 'built-in' : 'custom'}
                      </Badge>
                    </Group>
                    <Text size="xs" c="dimmed">
                      {plural(r.permissions.length, 'permission')}
                    </Text>
                  </Table.Td>
                  <Table.Td>{r.description}</Table.Td>
                  <Table.Td>
                    <Permissions role={r} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Paper>
      {custom === 0 && canCreate && (
        <Text size="xs" c="dimmed" mt="xs">
          No custom role yet. A custom role bundles existing permissions, e.g. a reviewer who may read users
          and the audit trail but change nothing.
        </Text>
      )}
      <CreateRoleDialog
        opened={creating}
        onClose={() => setCreating(false)}
        onCreated={() => {
          setCreating(false)
          reload()
        }}
      />
    </>
  )
}
