import { DomainError } from '../../src/main/domain-error'

/** The DomainError a promise rejects with; fails the test if it resolves or rejects with anything else. */
export async function refusal(p: Promise<unknown>): Promise<DomainError> {
  try {
    await p
  } catch (e) {
    if (e instanceof DomainError) return e
    throw e
  }
  throw new Error('expected a refusal')
}

/** The DomainError a function throws; fails the test if it returns or throws anything else. */
export function refusalSync(fn: () => unknown): DomainError {
  try {
    fn()
  } catch (e) {
    if (e instanceof DomainError) return e
    throw e
  }
  throw new Error('expected a refusal')
}
