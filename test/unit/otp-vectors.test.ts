import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { generateSync, verifySync } from 'otplib'
import { describe, expect, it } from 'vitest'
import { TOTP_PERIOD, totpAt, verifyHotp, verifyTotp } from '../../src/main/engines/auth/one-time-codes'

/**
 * RFC 6238 Appendix B and RFC 4226 Appendix D, transcribed by hand into the shared fixtures (see their
 * SOURCES.md). The fixtures folder sits beside the repository in CI; where it is absent the file is skipped.
 */
const FIXTURE = fileURLToPath(
  new URL('../../../shared/fixtures/vectors/otp/rfc6238_rfc4226_otp_vectors.json', import.meta.url),
)
const present = existsSync(FIXTURE)
if (!present) console.log('otp-vectors: skipped — ../shared/fixtures not present')

type Algorithm = 'sha1' | 'sha256' | 'sha512'

interface TotpVector {
  algorithm: 'SHA1' | 'SHA256' | 'SHA512'
  secret_hex: string
  unix_time: number
  T: number
  period: number
  t0: number
  digits: number
  expected: string
}
interface HotpVector {
  counter: number
  digits: number
  expected: string
}
interface Fixture {
  rfc6238_totp: { vectors: TotpVector[] }
  rfc4226_hotp: { secret_hex: string; vectors: HotpVector[] }
}

const load = (): Fixture => JSON.parse(readFileSync(FIXTURE, 'utf8')) as Fixture
const algorithmOf = (v: TotpVector): Algorithm => v.algorithm.toLowerCase() as Algorithm
const bytesOf = (hex: string): Uint8Array => new Uint8Array(Buffer.from(hex, 'hex'))

/** RFC 4648 base32 (upper case, no padding), as authenticator apps and the console store secrets. */
const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'
function base32(bytes: Uint8Array): string {
  let bits = 0
  let value = 0
  let out = ''
  for (const b of bytes) {
    value = (value << 8) | b
    bits += 8
    while (bits >= 5) {
      out += B32[(value >>> (bits - 5)) & 31]
      bits -= 5
    }
  }
  if (bits > 0) out += B32[(value << (5 - bits)) & 31]
  return out
}

describe.runIf(present)('RFC 6238 / RFC 4226 vectors', () => {
  const fx = present ? load() : null
  const totp = fx?.rfc6238_totp.vectors ?? []
  const hotp = fx?.rfc4226_hotp.vectors ?? []
  const hotpSecret = fx?.rfc4226_hotp.secret_hex ?? ''
  const sha1Totp = totp.filter((v) => v.algorithm === 'SHA1')

  describe('base32 helper', () => {
    it('encodes the RFC 4648 test vectors', () => {
      const cases: [string, string][] = [
        ['', ''],
        ['f', 'MY'],
        ['fo', 'MZXQ'],
        ['foo', 'MZXW6'],
        ['foob', 'MZXW6YQ'],
        ['fooba', 'MZXW6YTB'],
        ['foobar', 'MZXW6YTBOI'],
      ]
      for (const [plain, encoded] of cases) expect(base32(new TextEncoder().encode(plain))).toBe(encoded)
      expect(base32(new TextEncoder().encode('12345678901234567890'))).toBe(
        'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ',
      )
    })
  })

  it('has the 18 TOTP rows and the 10 HOTP rows of the RFCs', () => {
    expect(totp).toHaveLength(18)
    expect(new Set(totp.map((v) => v.algorithm))).toEqual(new Set(['SHA1', 'SHA256', 'SHA512']))
    expect(hotp.map((v) => v.counter)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    for (const v of totp) expect(Math.floor((v.unix_time - v.t0) / v.period)).toBe(v.T)
  })

  describe('otplib reproduces RFC 6238 Appendix B (8 digits, all three hashes)', () => {
    for (const v of totp) {
      it(`${v.algorithm} at ${v.unix_time} → ${v.expected}`, () => {
        const options = {
          secret: bytesOf(v.secret_hex),
          algorithm: algorithmOf(v),
          digits: v.digits,
          epoch: v.unix_time,
          period: v.period,
          t0: v.t0,
        }
        expect(v.digits).toBe(8)
        expect(generateSync(options)).toBe(v.expected)
        expect(verifySync({ ...options, token: v.expected })).toMatchObject({ valid: true, timeStep: v.T })
      })
    }
  })

  describe('otplib reproduces RFC 4226 Appendix D (HOTP, 6 digits)', () => {
    for (const v of hotp) {
      it(`counter ${v.counter} → ${v.expected}`, () => {
        const options = {
          strategy: 'hotp' as const,
          secret: bytesOf(hotpSecret),
          digits: 6,
          counter: v.counter,
        }
        expect(v.digits).toBe(6)
        expect(generateSync(options)).toBe(v.expected)
        // the same secret given as base32 gives the same code
        expect(generateSync({ ...options, secret: base32(bytesOf(hotpSecret)) })).toBe(v.expected)
        expect(verifySync({ ...options, token: v.expected })).toMatchObject({ valid: true, delta: 0 })
      })
    }
  })

  describe("the console's own TOTP functions (SHA-1, 6 digits, 30 s) on the SHA-1 rows", () => {
    for (const v of sha1Totp) {
      const secret = base32(bytesOf(v.secret_hex))
      const six = v.expected.slice(-6)
      const nowMs = v.unix_time * 1000

      it(`at ${v.unix_time}: totpAt gives the last 6 digits ${six}`, () => {
        expect(v.period).toBe(TOTP_PERIOD)
        expect(totpAt(secret, nowMs)).toBe(six)
      })

      it(`at ${v.unix_time}: verifyTotp accepts ${six} at step ${v.T} from one step before to one after`, () => {
        expect(verifyTotp(secret, six, nowMs)).toBe(v.T)
        // the code of step T is still accepted one step later and one step earlier (clock drift)
        expect(verifyTotp(secret, six, nowMs + TOTP_PERIOD * 1000)).toBe(v.T)
        expect(verifyTotp(secret, six, nowMs - TOTP_PERIOD * 1000)).toBe(v.T)
        // but not two steps away
        expect(verifyTotp(secret, six, nowMs + 2 * TOTP_PERIOD * 1000)).toBeNull()
        // (the first row is at 59 s: two steps before it is before 1970, which is no time at all)
        if (nowMs >= 2 * TOTP_PERIOD * 1000)
          expect(verifyTotp(secret, six, nowMs - 2 * TOTP_PERIOD * 1000)).toBeNull()
      })
    }
  })

  describe("the console's HOTP check on RFC 4226 Appendix D", () => {
    const secret = hotpSecret ? base32(bytesOf(hotpSecret)) : ''
    for (const v of hotp) {
      it(`counter ${v.counter}: ${v.expected} is accepted as the next counter and found by look-ahead`, () => {
        // next expected counter is lastCounter + 1
        expect(verifyHotp(secret, v.expected, v.counter - 1)).toBe(v.counter)
        if (v.counter >= 1) expect(verifyHotp(secret, v.expected, 0)).toBe(v.counter)
        // a counter already used is not accepted again
        expect(verifyHotp(secret, v.expected, v.counter)).toBeNull()
      })
    }
  })
})
