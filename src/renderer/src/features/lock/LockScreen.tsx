import { Alert, Anchor, Group, Text } from '@mantine/core'
import { Lock } from 'lucide-react'
import { useEffect } from 'react'
import type { SessionView } from '../../../../shared/contract'
import { LocalTime } from '../../components/LocalTime'
import { useHashLocation } from '../../lib/hash-router'
import { useAppStore } from '../../store'
import { sessionEndSettled, type LockState } from '../../store/session-slice'
import { AuthLayout } from '../auth/AuthLayout'
import { SignInForm } from '../auth/SignInForm'
import { SHORTCUT_ROUTES } from '../shell/routes'

const why = (lock: LockState): string => {
  switch (lock.reason) {
    case 'manual':
      return 'You locked the console'
    case 'idle':
      return `Locked after ${lock.idleMinutes} min without activity`
    case 'lifetime':
      return 'Locked: the session reached its maximum length'
  }
}

/**
 * Shown instead of the console while it is locked: nothing of the views stays on the page. Signing in again
 * as the same account returns to the same place (the route stays in the address). The password is asked for
 * each time and kept nowhere.
 */
export function LockScreen() {
  const lock = useAppStore((s) => s.lock)
  const signedIn = useAppStore((s) => s.signedIn)
  const leaveLock = useAppStore((s) => s.leaveLock)
  const { path } = useHashLocation()
  useEffect(() => {
    document.title = 'Locked · QQ-Verse Security Console'
  }, [])
  if (!lock) return null
  const place = SHORTCUT_ROUTES.find((r) => r.id === path)?.label ?? 'Dashboard'

  const unlocked = (session: SessionView) => {
    // The form only asks for this account's password, so this is the same account; check anyway.
    if (session.user.name === lock.account) signedIn(session)
    else leaveLock()
  }

  return (
    <AuthLayout
      title="Console locked"
      subtitle={`The session has ended. Sign in again to return to “${place}”.`}
    >
      <Alert variant="light" color="gray" icon={<Lock size={18} aria-hidden />} role="status">
        <Text size="sm">
          {why(lock)} at <LocalTime iso={lock.at} />.
        </Text>
      </Alert>
      <Group gap={6}>
        <Text size="sm" c="dimmed">
          Account
        </Text>
        <Text size="sm" fw={600} data-testid="locked-account">
          {lock.account}
        </Text>
      </Group>
      <SignInForm
        key={lock.at}
        fixedName={lock.account}
        submitLabel="Unlock"
        formLabel={`Unlock the console as ${lock.account}`}
        onSignedIn={unlocked}
        beforeSubmit={sessionEndSettled}
      />
      <Anchor component="button" type="button" size="sm" onClick={leaveLock}>
        Sign in as someone else
      </Anchor>
    </AuthLayout>
  )
}
