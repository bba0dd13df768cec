import type { ErrorCode } from '../shared/result'

/** An expected failure: crosses the boundary as `{ code, message }`. Anything else thrown is a bug (INTERNAL). */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message)
    this.name = 'DomainError'
  }
}

export const isDomainError = (e: unknown): e is DomainError => e instanceof DomainError
