import { Button, Group, Stack, Text, TextInput } from '@mantine/core'
import { Smartphone } from 'lucide-react'
import { ErrorAlert } from '../../components/ErrorAlert'
import { useAppStore } from '../../store'
import { callApi } from '../../store/call'
import { AuthLayout } from '../auth/AuthLayout'
import { SignOutButton } from '../shell/SignOutButton'
import { BackupCodes } from './BackupCodes'
import { QrCodeImage } from './QrCodeImage'
import { SecretReveal } from './SecretReveal'
import { useTotpEnrollment } from './use-totp-enrollment'

/**
 * A role that requires MFA signs in to a session restricted to this screen: scan, confirm one code, store
 * the backup codes, then the console opens.
 */
export function MfaEnrollmentScreen() {
  const session = useAppStore((s) => s.session)
  const signedIn = useAppStore((s) => s.signedIn)
  const { enrollment, backupCodes, busy, setBusy, failure, setFailure, begin, confirm, codeField } =
    useTotpEnrollment()

  const finish = async () => {
    setBusy(true)
    const result = await callApi('auth.session', {})
    setBusy(false)
    if (result.ok) signedIn(result.value)
    else setFailure(result.error)
  }

  const roles = session?.user.roles.join(', ') ?? ''
  return (
    <AuthLayout
      title="Set up two-factor authentication"
      subtitle={`Your role (${roles}) requires a second factor. Until it is on, this session can do nothing else.`}
    >
      {backupCodes ? (
        <Stack gap="sm">
          <BackupCodes codes={backupCodes} busy={busy} onDone={() => void finish()} />
          {failure && <ErrorAlert error={failure} />}
        </Stack>
      ) : enrollment ? (
        <form
          onSubmit={(e) => {
            e.preventDefault()
            void confirm()
          }}
          noValidate
          aria-label="Confirm the authenticator"
        >
          <Stack gap="sm">
            <Text size="sm">
              <b>1.</b> Scan this code with an authenticator app on your phone.
            </Text>
            <QrCodeImage svg={enrollment.qrSvg} label="QR code to add this console to an authenticator app" />
            <SecretReveal secret={enrollment.secret} />
            <TextInput
              label="2. Enter the 6-digit code the app shows"
              autoComplete="one-time-code"
              inputMode="numeric"
              autoFocus
              {...codeField}
            />
            {failure && <ErrorAlert error={failure} />}
            <Button type="submit" loading={busy} fullWidth>
              Turn on two-factor authentication
            </Button>
          </Stack>
        </form>
      ) : (
        <Stack gap="sm">
          <Group gap="sm" wrap="nowrap" align="flex-start">
            <Smartphone size={20} aria-hidden />
            <Text size="sm">
              You need an authenticator app (for example Aegis, Google Authenticator or a password manager
              with one-time codes). The console shows a QR code to scan and then asks for one code from the
              app.
            </Text>
          </Group>
          {failure && <ErrorAlert error={failure} />}
          <Button onClick={() => void begin()} loading={busy} fullWidth>
            Set up an authenticator app
          </Button>
        </Stack>
      )}
      <Group justify="center">
        <SignOutButton />
      </Group>
    </AuthLayout>
  )
}
