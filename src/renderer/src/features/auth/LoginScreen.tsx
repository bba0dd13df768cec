import { Button, PasswordInput, Stack, TextInput } from '@mantine/core'
import { useState, type FormEvent } from 'react'
import type { CallError } from '../../../../shared/result'
import { accountName, otpCode, password as passwordSchema } from '../../../../shared/schemas'
import { ErrorAlert } from '../../components/ErrorAlert'
import { NoticeAlert } from '../../components/NoticeAlert'
import { fieldError } from '../../lib/field-error'
import { useAppStore } from '../../store'
import { callApi } from '../../store/call'
import { AuthLayout } from './AuthLayout'

type Field = 'name' | 'password' | 'otp'

export function LoginScreen() {
  const notice = useAppStore((s) => s.notice)
  const dismissNotice = useAppStore((s) => s.dismissNotice)
  const signedIn = useAppStore((s) => s.signedIn)
  const lastAccountName = useAppStore((s) => s.lastAccountName)
  const [values, setValues] = useState<Record<Field, string>>({
    name: lastAccountName,
    password: '',
    otp: '',
  })
  const [touched, setTouched] = useState<Partial<Record<Field, boolean>>>({})
  const [needsOtp, setNeedsOtp] = useState(false)
  const [submitting, setSubmitting] = useState(false)
  const [failure, setFailure] = useState<CallError | null>(null)

  const errors: Record<Field, string | null> = {
    name: fieldError(accountName, values.name),
    password: fieldError(passwordSchema, values.password),
    otp: needsOtp ? fieldError(otpCode, values.otp) : null,
  }
  const shown = (field: Field): string | null => (touched[field] ? errors[field] : null)
  const update = (field: Field) => (event: { currentTarget: { value: string } }) => {
    const value = event.currentTarget.value
    setValues((v) => ({ ...v, [field]: value }))
  }
  const touch = (field: Field) => () => setTouched((t) => ({ ...t, [field]: true }))

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    setTouched({ name: true, password: true, otp: true })
    if (Object.values(errors).some((e) => e !== null)) return
    setSubmitting(true)
    setFailure(null)
    dismissNotice()
    const result = await callApi('auth.login', {
      name: values.name.trim(),
      password: values.password,
      ...(needsOtp ? { otp: values.otp } : {}),
    })
    setSubmitting(false)
    if (result.ok) {
      signedIn(result.value)
      return
    }
    if (result.error.code === 'MFA_REQUIRED') {
      setNeedsOtp(true)
    } else {
      // A refused password is not kept around in the field; the account name is.
      setValues((v) => ({ ...v, password: '', otp: '' }))
      setTouched({})
    }
    setFailure(result.error)
  }

  return (
    <AuthLayout
      title="Sign in"
      subtitle="Use your console account. Sessions end after a period without activity."
    >
      {notice && <NoticeAlert notice={notice} onClose={dismissNotice} />}
      <form onSubmit={(e) => void submit(e)} noValidate aria-label="Sign in">
        <Stack gap="sm">
          <TextInput
            label="Account name"
            autoComplete="username"
            autoFocus={values.name === ''}
            required
            value={values.name}
            onChange={update('name')}
            onBlur={touch('name')}
            error={shown('name')}
          />
          <PasswordInput
            label="Password"
            autoComplete="current-password"
            autoFocus={values.name !== ''}
            required
            value={values.password}
            onChange={update('password')}
            onBlur={touch('password')}
            error={shown('password')}
          />
          {needsOtp && (
            <TextInput
              label="One-time code"
              description="The 6 to 8 digits your authenticator app shows now"
              autoComplete="one-time-code"
              inputMode="numeric"
              autoFocus
              value={values.otp}
              onChange={update('otp')}
              onBlur={touch('otp')}
              error={shown('otp')}
            />
          )}
          {failure && <ErrorAlert error={failure} />}
          <Button type="submit" loading={submitting} fullWidth mt="xs">
            Sign in
          </Button>
        </Stack>
      </form>
    </AuthLayout>
  )
}
