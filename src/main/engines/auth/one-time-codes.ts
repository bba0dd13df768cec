import { generateSecret, generateSync, generateURI, verifySync } from 'otplib'
import { randomBytes } from '../../crypto/primitives'

/** TOTP per RFC 6238 as authenticator apps use it: SHA-1, 6 digits, 30 s. */
export const TOTP_PERIOD = 30
export const TOTP_DIGITS = 6
export const ISSUER = 'QQ-Verse Console'

export const newOtpSecret = (): string => generateSecret({ length: 20 })

export const otpauthUri = (kind: 'totp' | 'hotp', account: string, secret: string): string =>
  kind === 'totp'
    ? generateURI({ issuer: ISSUER, label: account, secret })
    : generateURI({ strategy: 'hotp', issuer: ISSUER, label: account, secret, counter: 0 })

/**
 * Check a TOTP code at ±1 time step. Returns the matched time step, so the caller can refuse a code
 * whose step was already used (replay), or null.
 */
export function verifyTotp(secret: string, code: string, nowMs: number): number | null {
  if (!/^\d{6}$/.test(code)) return null // otplib throws on other lengths; a wrong code is just wrong
  const epoch = Math.floor(nowMs / 1000)
  const r = verifySync({
    secret,
    token: code,
    epoch,
    epochTolerance: TOTP_PERIOD,
    period: TOTP_PERIOD,
    digits: TOTP_DIGITS,
  })
  if (!r.valid || !('timeStep' in r)) return null
  return r.timeStep
}

export const totpAt = (secret: string, nowMs: number): string =>
  generateSync({ secret, epoch: Math.floor(nowMs / 1000), period: TOTP_PERIOD, digits: TOTP_DIGITS })

/** HOTP (RFC 4226) for hardware tokens: accept the next 10 counters after the last used one (resync window). */
export const HOTP_LOOK_AHEAD = 10
export function verifyHotp(secret: string, code: string, lastCounter: number): number | null {
  if (!/^\d{6}$/.test(code)) return null
  const next = lastCounter + 1
  // next .. next + LOOK_AHEAD - 1: ten counters after the last used one
  const r = verifySync({
    strategy: 'hotp',
    secret,
    token: code,
    counter: next,
    counterTolerance: [0, HOTP_LOOK_AHEAD - 1],
  })
  if (!r.valid) return null
  return next + r.delta
}

/** Ten single-use backup codes, 10 base32 characters (50 bits) each, shown as xxxxx-xxxxx. */
const ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789'
export function newBackupCodes(count = 10): string[] {
  return Array.from({ length: count }, () => {
    const bytes = randomBytes(10)
    const chars = [...bytes].map((b) => ALPHABET[b & 31]).join('')
    return `${chars.slice(0, 5)}-${chars.slice(5)}`
  })
}

/** Normalize what a user typed: case, spaces and dashes do not matter. */
export const normalizeBackupCode = (code: string): string => code.toLowerCase().replace(/[\s-]/g, '')
