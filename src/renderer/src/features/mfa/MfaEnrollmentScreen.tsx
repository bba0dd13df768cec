import { Button, Group, Stack, Text, TextInput } from '@mantine/core'
import { Smartphone } from 'lucide-react'
import { useState, type FormEvent } from 'react'
import type { CallOutput } from '../../../../shared/contract'
import type { CallError } from '../../../../shared/result'
import { otpCode } from '../../../../shared/schemas'
import { ErrorAlert } from '../../components/ErrorAlert'
import { fieldError } from '../../lib/field-error'
import { useAppStore } from '../../store'
import { callApi } from '../../store/call'
import { AuthLayout } from '../auth/AuthLayout'
import { SignOutButton } from '../shell/SignOutButton'
import { BackupCodes } from './BackupCodes'
import { QrCodeImage } from './QrCodeImage'
import { SecretReveal } from './SecretReveal'

type Enrollment = CallOutput<'mfa.beginEnrollment'>

/**
 * A role that requires MFA signs in to a session restricted to this screen: scan, confirm one code, store
 * the backup codes, then the console opens.
 */
export function MfaEnrollmentScreen() {
  const session = useAppStore((s) => s.session)
  const signedIn = useAppStore((s) => s.signedIn)
  const [enrollment, setEnrollment] = useState<Enrollment | null>(null)
  const [backupCodes, setBackupCodes] = useState<string[] | null>(null)
  const [code, setCode] = useState('')
  const [codeTouched, setCodeTouched] = useState(false)
  const [busy, setBusy] = useState(false)
  const [failure, setFailure] = useState<CallError | null>(null)
  const codeError = fieldError(otpCode, code.replace(/\s/g, ''))

  const begin = async () => {
    setBusy(true)
    setFailure(null)
    const result = await callApi('mfa.beginEnrollment', { kind: 'totp' })
    setBusy(false)
    if (result.ok) setEnrollment(result.value)
    else setFailure(result.error)
  }

  const confirm = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    setCodeTouched(true)
    if (codeError) return
    setBusy(true)
    setFailure(null)
    const result = await callApi('mfa.confirmEnrollment', { code: code.replace(/\s/g, '') })
    setBusy(false)
    if (result.ok) setBackupCodes(result.value.backupCodes)
    else {
      setFailure(result.error)
      setCode('')
      setCodeTouched(false)
    }
  }

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
        <form onSubmit={(e) => void confirm(e)} noValidate aria-label="Confirm the authenticator">
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
              value={code}
              onChange={(e) => setCode(e.currentTarget.value)}
              onBlur={() => setCodeTouched(code !== '')}
              error={codeTouched ? codeError : null}
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
