import { Box, Button, Group, Paper, Table, Text, UnstyledButton } from '@mantine/core'
import { RefreshCw, UserPlus } from 'lucide-react'
import { useState } from 'react'
import type { UserView } from '../../../../shared/contract'
import { ErrorAlert } from '../../components/ErrorAlert'
import { LocalTime } from '../../components/LocalTime'
import { TableSkeleton } from '../../components/TableSkeleton'
import { useCan } from '../../lib/permissions'
import { localTime } from '../../lib/time'
import { useCall } from '../../lib/use-call'
import { useAppStore } from '../../store'
import { LockStateBadge, MfaBadge, RoleBadges } from './badges'
import { CreateAccountDialog } from './CreateAccountDialog'
import { UserDetailPanel } from './UserDetailPanel'
import { plural } from '../../lib/words'

interface Props {
  selectedId: string | null
  onSelect: (id: string | null) => void
}

const focusRowOf = (id: string) =>
  window.setTimeout(
    () => document.querySelector<HTMLElement>(`[data-user-open="${CSS.escape(id)}"]`)?.focus(),
    0,
  )

/** The accounts table; choosing one opens its detail beside the table (list → detail, Esc closes). */
export function AccountsTab({ selectedId, onSelect }: Props) {
  const { state, reload, refreshing } = useCall('users.list', {})
  const roles = useCall('roles.list', {})
  const canCreate = useCan('users:create')
  const myId = useAppStore((s) => s.session?.user.id)
  const [creating, setCreating] = useState(false)
  const [readAt, setReadAt] = useState(() => new Date().toISOString())

  const refresh = () => {
    setReadAt(new Date().toISOString())
    reload()
  }

  if (state.status === 'loading') return <TableSkeleton label="Loading accounts" rows={5} />
  if (state.status === 'error')
    return <ErrorAlert error={state.error} title="The accounts could not be read" onRetry={reload} />
  const { users } = state.value
  const selected = users.find((u) => u.id === selectedId) ?? null
  const roleList = roles.state.status === 'ready' ? roles.state.value.roles : null

  const close = () => {
    if (selected) focusRowOf(selected.id)
    onSelect(null)
  }

  return (
    <>
      <Group justify="space-between" mb="xs">
        <Text size="sm" c="dimmed" aria-live="polite">
          {plural(users.length, 'account')} · read {localTime(readAt)}
          {refreshing ? ' · refreshing…' : ''}
        </Text>
        <Group gap="xs">
          <Button
            size="xs"
            variant="default"
            leftSection={<RefreshCw size={14} aria-hidden />}
            onClick={refresh}
            loading={refreshing}
          >
            Refresh
          </Button>
          {canCreate && (
            <Button
              size="xs"
              leftSection={<UserPlus size={14} aria-hidden />}
              onClick={() => setCreating(true)}
            >
              Create account
            </Button>
          )}
        </Group>
      </Group>
      <Group align="flex-start" wrap="nowrap" gap="md">
        <Paper withBorder style={{ flex: 1, minWidth: 0 }}>
          {users.length === 0 ? (
            <Text size="sm" p="lg">
              There are no accounts yet. {canCreate ? 'Create the first one with “Create account”.' : ''}
            </Text>
          ) : (
            <UsersTable
              users={users}
              compact={selected !== null}
              selectedId={selected?.id ?? null}
              onOpen={onSelect}
            />
          )}
        </Paper>
        {selected && (
          <Box w={420} style={{ flexShrink: 0 }}>
            <UserDetailPanel
              key={selected.id}
              user={selected}
              refreshKey={readAt}
              roles={roleList}
              isSelf={selected.id === myId}
              onChanged={refresh}
              onClose={close}
            />
          </Box>
        )}
      </Group>
      <CreateAccountDialog
        opened={creating}
        roles={roleList}
        onClose={() => setCreating(false)}
        onCreated={(user) => {
          setCreating(false)
          refresh()
          onSelect(user.id)
        }}
      />
    </>
  )
}

function UsersTable({
  users,
  compact,
  selectedId,
  onOpen,
}: {
  users: readonly UserView[]
  compact: boolean
  selectedId: string | null
  onOpen: (id: string) => void
}) {
  return (
    <Table.ScrollContainer type="native" minWidth={compact ? 420 : 800}>
      <Table striped highlightOnHover verticalSpacing={6} fz="sm">
        <caption className="qq-sr-only">Accounts</caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            {!compact && <Table.Th>E-mail</Table.Th>}
            <Table.Th>Roles</Table.Th>
            <Table.Th>Two-factor</Table.Th>
            {!compact && <Table.Th>Created</Table.Th>}
            {!compact && <Table.Th>Last sign-in</Table.Th>}
            <Table.Th>State</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {users.map((u) => {
            const isSelected = u.id === selectedId
            return (
              <Table.Tr
                key={u.id}
                data-clickable-row
                data-user={u.name}
                onClick={() => onOpen(u.id)}
                bg={isSelected ? 'var(--mantine-primary-color-light)' : undefined}
              >
                <Table.Td fw={500}>
                  <UnstyledButton
                    fw={500}
                    fz="sm"
                    data-focus-ring
                    data-user-open={u.id}
                    aria-current={isSelected ? 'true' : undefined}
                    aria-label={`Details of ${u.name}`}
                    onClick={(event) => {
                      event.stopPropagation()
                      onOpen(u.id)
                    }}
                  >
                    {u.name}
                  </UnstyledButton>
                </Table.Td>
                {!compact && (
                  <Table.Td>
                    {u.email ?? (
                      <Text span size="sm" c="dimmed">
                        none
                      </Text>
                    )}
                  </Table.Td>
                )}
                <Table.Td>
                  <RoleBadges user={u} />
                </Table.Td>
                <Table.Td>
                  <MfaBadge enabled={u.mfaEnabled} />
                </Table.Td>
                {!compact && (
                  <Table.Td className="qq-mono">
                    <LocalTime iso={u.createdAt} />
                  </Table.Td>
                )}
                {!compact && (
                  <Table.Td className="qq-mono">
                    {u.lastLoginAt ? (
                      <LocalTime iso={u.lastLoginAt} />
                    ) : (
                      <Text span size="xs" c="dimmed" title="This account has not signed in yet">
                        never
                      </Text>
                    )}
                  </Table.Td>
                )}
                <Table.Td>
                  <LockStateBadge user={u} withEnd={!compact} />
                </Table.Td>
              </Table.Tr>
            )
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  )
}
