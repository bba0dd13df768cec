import { useDebouncedValue } from '@mantine/hooks'
import { useEffect, useState } from 'react'
import type { PasswordVerdict } from '../../../../shared/contract'
import type { CallError } from '../../../../shared/result'
import { accountName, email as emailSchema, password as passwordSchema } from '../../../../shared/schemas'
import { fieldError } from '../../lib/field-error'
import { callApi } from '../../store/call'

export type VerdictState =
  | { status: 'idle' }
  | { status: 'checking' }
  | { status: 'ready'; verdict: PasswordVerdict }
  | { status: 'error'; error: CallError }

/**
 * Asks main for the policy verdict ~250 ms after typing stops, passing the account name and e-mail when they
 * are valid so "do not use your name" is checked too. A late answer for an older password is dropped.
 */
export function usePasswordVerdict(password: string, name: string, email: string): VerdictState {
  // Strings, not one object: a fresh object every render would restart the debounce forever.
  const [debouncedPassword] = useDebouncedValue(password, 250)
  const [debouncedName] = useDebouncedValue(name, 250)
  const [debouncedEmail] = useDebouncedValue(email, 250)
  const [settled, setSettled] = useState<{ key: string; state: VerdictState } | null>(null)
  const key = JSON.stringify([debouncedPassword, debouncedName, debouncedEmail])

  useEffect(() => {
    if (debouncedPassword === '') return
    let live = true
    const validName = accountName.safeParse(debouncedName)
    const validEmail = emailSchema.safeParse(debouncedEmail)
    void callApi('auth.evaluatePassword', {
      password: debouncedPassword,
      ...(validName.success ? { name: validName.data } : {}),
      ...(validEmail.success ? { email: validEmail.data } : {}),
    }).then((result) => {
      if (!live) return
      setSettled({
        key,
        state: result.ok
          ? { status: 'ready', verdict: result.value }
          : { status: 'error', error: result.error },
      })
    })
    return () => {
      live = false
    }
  }, [debouncedPassword, debouncedName, debouncedEmail, key])

  if (password === '') return { status: 'idle' }
  if (settled && settled.key === key && debouncedPassword === password) return settled.state
  return { status: 'checking' }
}

/** What is wrong with a new password: the shared schema's message, else the policy's verdict once it is known. */
export function newPasswordError(password: string, verdict: VerdictState): string | null {
  return (
    fieldError(passwordSchema, password) ??
    (verdict.status === 'ready' && !verdict.verdict.acceptable
      ? 'This password does not meet the policy yet; see the rules below.'
      : null)
  )
}
