import { Button, Group, Input, Modal, PasswordInput, Select, Stack, Text } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { useState } from 'react'
import type { Permission } from '../../../../shared/permissions'
import type { RoleView, SessionInfoView, UserView } from '../../../../shared/contract'
import { ActionForm } from '../../components/ActionForm'
import { LocalTime } from '../../components/LocalTime'
import { fromDateTimeLocal, localTime, toDateTimeLocal, utcTime } from '../../lib/time'
import { useNow } from '../../lib/use-now'
import { useAppStore } from '../../store'
import { callApi } from '../../store/call'
import { PasswordStrength } from '../auth/PasswordStrength'
import { newPasswordError, usePasswordVerdict } from '../auth/use-password-verdict'
import { plural, sessionsEnd } from '../../lib/words'

interface Base {
  opened: boolean
  user: UserView
  onClose: () => void
  onDone: () => void
}

const done = (title: string, message: string) =>
  notifications.show({ color: 'teal', title, message, autoClose: 6000 })

const permissionsOf = (roles: readonly RoleView[] | null, names: readonly string[]): Set<Permission> =>
  new Set((roles ?? []).filter((r) => names.includes(r.name)).flatMap((r) => r.permissions))

/** Permissions named one by one while few; beyond six, how many and in which domains. */
const list = (items: readonly string[]): string => {
  if (items.length === 0) return 'nothing new'
  if (items.length <= 6) return items.join(', ')
  const domains = [...new Set(items.map((p) => p.split(':')[0] ?? p))]
  return `${items.length} permissions in ${domains.join(', ')}`
}

export function LockDialog({ opened, user, sessions, onClose, onDone }: Base & { sessions: number | null }) {
  return (
    <Modal opened={opened} onClose={onClose} title={`Lock ${user.name}`} size="md">
      <ActionForm
        tone="danger"
        confirmLabel={`Lock ${user.name}`}
        withReason
        consequence={
          <>
            Lock {user.name}: {sessionsEnd(user.name, sessions)} and {user.name} cannot sign in until
            unlocked.
          </>
        }
        run={({ reason }) => callApi('users.lock', { userId: user.id, reason })}
        onDone={() => {
          done(
            `${user.name} is locked`,
            `${user.name} cannot sign in until an administrator unlocks the account.`,
          )
          onDone()
        }}
        onCancel={onClose}
      />
    </Modal>
  )
}

export function UnlockDialog({ opened, user, onClose, onDone }: Base) {
  return (
    <Modal opened={opened} onClose={onClose} title={`Unlock ${user.name}`} size="md">
      <ActionForm
        tone="info"
        confirmLabel={`Unlock ${user.name}`}
        withReason
        consequence={
          <>
            Unlock {user.name}: {user.name} can sign in again at once, and the count of failed sign-ins starts
            from zero.
          </>
        }
        run={({ reason }) => callApi('users.unlock', { userId: user.id, reason })}
        onDone={() => {
          done(`${user.name} is unlocked`, `${user.name} can sign in again.`)
          onDone()
        }}
        onCancel={onClose}
      />
    </Modal>
  )
}

const QUICK_ENDS = [
  { label: '1 hour', ms: 3_600_000 },
  { label: '8 hours', ms: 8 * 3_600_000 },
  { label: '1 day', ms: 86_400_000 },
  { label: '7 days', ms: 7 * 86_400_000 },
] as const

