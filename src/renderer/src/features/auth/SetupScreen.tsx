import { Button, PasswordInput, Stack, TextInput } from '@mantine/core'
import { useState, type FormEvent } from 'react'
import type { CallError } from '../../../../shared/result'
import { accountName, email as emailSchema, password as passwordSchema } from '../../../../shared/schemas'
import { ErrorAlert } from '../../components/ErrorAlert'
import { fieldError } from '../../lib/field-error'
import { useAppStore } from '../../store'
import { callApi } from '../../store/call'
import { AuthLayout } from './AuthLayout'
import { PasswordStrength } from './PasswordStrength'
import { usePasswordVerdict } from './use-password-verdict'

type Field = 'name' | 'email' | 'password' | 'confirm'

/** First start: create the first administrator. There are no default credentials. */
export function SetupScreen() {
  const setupCompleted = useAppStore((s) => s.setupCompleted)
  const [values, setValues] = useState<Record<Field, string>>({
    name: '',
    email: '',
    password: '',
    confirm: '',
  })
  const [touched, setTouched] = useState<Partial<Record<Field, boolean>>>({})
  const [submitting, setSubmitting] = useState(false)
  const [failure, setFailure] = useState<CallError | null>(null)
  const verdict = usePasswordVerdict(values.password, values.name, values.email)

  const errors: Record<Field, string | null> = {
    name: fieldError(accountName, values.name),
    email: values.email.trim() === '' ? null : fieldError(emailSchema, values.email),
    password:
      fieldError(passwordSchema, values.password) ??
      (verdict.status === 'ready' && !verdict.verdict.acceptable
        ? 'This password does not meet the policy yet; see the rules below.'
        : null),
    confirm: values.confirm !== values.password ? 'The two passwords differ.' : null,
  }
  const shown = (field: Field): string | null => (touched[field] ? errors[field] : null)
  const update = (field: Field) => (event: { currentTarget: { value: string } }) => {
    const value = event.currentTarget.value
    setValues((v) => ({ ...v, [field]: value }))
  }
  // Leaving an empty field says nothing yet; submitting does.
  const touch = (field: Field) => () =>
    setTouched((t) => ({ ...t, [field]: t[field] || values[field] !== '' }))

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    setTouched({ name: true, email: true, password: true, confirm: true })
    if (Object.values(errors).some((e) => e !== null)) return
    setSubmitting(true)
    setFailure(null)
    const name = values.name.trim()
    const email = values.email.trim()
    const result = await callApi('auth.setupAdmin', {
      name,
      password: values.password,
      ...(email ? { email } : {}),
    })
    setSubmitting(false)
    if (result.ok) setupCompleted(result.value.user.name)
    else setFailure(result.error)
  }

  return (
    <AuthLayout
      title="Create the first administrator"
      subtitle="This console has no accounts yet. The account you create here can manage everything, including other accounts."
    >
      <form onSubmit={(e) => void submit(e)} noValidate aria-label="Create the first administrator">
        <Stack gap="sm">
          <TextInput
            label="Account name"
            description="Lower-case letters, digits, dot, dash and underscore"
            autoComplete="username"
            autoFocus
            required
            value={values.name}
            onChange={update('name')}
            onBlur={touch('name')}
            error={shown('name')}
          />
          <TextInput
            label="E-mail (optional)"
            type="email"
            autoComplete="email"
            value={values.email}
            onChange={update('email')}
            onBlur={touch('email')}
            error={shown('email')}
          />
          <PasswordInput
            label="Password"
            autoComplete="new-password"
            required
            value={values.password}
            onChange={update('password')}
            onBlur={touch('password')}
            error={shown('password')}
          />
          <PasswordStrength state={verdict} />
          <PasswordInput
            label="Confirm password"
            autoComplete="new-password"
            required
            value={values.confirm}
            onChange={update('confirm')}
            onBlur={touch('confirm')}
            error={shown('confirm')}
          />
          {failure && <ErrorAlert error={failure} title="The administrator was not created" />}
          <Button type="submit" loading={submitting} fullWidth mt="xs">
            Create administrator
          </Button>
        </Stack>
      </form>
    </AuthLayout>
  )
}
