import { Alert, Button, Group, PasswordInput, Stack, Textarea } from '@mantine/core'
import { CircleAlert, Info, TriangleAlert } from 'lucide-react'
import { useState, type FormEvent, type ReactNode } from 'react'
import { contract } from '../../../shared/contract'
import type { CallError, Result } from '../../../shared/result'
import { password as passwordSchema } from '../../../shared/schemas'
import { fieldError } from '../lib/field-error'
import { ErrorAlert } from './ErrorAlert'

/** The same words main uses for a missing or short reason. */
const reasonSchema = contract['users.lock'].input.shape.reason

export type Tone = 'danger' | 'warning' | 'info'

const LOOK = {
  danger: { color: 'red', Icon: CircleAlert },
  warning: { color: 'orange', Icon: TriangleAlert },
  info: { color: 'blue', Icon: Info },
} as const

export interface ActionInput {
  reason: string
  confirmPassword: string
}

interface Props<T> {
  /** Exactly what will happen, in plain words ("Lock bob: bob's 2 sessions end now …"). */
  consequence: ReactNode
  tone: Tone
  confirmLabel: string
  /** Ask why (kept in the audit trail with the action). */
  withReason?: boolean
  /** Ask for the signed-in account's password again (the riskiest actions). */
  withPassword?: boolean
  /** The action's own fields, above the reason. */
  children?: ReactNode
  /** Checks the action's own fields on submit (and shows their errors); false stops the submit. */
  validate?: () => boolean
  run: (input: ActionInput) => Promise<Result<T>>
  onDone: (value: T) => void
  onCancel: () => void
}

/**
 * The body of every confirmation dialog: what will happen, the action's fields, a reason and the password
 * where asked, and main's refusal in its own words with its code. The password lives in this form's state
 * only while the dialog is open (the dialog's content unmounts on close) and is cleared after a refusal.
 */
export function ActionForm<T>({
  consequence,
  tone,
  confirmLabel,
  withReason = false,
  withPassword = false,
  children,
  validate,
  run,
  onDone,
  onCancel,
}: Props<T>) {
  const [reason, setReason] = useState('')
  const [password, setPassword] = useState('')
  const [attempted, setAttempted] = useState(false)
  const [busy, setBusy] = useState(false)
  const [failure, setFailure] = useState<CallError | null>(null)
  const reasonError = withReason ? fieldError(reasonSchema, reason) : null
  const passwordError = withPassword ? fieldError(passwordSchema, password) : null
  const { color, Icon } = LOOK[tone]

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    event.stopPropagation()
    setAttempted(true)
    const ownFieldsOk = validate ? validate() : true
    if (!ownFieldsOk || reasonError || passwordError) return
    setBusy(true)
    setFailure(null)
    const result = await run({ reason: reason.trim(), confirmPassword: password })
    setBusy(false)
    if (result.ok) {
      setPassword('')
      onDone(result.value)
      return
    }
    setPassword('')
    setFailure(result.error)
  }

  return (
    <form onSubmit={(e) => void submit(e)} noValidate>
      <Stack gap="sm">
        <Alert
          color={color}
          variant="light"
          icon={<Icon size={18} aria-hidden />}
          role="note"
          data-testid="consequence"
          styles={{ message: { fontSize: 'var(--mantine-font-size-sm)' } }}
        >
          {consequence}
        </Alert>
        {children}
        {withReason && (
          <Textarea
            label="Reason"
            description="Recorded in the audit trail with this action"
            required
            autosize
            minRows={2}
            maxRows={5}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            error={attempted ? reasonError : null}
            data-autofocus={children ? undefined : true}
          />
        )}
        {withPassword && (
          <PasswordInput
            label="Your password"
            description="This action asks for the password of the account you are signed in with"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
            error={attempted ? passwordError : null}
          />
        )}
        {failure && <ErrorAlert error={failure} title="Not done" />}
        <Group justify="flex-end" gap="xs" mt="xs">
          <Button variant="default" onClick={onCancel} disabled={busy}>
            Cancel
          </Button>
          <Button type="submit" color={tone === 'danger' ? 'red' : undefined} loading={busy}>
            {confirmLabel}
          </Button>
        </Group>
      </Stack>
    </form>
  )
}
