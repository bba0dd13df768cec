import type { ErrorCode } from '../shared/result'

/** 0 success, 1 findings or a failed verification, 2 usage or input error, 3 authentication or permission refused. */
export const EXIT = { ok: 0, findings: 1, usage: 2, denied: 3 } as const

export function exitCodeFor(code: ErrorCode): number {
  switch (code) {
    case 'BAD_CREDENTIALS':
    case 'LOCKED':
    case 'MFA_REQUIRED':
    case 'UNAUTHENTICATED':
    case 'FORBIDDEN':
    case 'RATE_LIMITED':
    case 'BLOCKED':
    case 'BAD_SENDER':
      return EXIT.denied
    default:
      return EXIT.usage
  }
}
