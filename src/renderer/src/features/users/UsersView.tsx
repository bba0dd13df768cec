import { Badge, Group, Paper, Table, Text } from '@mantine/core'
import { Lock } from 'lucide-react'
import type { UserView } from '../../../../shared/contract'
import { ErrorAlert } from '../../components/ErrorAlert'
import { LocalTime } from '../../components/LocalTime'
import { MissingPermission } from '../../components/MissingPermission'
import { TableSkeleton } from '../../components/TableSkeleton'
import { ViewHeader } from '../../components/ViewHeader'
import { useCall } from '../../lib/use-call'
import { localTime } from '../../lib/time'
import { useAppStore } from '../../store'

export function UsersView() {
  const allowed = useAppStore((s) => s.session?.permissions.includes('users:read') ?? false)
  return (
    <>
      <ViewHeader
        title="Users"
        description="Local accounts of this console, their roles and sign-in state."
      />
      {allowed ? <UsersTable /> : <MissingPermission permission="users:read" what="The list of accounts" />}
    </>
  )
}

function LockState({ user }: { user: UserView }) {
  if (!user.locked) {
    return (
      <Badge variant="light" color="teal" size="sm" radius="sm" tt="none">
        Active
      </Badge>
    )
  }
  return (
    <Group gap={6} wrap="nowrap">
      <Badge
        variant="light"
        color="red"
        size="sm"
        radius="sm"
        tt="none"
        leftSection={<Lock size={11} aria-hidden />}
      >
        Locked
      </Badge>
      {user.lockedUntil && (
        <Text size="xs" c="dimmed">
          until <LocalTime iso={user.lockedUntil} />
        </Text>
      )}
    </Group>
  )
}

function UsersTable() {
  const { state, reload } = useCall('users.list', {})
  if (state.status === 'loading') return <TableSkeleton label="Loading accounts" rows={4} />
  if (state.status === 'error')
    return <ErrorAlert error={state.error} title="The accounts could not be read" onRetry={reload} />
  const { users } = state.value
  return (
    <Paper withBorder>
      <Table.ScrollContainer minWidth={800}>
        <Table striped verticalSpacing={6} fz="sm">
          <caption className="qq-sr-only">Accounts</caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>E-mail</Table.Th>
              <Table.Th>Roles</Table.Th>
              <Table.Th>Two-factor</Table.Th>
              <Table.Th>Created</Table.Th>
              <Table.Th>Last sign-in</Table.Th>
              <Table.Th>State</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {users.map((u) => (
              <Table.Tr key={u.id}>
                <Table.Td fw={500}>{u.name}</Table.Td>
                <Table.Td>
                  {u.email ?? (
                    <Text span size="sm" c="dimmed">
                      none
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <Group gap={4}>
                    {u.roles.map((r) => (
                      <Badge key={r} variant="outline" size="sm" radius="sm" tt="none">
                        {r}
                      </Badge>
                    ))}
                    {u.elevations.map((e) => (
                      <Badge
                        key={e.role}
                        variant="outline"
                        color="orange"
                        size="sm"
                        radius="sm"
                        tt="none"
                        title={`Granted for a limited time, until ${localTime(e.expiresAt)}`}
                      >
                        {e.role} (timed)
                      </Badge>
                    ))}
                  </Group>
                </Table.Td>
                <Table.Td>
                  <Badge
                    variant="light"
                    color={u.mfaEnabled ? 'teal' : 'gray'}
                    size="sm"
                    radius="sm"
                    tt="none"
                  >
                    {u.mfaEnabled ? 'On' : 'Off'}
                  </Badge>
                </Table.Td>
                <Table.Td className="qq-mono">
                  <LocalTime iso={u.createdAt} />
                </Table.Td>
                <Table.Td className="qq-mono">
                  {u.lastLoginAt ? (
                    <LocalTime iso={u.lastLoginAt} />
                  ) : (
                    <Text span size="sm" c="dimmed" title="This account has not signed in yet">
                      never
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <LockState user={u} />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Text size="xs" c="dimmed" p="xs">
        {users.length} {users.length === 1 ? 'account' : 'accounts'} · read{' '}
        {localTime(new Date().toISOString())}
      </Text>
    </Paper>
  )
}