function GrantRoleForm({
  user,
  roles,
  onClose,
  onDone,
}: Omit<Base, 'opened'> & { roles: readonly RoleView[] | null }) {
  const timed = new Set(user.elevations.map((e) => e.role))
  const grantable = (roles ?? []).filter((r) => !user.roles.includes(r.name) || timed.has(r.name))
  const [role, setRole] = useState<string | null>(null)
  const [until, setUntil] = useState('')
  const [attempted, setAttempted] = useState(false)
  const now = useNow(15_000)
  const chosen = grantable.find((r) => r.name === role) ?? null
  const expiresAt = until === '' ? null : fromDateTimeLocal(until)
  const untilError =
    until === ''
      ? null
      : expiresAt === null
        ? 'Enter a date and time, or leave empty for a standing grant.'
        : Date.parse(expiresAt) <= now
          ? 'Pick a time in the future.'
          : null
  const roleError = role === null ? 'Choose a role to grant.' : null
  const have = permissionsOf(
    roles,
    user.roles.filter((r) => r !== role),
  )
  const added = chosen ? chosen.permissions.filter((p) => !have.has(p)) : []

  return (
    <ActionForm
      tone="warning"
      confirmLabel={chosen ? `Grant ${chosen.name}` : 'Grant role'}
      withReason
      validate={() => {
        setAttempted(true)
        return roleError === null && untilError === null
      }}
      consequence={
        chosen ? (
          <>
            Grant {chosen.name} to {user.name}{' '}
            {expiresAt && !untilError ? (
              <>
                until <LocalTime iso={expiresAt} /> (your time; {utcTime(expiresAt)}); the role ends by itself
                then.
              </>
            ) : (
              <>with no end (a standing role) until someone revokes it.</>
            )}{' '}
            {user.name} gains {list(added)}; open sessions get it at their next call.
          </>
        ) : (
          <>Choose a role; a time-limited grant (elevation) ends by itself.</>
        )
      }
      run={({ reason }) =>
        callApi('users.grantRole', {
          userId: user.id,
          role: role ?? '',
          reason,
          ...(expiresAt ? { expiresAt } : {}),
        })
      }
      onDone={() => {
        done(
          `${role ?? 'Role'} granted to ${user.name}`,
          expiresAt ? `Until ${localTime(expiresAt)} (your time).` : 'A standing role, until revoked.',
        )
        onDone()
      }}
      onCancel={onClose}
    >
      <Select
        label="Role"
        placeholder={roles === null ? 'Loading roles…' : 'Choose a role'}
        data={grantable.map((r) => ({ value: r.name, label: r.name }))}
        value={role}
        onChange={setRole}
        required
        data-autofocus
        error={attempted ? roleError : null}
        description={
          chosen ? chosen.description : 'Roles this account does not hold yet (or holds for a time)'
        }
        nothingFoundMessage="No role left to grant"
        comboboxProps={{ withinPortal: true }}
      />
      <Input.Wrapper
        label="Until (optional)"
        description="Your local time. Leave empty for a standing role."
        error={attempted ? untilError : null}
      >
        <Input
          type="datetime-local"
          aria-label="Until"
          value={until}
          min={toDateTimeLocal(now)}
          onChange={(e) => setUntil(e.currentTarget.value)}
          error={attempted && untilError !== null}
        />
      </Input.Wrapper>
      <Group gap={6}>
        <Text size="xs" c="dimmed">
          For
        </Text>
        {QUICK_ENDS.map((q) => (
          <Button
            key={q.label}
            size="compact-xs"
            variant="default"
            onClick={() => setUntil(toDateTimeLocal(Date.now() + q.ms))}
          >
            {q.label}
          </Button>
        ))}
        {until !== '' && (
          <Button size="compact-xs" variant="subtle" onClick={() => setUntil('')}>
            No end
          </Button>
        )}
      </Group>
    </ActionForm>
  )
}

export function GrantRoleDialog(props: Base & { roles: readonly RoleView[] | null }) {
  const { opened, onClose, user } = props
  return (
    <Modal opened={opened} onClose={onClose} title={`Grant a role to ${user.name}`} size="md">
      <GrantRoleForm {...props} />
    </Modal>
  )
}

export function RevokeRoleDialog({
  opened,
  user,
  role,
  roles,
  onClose,
  onDone,
}: Base & { role: string; roles: readonly RoleView[] | null }) {
  const until = user.elevations.find((e) => e.role === role)?.expiresAt
  const keep = permissionsOf(
    roles,
    user.roles.filter((r) => r !== role),
  )
  const lost = [...permissionsOf(roles, [role])].filter((p) => !keep.has(p))
  return (
    <Modal opened={opened} onClose={onClose} title={`Revoke ${role} from ${user.name}`} size="md">
      <ActionForm
        tone="warning"
        confirmLabel={`Revoke ${role}`}
        withReason
        consequence={
          <>
            Revoke {role} from {user.name}
            {until ? (
              <>
                {' '}
                (granted until <LocalTime iso={until} />)
              </>
            ) : null}
            : {user.name} loses {roles === null ? 'the permissions only this role gives' : list(lost)}; open
            sessions lose it at their next call.
          </>
        }
        run={({ reason }) => callApi('users.revokeRole', { userId: user.id, role, reason })}
        onDone={() => {
          done(`${role} revoked from ${user.name}`, `${user.name} no longer has the role ${role}.`)
          onDone()
        }}
        onCancel={onClose}
      />
    </Modal>
  )
}

