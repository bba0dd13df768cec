import { Button, PasswordInput, Stack, TextInput } from '@mantine/core'
import { useState, type FormEvent } from 'react'
import type { CallError } from '../../../../shared/result'
import { accountName, email as emailSchema } from '../../../../shared/schemas'
import { ErrorAlert } from '../../components/ErrorAlert'
import { fieldError } from '../../lib/field-error'
import { useAppStore } from '../../store'
import { callApi } from '../../store/call'
import { AuthLayout } from './AuthLayout'
import { PasswordStrength } from './PasswordStrength'
import { newPasswordError, usePasswordVerdict } from './use-password-verdict'
import { allValid, useFormFields } from '../../lib/use-form-fields'

type Field = 'name' | 'email' | 'password' | 'confirm'

/** First start: create the first administrator. There are no default credentials. */
export function SetupScreen() {
  const setupCompleted = useAppStore((s) => s.setupCompleted)
  const { values, touchAll, bind } = useFormFields<Field>({ name: '', email: '', password: '', confirm: '' })
  const [submitting, setSubmitting] = useState(false)
  const [failure, setFailure] = useState<CallError | null>(null)
  const verdict = usePasswordVerdict(values.password, values.name, values.email)

  const errors: Record<Field, string | null> = {
    name: fieldError(accountName, values.name),
    email: values.email.trim() === '' ? null : fieldError(emailSchema, values.email),
    password: newPasswordError(values.password, verdict),
    confirm: values.confirm !== values.password ? 'The two passwords differ.' : null,
  }

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    touchAll()
    if (!allValid(errors)) return
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
            {...bind('name', errors)}
          />
          <TextInput label="E-mail (optional)" type="email" autoComplete="email" {...bind('email', errors)} />
          <PasswordInput
            label="Password"
            autoComplete="new-password"
            required
            {...bind('password', errors)}
          />
          <PasswordStrength state={verdict} />
          <PasswordInput
            label="Confirm password"
            autoComplete="new-password"
            required
            {...bind('confirm', errors)}
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
