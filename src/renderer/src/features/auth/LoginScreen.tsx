import { NoticeAlert } from '../../components/NoticeAlert'
import { useAppStore } from '../../store'
import { AuthLayout } from './AuthLayout'
import { SignInForm } from './SignInForm'

export function LoginScreen() {
  const notice = useAppStore((s) => s.notice)
  const dismissNotice = useAppStore((s) => s.dismissNotice)
  const signedIn = useAppStore((s) => s.signedIn)
  const lastAccountName = useAppStore((s) => s.lastAccountName)
  return (
    <AuthLayout
      title="Sign in"
      subtitle="Use your console account. Sessions end after a period without activity."
    >
      {notice && <NoticeAlert notice={notice} onClose={dismissNotice} />}
      <SignInForm
        initialName={lastAccountName}
        submitLabel="Sign in"
        formLabel="Sign in"
        onSignedIn={signedIn}
        onAttempt={dismissNotice}
      />
    </AuthLayout>
  )
}
