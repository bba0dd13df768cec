import { Button, Tooltip } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { LogOut } from 'lucide-react'
import { useState } from 'react'
import { useAppStore } from '../../store'
import { callApi } from '../../store/call'

/** Ends the session in main first; the screen only changes once main agrees (or the session was gone). */
export function SignOutButton() {
  const signedOut = useAppStore((s) => s.signedOut)
  const [busy, setBusy] = useState(false)
  const signOut = async () => {
    setBusy(true)
    const result = await callApi('auth.logout', {})
    setBusy(false)
    if (result.ok) {
      signedOut()
      return
    }
    if (result.error.code === 'UNAUTHENTICATED') return // callApi already returned to Login
    notifications.show({
      color: 'red',
      title: 'Could not sign out',
      message: `${result.error.message} (${result.error.code})`,
      autoClose: false,
    })
  }
  return (
    <Tooltip label="End this session and return to the sign-in screen">
      <Button
        variant="default"
        size="xs"
        leftSection={<LogOut size={14} aria-hidden />}
        loading={busy}
        onClick={() => void signOut()}
      >
        Sign out
      </Button>
    </Tooltip>
  )
}
