import { headerError } from './errors'

const B64 = /^[A-Za-z0-9+/]*$/

/** Unpadded standard base64, as age writes it. */
export const b64encode = (data: Uint8Array): string => Buffer.from(data).toString('base64').replace(/=+$/, '')

/**
 * Strict decoding: only the base64 alphabet, no padding, and canonical (the unused low bits are zero), so every
 * value has exactly one encoding and a header cannot be altered without changing its MAC input.
 */
export function b64decode(text: string, what: string): Buffer {
  if (!B64.test(text) || text.length % 4 === 1) throw headerError(`${what} is not valid unpadded base64`)
  const bytes = Buffer.from(text, 'base64')
  if (b64encode(bytes) !== text) throw headerError(`${what} is not canonical base64`)
  return bytes
}
