import { Alert, Button, Paper, PasswordInput, Stack, Text, Title } from '@mantine/core'
import { CircleCheck } from 'lucide-react'
import { useState, type FormEvent } from 'react'
import type { UserView } from '../../../../shared/contract'
import type { CallError } from '../../../../shared/result'
import { password as passwordSchema } from '../../../../shared/schemas'
import { ErrorAlert } from '../../components/ErrorAlert'
import { fieldError } from '../../lib/field-error'
import { callApi } from '../../store/call'
import { PasswordStrength } from '../auth/PasswordStrength'
import { newPasswordError, usePasswordVerdict } from '../auth/use-password-verdict'
import { allValid, useFormFields } from '../../lib/use-form-fields'
import { plural } from '../../lib/words'

type Field = 'current' | 'next' | 'confirm'

/** Current password, the new one with the policy's live verdict, and a confirmation; other sessions end. */
export function ChangePasswordCard({ user, onChanged }: { user: UserView; onChanged: () => void }) {
  const { values, setValues, setTouched, touchAll, bind } = useFormFields<Field>({
    current: '',
    next: '',
    confirm: '',
  })
  const [busy, setBusy] = useState(false)
  const [failure, setFailure] = useState<CallError | null>(null)
  const [ended, setEnded] = useState<number | null>(null)
  const verdict = usePasswordVerdict(values.next, user.name, user.email ?? '')
  const errors: Record<Field, string | null> = {
    current: fieldError(passwordSchema, values.current),
    next:
      values.next !== '' && values.next === values.current
        ? 'The new password is the current one.'
        : newPasswordError(values.next, verdict),
    confirm: values.confirm !== values.next ? 'The two new passwords differ.' : null,
  }

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    touchAll()
    if (!allValid(errors)) return
    setBusy(true)
    setFailure(null)
    setEnded(null)
    const result = await callApi('auth.changePassword', {
      currentPassword: values.current,
      newPassword: values.next,
    })
    setBusy(false)
    // Passwords leave the form either way; a refusal asks for them again.
    setValues({ current: '', next: '', confirm: '' })
    setTouched({})
    if (result.ok) {
      setEnded(result.value.otherSessionsEnded)
      onChanged()
    } else setFailure(result.error)
  }

  return (
    <Paper withBorder p="md" h="100%" component="section" aria-label="Change your password">
      <Title order={3} size="h5">
        Change your password
      </Title>
      <Text size="xs" c="dimmed" mb="sm">
        Your other sessions end when the password changes; this one stays signed in.
      </Text>
      <form onSubmit={(e) => void submit(e)} noValidate aria-label="Change your password">
        <Stack gap="sm">
          <PasswordInput
            label="Current password"
            autoComplete="current-password"
            required
            {...bind('current', errors)}
          />
          <PasswordInput
            label="New password"
            autoComplete="new-password"
            required
            {...bind('next', errors)}
          />
          <PasswordStrength state={verdict} />
          <PasswordInput
            label="Confirm the new password"
            autoComplete="new-password"
            required
            {...bind('confirm', errors)}
          />
          {failure && <ErrorAlert error={failure} title="The password was not changed" />}
          {ended !== null && (
            <Alert color="teal" variant="light" icon={<CircleCheck size={18} aria-hidden />} role="status">
              Password changed.{' '}
              {ended === 0 ? 'No other session was open.' : `${plural(ended, 'other session')} ended.`}
            </Alert>
          )}
          <Button type="submit" loading={busy} w="fit-content">
            Change password
          </Button>
        </Stack>
      </form>
    </Paper>
  )
}
