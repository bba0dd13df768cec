import {
  ActionIcon,
  Alert,
  Anchor,
  Badge,
  Button,
  Code,
  Divider,
  Group,
  Paper,
  Skeleton,
  Stack,
  Table,
  Text,
  Title,
  Tooltip,
} from '@mantine/core'
import { KeyRound, Lock, LockOpen, LogOut, ShieldMinus, ShieldPlus, ShieldX, Trash2, X } from 'lucide-react'
import { useEffect, useRef, useState, type ReactNode } from 'react'
import type { RoleView, SessionInfoView, UserView } from '../../../../shared/contract'
import { ErrorAlert } from '../../components/ErrorAlert'
import { LocalTime, LockEnd } from '../../components/LocalTime'
import { hrefFor } from '../../lib/hash-router'
import { useCan } from '../../lib/permissions'
import { useCall } from '../../lib/use-call'
import { LockStateBadge, MfaBadge } from './badges'
import {
  DeleteDialog,
  GrantRoleDialog,
  LockDialog,
  ResetMfaDialog,
  ResetPasswordDialog,
  RevokeRoleDialog,
  RevokeSessionsDialog,
  UnlockDialog,
} from './user-dialogs'

type Dialog =
  | { kind: 'lock' | 'unlock' | 'grant' | 'reset-password' | 'reset-mfa' | 'delete' }
  | { kind: 'revoke-role'; role: string }
  | { kind: 'revoke-sessions'; session: SessionInfoView | null }

interface Props {
  user: UserView
  /** Changes when the accounts table is refreshed, so the sessions are read again with it. */
  refreshKey: string
  roles: readonly RoleView[] | null
  isSelf: boolean
  onChanged: () => void
  onClose: () => void
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Table.Tr>
      <Table.Th w={110} fw={500} c="dimmed" fz="xs">
        {label}
      </Table.Th>
      <Table.Td fz="sm">{children}</Table.Td>
    </Table.Tr>
  )
}

function Section({ title, action, children }: { title: string; action?: ReactNode; children: ReactNode }) {
  return (
    <section aria-label={title}>
      <Group justify="space-between" mb={6} gap="xs">
        <Title order={4} size="h6">
          {title}
        </Title>
        {action}
      </Group>
      {children}
    </section>
  )
}

/**
 * One account beside the table: state, roles with their ends, sessions, and the actions the signed-in
 * account may take. Each action opens a dialog that says exactly what will happen. Esc closes the panel
 * (not while a dialog is open: Esc closes the dialog first).
 */
