import { useState } from 'react'
import type { CallOutput } from '../../../../shared/contract'
import type { CallError } from '../../../../shared/result'
import { otpCode } from '../../../../shared/schemas'
import { fieldError } from '../../lib/field-error'
import { callApi } from '../../store/call'

type Enrollment = CallOutput<'mfa.beginEnrollment'>

/**
 * Turning on an authenticator app: begin (a secret and its QR code), then one code from the app confirms it and
 * returns the backup codes, shown once. The code leaves the field after every attempt.
 */
export function useTotpEnrollment() {
  const [enrollment, setEnrollment] = useState<Enrollment | null>(null)
  const [backupCodes, setBackupCodes] = useState<string[] | null>(null)
  const [code, setCode] = useState('')
  const [touched, setTouched] = useState(false)
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
  /** True when two-factor is on (the backup codes are then set). */
  const confirm = async (): Promise<boolean> => {
    setTouched(true)
    if (codeError) return false
    setBusy(true)
    setFailure(null)
    const result = await callApi('mfa.confirmEnrollment', { code: code.replace(/\s/g, '') })
    setBusy(false)
    setCode('')
    setTouched(false)
    if (result.ok) setBackupCodes(result.value.backupCodes)
    else setFailure(result.error)
    return result.ok
  }

  return {
    enrollment,
    backupCodes,
    busy,
    setBusy,
    failure,
    setFailure,
    begin,
    confirm,
    /** Props for the code input. */
    codeField: {
      value: code,
      onChange: (e: { currentTarget: { value: string } }) => setCode(e.currentTarget.value),
      onBlur: () => setTouched(code !== ''),
      error: touched ? codeError : null,
    },
  }
}
