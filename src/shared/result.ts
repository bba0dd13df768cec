/** Error codes that cross the boundary. Expected failures carry one of these; anything else is INTERNAL. */
export const ERROR_CODES = [
  'BAD_CREDENTIALS',
  'LOCKED',
  'MFA_REQUIRED',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'INVALID_INPUT',
  'CONFLICT',
  'RATE_LIMITED',
  'PAYLOAD_TOO_LARGE',
  'UNKNOWN_CALL',
  'BAD_SENDER',
  'BLOCKED',
  'CANCELLED',
  'UNAVAILABLE',
  'INTERNAL',
] as const

export type ErrorCode = (typeof ERROR_CODES)[number]

export interface CallError {
  code: ErrorCode
  message: string
  /** Optional structured detail that is safe to show (e.g. `lockedUntil`, failing password rules). */
  details?: Record<string, unknown>
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: CallError }

export const ok = <T>(value: T): Result<T> => ({ ok: true, value })
export const err = (code: ErrorCode, message: string, details?: Record<string, unknown>): Result<never> => ({
  ok: false,
  error: details ? { code, message, details } : { code, message },
})