export function UserDetailPanel({ user, refreshKey, roles, isSelf, onChanged, onClose }: Props) {
  const canUpdate = useCan('users:update')
  const canDelete = useCan('users:delete')
  const sessions = useCall('users.listSessions', { userId: user.id })
  // The last dialog stays set while it closes, so its words do not change during the closing animation.
  const [dialog, setDialog] = useState<Dialog | null>(null)
  const [dialogOpen, setDialogOpen] = useState(false)
  const show = (d: Dialog) => {
    setDialog(d)
    setDialogOpen(true)
  }
  const heading = useRef<HTMLHeadingElement>(null)
  const reloadSessions = sessions.reload
  const firstRefreshKey = useRef(refreshKey)

  useEffect(() => {
    if (refreshKey !== firstRefreshKey.current) reloadSessions()
  }, [refreshKey, reloadSessions])

  useEffect(() => {
    heading.current?.focus()
  }, [])

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape' || event.defaultPrevented) return
      // An open dialog (still in the page while it closes) or dropdown takes this Esc itself.
      if (document.querySelector('[role="dialog"], [role="listbox"]')) return
      onClose()
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [onClose])

  const sessionList = sessions.state.status === 'ready' ? sessions.state.value.sessions : null
  const sessionCount = sessionList?.length ?? null
  // The table's refresh reads this account's sessions again too (refreshKey).
  const changed = () => {
    setDialogOpen(false)
    onChanged()
  }
  const closeDialog = () => setDialogOpen(false)
  const timed = new Map(user.elevations.map((e) => [e.role, e.expiresAt]))

  return (
    <Paper withBorder p="md" component="aside" aria-label={`Account ${user.name}`} data-testid="user-detail">
      <Stack gap="md">
        <Group justify="space-between" align="flex-start" wrap="nowrap">
          <div>
            <Title order={3} size="h4" ref={heading} tabIndex={-1} style={{ outline: 'none' }}>
              {user.name}
              {isSelf && (
                <Badge ml={8} variant="light" size="sm" radius="sm" tt="none">
                  you
                </Badge>
              )}
            </Title>
            <Text size="xs" c="dimmed">
              {user.email ?? 'No e-mail on file'}
            </Text>
          </div>
          <Tooltip label="Close (Esc)">
            <ActionIcon
              variant="subtle"
              color="gray"
              aria-label="Close the account details"
              onClick={onClose}
            >
              <X size={18} aria-hidden />
            </ActionIcon>
          </Tooltip>
        </Group>

        <Table verticalSpacing={3} withRowBorders={false}>
          <Table.Tbody>
            <Row label="State">
              <Stack gap={2}>
                <LockStateBadge user={user} withEnd={false} />
                {user.locked && user.lockedUntil && (
                  <Text size="xs" c="dimmed">
                    Cannot sign in <LockEnd iso={user.lockedUntil} />
                  </Text>
                )}
              </Stack>
            </Row>
            <Row label="Two-factor">
              <MfaBadge enabled={user.mfaEnabled} />
            </Row>
            <Row label="Created">
              <LocalTime iso={user.createdAt} />
            </Row>
            <Row label="Last sign-in">
              {user.lastLoginAt ? <LocalTime iso={user.lastLoginAt} /> : 'never'}
            </Row>
          </Table.Tbody>
        </Table>

        <Divider />
        <Section
          title="Roles"
          action={
            canUpdate && (
              <Button
                size="compact-xs"
                variant="light"
                leftSection={<ShieldPlus size={12} aria-hidden />}
                onClick={() => show({ kind: 'grant' })}
              >
                Grant role
              </Button>
            )
          }
        >
          {user.roles.length === 0 ? (
            <Text size="sm" c="dimmed">
              No role: this account can sign in but may do nothing.
            </Text>
          ) : (
            <Stack gap={4} data-testid="user-roles">
              {user.roles.map((role) => {
                const until = timed.get(role)
                return (
                  <Group key={role} justify="space-between" wrap="nowrap" gap="xs" data-role={role}>
                    <Group gap={8} wrap="nowrap">
                      <Badge
                        variant="outline"
                        color={until ? 'orange' : undefined}
                        size="sm"
                        radius="sm"
                        tt="none"
                      >
                        {role}
                      </Badge>
                      <Text size="xs" c="dimmed">
                        {until ? (
                          <>
                            until <LocalTime iso={until} />
                          </>
                        ) : (
                          'standing'
                        )}
                      </Text>
                    </Group>
                    {canUpdate && (
                      <Button
                        size="compact-xs"
                        variant="subtle"
                        color="red"
                        leftSection={<ShieldMinus size={12} aria-hidden />}
                        onClick={() => show({ kind: 'revoke-role', role })}
                        aria-label={`Revoke ${role} from ${user.name}`}
                      >
                        Revoke
                      </Button>
                    )}
                  </Group>
                )
              })}
            </Stack>
          )}
        </Section>

        <Divider />
        <Section
          title={sessionCount === null ? 'Sessions' : `Sessions (${sessionCount})`}
          action={
            canUpdate &&
            sessionCount !== null &&
            sessionCount > 0 && (
              <Button
                size="compact-xs"
                variant="subtle"
                color="red"
                leftSection={<LogOut size={12} aria-hidden />}
                onClick={() => show({ kind: 'revoke-sessions', session: null })}
              >
                End all
              </Button>
            )
          }
        >
          {sessions.state.status === 'loading' && (
            <Stack gap={4} aria-busy="true" aria-label="Loading sessions">
              <Skeleton height={34} />
              <Skeleton height={34} />
            </Stack>
          )}
          {sessions.state.status === 'error' && (
            <ErrorAlert
              error={sessions.state.error}
              title="The sessions could not be read"
              onRetry={sessions.reload}
            />
          )}
          {sessionList && sessionList.length === 0 && (
            <Text size="sm" c="dimmed">
              No live session: {user.name} is not signed in anywhere.
            </Text>
          )}
          {sessionList && sessionList.length > 0 && (
            <Stack gap={6}>
              {sessionList.map((s) => (
                <Group key={s.id} justify="space-between" wrap="nowrap" gap="xs" align="flex-start">
                  <div style={{ minWidth: 0 }}>
                    <Group gap={6} wrap="nowrap">
                      <Code fz="xs">{s.client}</Code>
                      {s.current && (
                        <Badge size="xs" variant="light" radius="sm" tt="none">
                          this session
                        </Badge>
                      )}
                    </Group>
                    <Text size="xs" c="dimmed">
                      signed in <LocalTime iso={s.createdAt} />
                    </Text>
                    <Text size="xs" c="dimmed">
                      last call <LocalTime iso={s.lastSeenAt} />
                    </Text>
                  </div>
                  {canUpdate && (
                    <Button
                      size="compact-xs"
                      variant="subtle"
                      color="red"
                      onClick={() => show({ kind: 'revoke-sessions', session: s })}
                      aria-label={`End ${user.name}'s session from ${s.client}`}
                    >
                      End
                    </Button>
                  )}
                </Group>
              ))}
            </Stack>
          )}
        </Section>

        <Divider />
        <Section title="Account actions">
          {isSelf ? (
            <Text size="xs" c="dimmed" mb={6}>
              Your own account: change your password and two-factor on{' '}
              <Anchor href={hrefFor('account')} size="xs">
                your account page
              </Anchor>
              . Locking, resetting two-factor and deleting need another administrator.
            </Text>
          ) : null}
          {!canUpdate && !canDelete ? (
            <Alert variant="light" color="gray" p="xs">
              <Text size="xs">
                Read-only: changing accounts needs <Code>users:update</Code>, which none of your roles grants.
              </Text>
            </Alert>
          ) : (
            <Group gap="xs">
              {canUpdate &&
                !isSelf &&
                (user.locked ? (
                  <Button
                    size="xs"
                    variant="default"
                    leftSection={<LockOpen size={14} aria-hidden />}
                    onClick={() => show({ kind: 'unlock' })}
                  >
                    Unlock
                  </Button>
                ) : (
                  <Button
                    size="xs"
                    variant="default"
                    leftSection={<Lock size={14} aria-hidden />}
                    onClick={() => show({ kind: 'lock' })}
                  >
                    Lock
                  </Button>
                ))}
              {canUpdate && !isSelf && (
                <Button
                  size="xs"
                  variant="default"
                  leftSection={<KeyRound size={14} aria-hidden />}
                  onClick={() => show({ kind: 'reset-password' })}
                >
                  Reset password
                </Button>
              )}
              {canUpdate && !isSelf && user.mfaEnabled && (
                <Button
                  size="xs"
                  variant="default"
                  leftSection={<ShieldX size={14} aria-hidden />}
                  onClick={() => show({ kind: 'reset-mfa' })}
                >
                  Reset two-factor
                </Button>
              )}
              {canDelete && !isSelf && (
                <Button
                  size="xs"
                  variant="light"
                  color="red"
                  leftSection={<Trash2 size={14} aria-hidden />}
                  onClick={() => show({ kind: 'delete' })}
                >
                  Delete
                </Button>
              )}
            </Group>
          )}
        </Section>
      </Stack>

      <LockDialog
        opened={dialogOpen && dialog?.kind === 'lock'}
        user={user}
        sessions={sessionCount}
        onClose={closeDialog}
        onDone={changed}
      />
      <UnlockDialog
        opened={dialogOpen && dialog?.kind === 'unlock'}
        user={user}
        onClose={closeDialog}
        onDone={changed}
      />
      <GrantRoleDialog
        opened={dialogOpen && dialog?.kind === 'grant'}
        user={user}
        roles={roles}
        onClose={closeDialog}
        onDone={changed}
      />
      <RevokeRoleDialog
        opened={dialogOpen && dialog?.kind === 'revoke-role'}
        user={user}
        role={dialog?.kind === 'revoke-role' ? dialog.role : ''}
        roles={roles}
        onClose={closeDialog}
        onDone={changed}
      />
      <ResetPasswordDialog
        opened={dialogOpen && dialog?.kind === 'reset-password'}
        user={user}
        sessions={sessionCount}
        onClose={closeDialog}
        onDone={changed}
      />
      <ResetMfaDialog
        opened={dialogOpen && dialog?.kind === 'reset-mfa'}
        user={user}
        sessions={sessionCount}
        onClose={closeDialog}
        onDone={changed}
      />
      <DeleteDialog
        opened={dialogOpen && dialog?.kind === 'delete'}
        user={user}
        sessions={sessionCount}
        onClose={closeDialog}
        onDone={() => {
          setDialogOpen(false)
          onChanged()
          onClose()
        }}
      />
      <RevokeSessionsDialog
        opened={dialogOpen && dialog?.kind === 'revoke-sessions'}
        user={user}
        session={dialog?.kind === 'revoke-sessions' ? dialog.session : null}
        count={sessionCount}
        includesCurrent={sessionList?.some((s) => s.current) ?? false}
        onClose={closeDialog}
        onDone={changed}
      />
    </Paper>
  )
}
