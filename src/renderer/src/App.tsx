import { useEffect } from 'react'
import { LoginScreen } from './features/auth/LoginScreen'
import { SetupScreen } from './features/auth/SetupScreen'
import { BootFailedScreen, BootScreen } from './features/boot/BootScreen'
import { LockScreen } from './features/lock/LockScreen'
import { MfaEnrollmentScreen } from './features/mfa/MfaEnrollmentScreen'
import { Shell } from './features/shell/Shell'
import { useAppStore } from './store'

export function App() {
  const phase = useAppStore((s) => s.phase)
  const boot = useAppStore((s) => s.boot)

  useEffect(() => {
    void boot()
  }, [boot])

  switch (phase) {
    case 'booting':
      return <BootScreen />
    case 'boot-failed':
      return <BootFailedScreen />
    case 'setup':
      return <SetupScreen />
    case 'login':
      return <LoginScreen />
    case 'enroll':
      return <MfaEnrollmentScreen />
    case 'shell':
      return <Shell />
    case 'locked':
      return <LockScreen />
  }
}