function ResetPasswordForm({
  user,
  sessions,
  onClose,
  onDone,
}: Omit<Base, 'opened'> & { sessions: number | null }) {
  const [password, setPassword] = useState('')
  const [attempted, setAttempted] = useState(false)
  const verdict = usePasswordVerdict(password, user.name, user.email ?? '')
  const error = newPasswordError(password, verdict)
  return (
    <ActionForm
      tone="danger"
      confirmLabel="Set the new password"
      withReason
      validate={() => {
        setAttempted(true)
        return error === null
      }}
      consequence={
        <>
          Set a new password for {user.name}: {sessionsEnd(user.name, sessions)}, and {user.name} signs in
          with the new password from now on. Give it to {user.name} over a safe channel.
        </>
      }
      run={({ reason }) => callApi('users.resetPassword', { userId: user.id, newPassword: password, reason })}
      onDone={() => {
        setPassword('')
        done(`New password for ${user.name}`, `${user.name}'s sessions have ended.`)
        onDone()
      }}
      onCancel={onClose}
    >
      <Stack gap={6}>
        <PasswordInput
          label="New password"
          autoComplete="new-password"
          required
          data-autofocus
          value={password}
          onChange={(e) => setPassword(e.currentTarget.value)}
          error={attempted ? error : null}
        />
        <PasswordStrength state={verdict} />
      </Stack>
    </ActionForm>
  )
}

export function ResetPasswordDialog(props: Base & { sessions: number | null }) {
  return (
    <Modal
      opened={props.opened}
      onClose={props.onClose}
      title={`Reset ${props.user.name}'s password`}
      size="md"
    >
      <ResetPasswordForm {...props} />
    </Modal>
  )
}

export function ResetMfaDialog({
  opened,
  user,
  sessions,
  onClose,
  onDone,
}: Base & { sessions: number | null }) {
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={`Reset ${user.name}'s two-factor authentication`}
      size="md"
    >
      <ActionForm
        tone="danger"
        confirmLabel="Reset two-factor"
        withReason
        withPassword
        consequence={
          <>
            Remove {user.name}'s two-factor authentication: {user.name}'s authenticator and remaining backup
            codes stop working, and {sessionsEnd(user.name, sessions)}. Where a role of {user.name}'s requires
            two-factor, {user.name} must set it up again at the next sign-in.
          </>
        }
        run={({ reason, confirmPassword }) =>
          callApi('users.resetMfa', { userId: user.id, reason, confirmPassword })
        }
        onDone={() => {
          done(
            `Two-factor reset for ${user.name}`,
            `${user.name} signs in with the password alone next time.`,
          )
          onDone()
        }}
        onCancel={onClose}
      />
    </Modal>
  )
}

export function DeleteDialog({
  opened,
  user,
  sessions,
  onClose,
  onDone,
}: Base & { sessions: number | null }) {
  return (
    <Modal opened={opened} onClose={onClose} title={`Delete ${user.name}`} size="md">
      <ActionForm
        tone="danger"
        confirmLabel={`Delete ${user.name}`}
        withReason
        withPassword
        consequence={
          <>
            Delete {user.name} permanently: the account, its roles ({user.roles.join(', ') || 'none'}) and its
            two-factor are removed now, {sessionsEnd(user.name, sessions)}, and {user.name} can never sign in
            again. Audit entries that mention {user.name} stay. This cannot be undone.
          </>
        }
        run={({ reason, confirmPassword }) =>
          callApi('users.delete', { userId: user.id, reason, confirmPassword })
        }
        onDone={() => {
          done(`${user.name} deleted`, 'The account no longer exists.')
          onDone()
        }}
        onCancel={onClose}
      />
    </Modal>
  )
}

export function RevokeSessionsDialog({
  opened,
  user,
  session,
  count,
  onClose,
  onDone,
  includesCurrent,
}: Base & { session: SessionInfoView | null; count: number | null; includesCurrent: boolean }) {
  const signedOut = useAppStore((s) => s.signedOut)
  const ownIncluded = session ? session.current : includesCurrent
  const title = session ? `End one of ${user.name}'s sessions` : `End all of ${user.name}'s sessions`
  return (
    <Modal opened={opened} onClose={onClose} title={title} size="md">
      <ActionForm
        tone="danger"
        confirmLabel={session ? 'End this session' : 'End all sessions'}
        consequence={
          session ? (
            <>
              End {user.name}'s session from {session.client} (started <LocalTime iso={session.createdAt} />
              ): that client is signed out at its next call.
              {ownIncluded ? ' It is your own current session: you return to the sign-in screen.' : ''}
            </>
          ) : (
            <>
              {count === 1
                ? `End ${user.name}'s only session now: that client must sign in again.`
                : `End ${count === null ? `every session of ${user.name}` : `all ${count} sessions of ${user.name}`} now: every client where ${user.name} is signed in must sign in again.`}
              {ownIncluded
                ? ' That includes your own current session: you return to the sign-in screen.'
                : ''}
            </>
          )
        }
        run={() =>
          callApi('users.revokeSessions', { userId: user.id, ...(session ? { sessionId: session.id } : {}) })
        }
        onDone={(value) => {
          if (ownIncluded) {
            signedOut({ tone: 'info', text: 'You ended your own session.' })
            return
          }
          done(`${plural(value.ended, 'session')} ended`, `${user.name} must sign in again there.`)
          onDone()
        }}
        onCancel={onClose}
      />
    </Modal>
  )
}
