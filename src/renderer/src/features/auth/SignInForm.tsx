import { Alert, Anchor, Button, PasswordInput, Stack, TextInput } from '@mantine/core'
import { KeyRound } from 'lucide-react'
import { useState, type FormEvent, type ReactNode } from 'react'
import { contract, type SessionView } from '../../../../shared/contract'
import type { CallError } from '../../../../shared/result'
import { accountName, otpCode, password as passwordSchema } from '../../../../shared/schemas'
import { ErrorAlert } from '../../components/ErrorAlert'
import { fieldError } from '../../lib/field-error'
import { callApi } from '../../store/call'
import { allValid, useFormFields } from '../../lib/use-form-fields'

type Field = 'name' | 'password' | 'otp' | 'backupCode'
/** Only asked for once the server says the account has a second factor. */
type SecondFactor = 'none' | 'otp' | 'backupCode'

const backupCodeSchema = contract['auth.login'].input.shape.backupCode.unwrap()

interface Props {
  /** The lock screen signs in as the account that was locked: the name is shown, not asked. */
  fixedName?: string
  initialName?: string
  submitLabel: string
  formLabel: string
  onSignedIn: (session: SessionView) => void
  /** Runs before each attempt (e.g. wait for the locked session's logout to finish). */
  beforeSubmit?: () => Promise<unknown>
  onAttempt?: () => void
  /** Shown above the fields (e.g. a notice carried over from another screen). */
  children?: ReactNode
}

/**
 * Account name and password, then a one-time or backup code when main answers MFA_REQUIRED. A refused
 * password is cleared from the field; the password lives only in this form's state while it is on screen.
 */
export function SignInForm({
  fixedName,
  initialName = '',
  submitLabel,
  formLabel,
  onSignedIn,
  beforeSubmit,
  onAttempt,
  children,
}: Props) {
  const { values, setValues, setTouched, touchAll, bind } = useFormFields<Field>({
    name: fixedName ?? initialName,
    password: '',
    otp: '',
    backupCode: '',
  })
  const [factor, setFactor] = useState<SecondFactor>('none')
  const [submitting, setSubmitting] = useState(false)
  const [failure, setFailure] = useState<CallError | null>(null)

  const errors: Record<Field, string | null> = {
    name: fieldError(accountName, values.name),
    password: fieldError(passwordSchema, values.password),
    otp: factor === 'otp' ? fieldError(otpCode, values.otp.replace(/\s/g, '')) : null,
    backupCode: factor === 'backupCode' ? fieldError(backupCodeSchema, values.backupCode) : null,
  }
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    touchAll()
    if (!allValid(errors)) return
    setSubmitting(true)
    setFailure(null)
    onAttempt?.()
    await beforeSubmit?.()
    const result = await callApi('auth.login', {
      name: values.name.trim(),
      password: values.password,
      ...(factor === 'otp' ? { otp: values.otp.replace(/\s/g, '') } : {}),
      ...(factor === 'backupCode' ? { backupCode: values.backupCode.trim() } : {}),
    })
    setSubmitting(false)
    if (result.ok) {
      setValues((v) => ({ ...v, password: '', otp: '', backupCode: '' }))
      onSignedIn(result.value)
      return
    }
    const { code, details } = result.error
    if (code === 'MFA_REQUIRED') {
      if (factor === 'none') setFactor('otp')
    } else if (details && 'factor' in details) {
      // The password was right and the code was not: keep the password, ask for a fresh code.
      setValues((v) => ({ ...v, otp: '', backupCode: '' }))
      setTouched((t) => ({ ...t, otp: false, backupCode: false }))
    } else {
      // A refused password is not kept around in the field; the account name is.
      setValues((v) => ({ ...v, password: '', otp: '', backupCode: '' }))
      setTouched({})
    }
    setFailure(result.error)
  }

  const switchFactor = (to: SecondFactor) => {
    setFactor(to)
    setFailure(null)
    setTouched((t) => ({ ...t, otp: false, backupCode: false }))
  }

  return (
    <form onSubmit={(e) => void submit(e)} noValidate aria-label={formLabel}>
      <Stack gap="sm">
        {children}
        {fixedName === undefined && (
          <TextInput
            label="Account name"
            autoComplete="username"
            autoFocus={values.name === ''}
            required
            {...bind('name', errors)}
          />
        )}
        <PasswordInput
          label="Password"
          autoComplete="current-password"
          autoFocus={values.name !== ''}
          required
          {...bind('password', errors)}
        />
        {factor === 'otp' && (
          <TextInput
            key="otp"
            label="One-time code"
            description="The 6-digit code your authenticator app shows now"
            autoComplete="one-time-code"
            inputMode="numeric"
            autoFocus
            {...bind('otp', errors)}
          />
        )}
        {factor === 'backupCode' && (
          <TextInput
            key="backup"
            label="Backup code"
            description="One of the codes you stored when you set up two-factor authentication; each works once"
            autoComplete="off"
            autoFocus
            {...bind('backupCode', errors)}
          />
        )}
        {factor !== 'none' && (
          <Anchor
            component="button"
            type="button"
            size="xs"
            ta="left"
            onClick={() => switchFactor(factor === 'otp' ? 'backupCode' : 'otp')}
          >
            {factor === 'otp' ? 'Use a backup code instead' : 'Use the authenticator app instead'}
          </Anchor>
        )}
        {failure?.code === 'MFA_REQUIRED' ? (
          <Alert role="status" color="blue" variant="light" icon={<KeyRound size={18} aria-hidden />}>
            {failure.message}
          </Alert>
        ) : (
          failure && <ErrorAlert error={failure} />
        )}
        <Button type="submit" loading={submitting} fullWidth mt="xs">
          {submitLabel}
        </Button>
      </Stack>
    </form>
  )
}
