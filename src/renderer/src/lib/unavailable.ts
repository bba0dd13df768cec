import type { Result } from '../../../shared/result'
import { err } from '../../../shared/result'

const describe = (cause: unknown): string => {
  if (cause instanceof Error && cause.message) return cause.message
  if (typeof cause === 'string' && cause) return cause
  return 'no answer'
}

/** A transport failure as a Result, so screens show it like any other error. */
export const unavailable = (cause: unknown, hint: string): Result<never> =>
  err('UNAVAILABLE', `The console did not answer: ${describe(cause)}; ${hint}`)
