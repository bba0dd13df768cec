/**
 * Why an age file could not be read, in the categories of the age test kit, so callers (and tests) can tell a
 * parse error from a wrong key from a damaged payload.
 */
export type AgeFailure = 'header' | 'no-match' | 'hmac' | 'payload' | 'armor' | 'recipient' | 'identity'

export class AgeError extends Error {
  constructor(
    readonly kind: AgeFailure,
    message: string,
  ) {
    super(message)
    this.name = 'AgeError'
  }
}

export const headerError = (what: string): AgeError =>
  new AgeError('header', `The age header is malformed: ${what}. The file is damaged or not an age v1 file.`)
