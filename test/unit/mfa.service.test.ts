import { generateSync } from 'otplib'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DomainError } from '../../src/main/domain-error'
import type { MfaService } from '../../src/main/engines/auth/mfa.service'
import { TOTP_PERIOD, totpAt } from '../../src/main/engines/auth/one-time-codes'
import { addAccount, STRONG_PASSWORD, tempConsole, type TestConsole } from '../support/temp-console'

/** Fixed secrets (20 bytes each), so every code in this file is the same on every run. */
const TOTP_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP'
const HOTP_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ' // RFC 4226's "12345678901234567890"
const STEP_MS = TOTP_PERIOD * 1000
const BOB = 'id-bob' // addAccount's id for "bob"

const hotpAt = (secret: string, counter: number): string =>
  generateSync({ strategy: 'hotp', secret, counter, digits: 6 })
const stepOf = (ms: number): number => Math.floor(ms / STEP_MS)
const codeForStep = (secret: string, step: number): string => totpAt(secret, step * STEP_MS)

const refusal = (f: () => unknown): DomainError => {
  try {
    f()
  } catch (e) {
    if (e instanceof DomainError) return e
    throw e
  }
  throw new Error('expected a refusal')
}

interface FactorDump {
  kind: string
  secret_sealed: Uint8Array
  confirmed_at: string | null
  last_counter: number
}

let t: TestConsole
let mfa: MfaService
beforeEach(async () => {
  t = await tempConsole()
  mfa = t.core.mfa
  await addAccount(t, 'bob', ['user'])
})
afterEach(() => t.cleanup())

const factorRow = (userId = BOB) =>
  t.core.db.prepare(`SELECT * FROM mfa_factors WHERE user_id = ?`).get(userId) as FactorDump | undefined
const backupRows = (userId = BOB) =>
  t.core.db.prepare(`SELECT * FROM backup_codes WHERE user_id = ?`).all(userId) as {
    code_mac: string
    used_at: string | null
  }[]

/** Enroll bob with the fixed TOTP secret and confirm at the current step; returns the backup codes. */
const enrollTotp = (): string[] => {
  mfa.begin(BOB, 'bob', 'totp', TOTP_SECRET)
  return mfa.confirm(BOB, totpAt(TOTP_SECRET, t.clock.now()))
}

describe('TOTP enrollment', () => {
  it('is not on until a valid code confirms it', async () => {
    const e = mfa.begin(BOB, 'bob', 'totp', TOTP_SECRET)
    expect(e).toMatchObject({ kind: 'totp', secret: TOTP_SECRET })
    expect(e.otpauthUri).toMatch(/^otpauth:\/\/totp\/.*bob\?.*secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP/)
    expect(mfa.status(BOB)).toEqual({
      enabled: false,
      kind: null,
      pendingEnrollment: true,
      backupCodesLeft: 0,
    })
    expect(mfa.isEnabled(BOB)).toBe(false)
    // an unconfirmed factor proves nothing and is not asked for at sign-in
    expect(mfa.verify(BOB, { otp: totpAt(TOTP_SECRET, t.clock.now()) })).toBeNull()
    const login = await t.core.auth.login('bob', STRONG_PASSWORD, 'c')
    expect(login.secondFactor).toBeNull()
  })

  it('a new secret each time when none is given (base32, 20 bytes)', () => {
    const a = mfa.begin(BOB, 'bob').secret
    const b = mfa.begin(BOB, 'bob').secret
    expect(a).toMatch(/^[A-Z2-7]{32}$/)
    expect(b).toMatch(/^[A-Z2-7]{32}$/)
    expect(a).not.toBe(b)
  })

  it('refuses a wrong code and stays off', () => {
    mfa.begin(BOB, 'bob', 'totp', TOTP_SECRET)
    const now = stepOf(t.clock.now())
    const wrong = codeForStep(TOTP_SECRET, now + 5)
    expect(refusal(() => mfa.confirm(BOB, wrong)).code).toBe('BAD_CREDENTIALS')
    expect(mfa.status(BOB)).toMatchObject({ enabled: false, pendingEnrollment: true })
    expect(factorRow()?.confirmed_at).toBeNull()
  })

  it('returns 10 distinct backup codes once confirmed, and then it is on', () => {
    const codes = enrollTotp()
    expect(codes).toHaveLength(10)
    expect(new Set(codes).size).toBe(10)
    for (const c of codes) expect(c).toMatch(/^[a-km-z2-9]{5}-[a-km-z2-9]{5}$/)
    expect(mfa.status(BOB)).toEqual({
      enabled: true,
      kind: 'totp',
      pendingEnrollment: false,
      backupCodesLeft: 10,
    })
    // backup codes are kept as keyed hashes only
    const stored = JSON.stringify(backupRows())
    for (const c of codes) {
      expect(stored).not.toContain(c)
      expect(stored).not.toContain(c.replace('-', ''))
    }
  })

  it('cannot be confirmed twice or restarted while on', () => {
    enrollTotp()
    expect(refusal(() => mfa.confirm(BOB, totpAt(TOTP_SECRET, t.clock.now()))).code).toBe('CONFLICT')
    expect(refusal(() => mfa.begin(BOB, 'bob')).code).toBe('CONFLICT')
  })

  it('cannot be confirmed without an enrollment', () => {
    expect(refusal(() => mfa.confirm(BOB, '123456')).code).toBe('CONFLICT')
  })
})

describe('TOTP verification', () => {
  beforeEach(() => {
    enrollTotp()
    // well past the confirming step, in the middle of a step
    t.clock.advance(10 * STEP_MS + 15_000)
  })

  it('accepts the codes of one step before, the current step and one step after', () => {
    const s = stepOf(t.clock.now())
    expect(mfa.verify(BOB, { otp: codeForStep(TOTP_SECRET, s - 1) })).toBe('otp')
    expect(mfa.verify(BOB, { otp: codeForStep(TOTP_SECRET, s) })).toBe('otp')
    expect(mfa.verify(BOB, { otp: codeForStep(TOTP_SECRET, s + 1) })).toBe('otp')
    expect(factorRow()?.last_counter).toBe(s + 1)
  })

  it('refuses the codes of two steps before and two steps after', () => {
    const s = stepOf(t.clock.now())
    expect(mfa.verify(BOB, { otp: codeForStep(TOTP_SECRET, s - 2) })).toBeNull()
    expect(mfa.verify(BOB, { otp: codeForStep(TOTP_SECRET, s + 2) })).toBeNull()
    // and at a step boundary too
    t.clock.set((s + 3) * STEP_MS)
    expect(mfa.verify(BOB, { otp: codeForStep(TOTP_SECRET, s + 1) })).toBeNull()
    expect(mfa.verify(BOB, { otp: codeForStep(TOTP_SECRET, s + 5) })).toBeNull()
    expect(mfa.verify(BOB, { otp: codeForStep(TOTP_SECRET, s + 2) })).toBe('otp')
  })

  it('refuses the same code a second time (replay)', () => {
    const code = totpAt(TOTP_SECRET, t.clock.now())
    expect(mfa.verify(BOB, { otp: code })).toBe('otp')
    expect(mfa.verify(BOB, { otp: code })).toBeNull()
    // still refused later in the same step and in the next one
    t.clock.advance(10_000)
    expect(mfa.verify(BOB, { otp: code })).toBeNull()
    t.clock.advance(STEP_MS)
    expect(mfa.verify(BOB, { otp: code })).toBeNull()
  })

  it('refuses an older step once a newer one was used', () => {
    const s = stepOf(t.clock.now())
    expect(mfa.verify(BOB, { otp: codeForStep(TOTP_SECRET, s + 1) })).toBe('otp')
    expect(mfa.verify(BOB, { otp: codeForStep(TOTP_SECRET, s) })).toBeNull()
    expect(mfa.verify(BOB, { otp: codeForStep(TOTP_SECRET, s - 1) })).toBeNull()
  })

  it('refuses the code that confirmed the enrollment', () => {
    t.clock.set(Date.parse('2026-01-01T00:00:00Z'))
    expect(mfa.verify(BOB, { otp: totpAt(TOTP_SECRET, t.clock.now()) })).toBeNull()
  })

  it('refuses a code of another secret', () => {
    expect(mfa.verify(BOB, { otp: totpAt(HOTP_SECRET, t.clock.now()) })).toBeNull()
  })

  it('proves nothing for an account without a factor', () => {
    expect(mfa.verify('id-nobody', { otp: '123456' })).toBeNull()
    expect(mfa.verify(BOB, {})).toBeNull()
  })
})

describe('backup codes', () => {
  it('each works once', () => {
    const codes = enrollTotp()
    const [first, second] = codes
    expect(mfa.verify(BOB, { backupCode: first! })).toBe('backup-code')
    expect(mfa.verify(BOB, { backupCode: first! })).toBeNull()
    expect(mfa.verify(BOB, { backupCode: second! })).toBe('backup-code')
    expect(mfa.status(BOB).backupCodesLeft).toBe(8)
    expect(backupRows().filter((r) => r.used_at !== null)).toHaveLength(2)
  })

  it('ignore case, dashes and spaces', () => {
    const codes = enrollTotp()
    expect(mfa.verify(BOB, { backupCode: codes[0]!.toUpperCase() })).toBe('backup-code')
    expect(mfa.verify(BOB, { backupCode: codes[1]!.replace('-', '') })).toBe('backup-code')
    expect(
      mfa.verify(BOB, { backupCode: ` ${codes[2]!.slice(0, 5)} ${codes[2]!.slice(6).toUpperCase()} ` }),
    ).toBe('backup-code')
    // spent in one spelling, spent in all
    expect(mfa.verify(BOB, { backupCode: codes[0]! })).toBeNull()
    expect(mfa.status(BOB).backupCodesLeft).toBe(7)
  })

  it('are bound to their account', async () => {
    const codes = enrollTotp()
    await addAccount(t, 'carol', ['user'])
    mfa.begin('id-carol', 'carol', 'totp', TOTP_SECRET)
    mfa.confirm('id-carol', totpAt(TOTP_SECRET, t.clock.now()))
    expect(mfa.verify('id-carol', { backupCode: codes[0]! })).toBeNull()
    expect(mfa.verify(BOB, { backupCode: codes[0]! })).toBe('backup-code')
  })

  it('regenerating voids the old ones', () => {
    const old = enrollTotp()
    mfa.verify(BOB, { backupCode: old[0]! })
    const fresh = mfa.regenerateBackupCodes(BOB)
    expect(fresh).toHaveLength(10)
    expect(fresh.filter((c) => old.includes(c))).toEqual([])
    expect(mfa.status(BOB).backupCodesLeft).toBe(10)
    for (const c of old) expect(mfa.verify(BOB, { backupCode: c })).toBeNull()
    expect(mfa.verify(BOB, { backupCode: fresh[3]! })).toBe('backup-code')
  })

  it('cannot be regenerated while MFA is off', () => {
    expect(refusal(() => mfa.regenerateBackupCodes(BOB)).code).toBe('CONFLICT')
    mfa.begin(BOB, 'bob', 'totp', TOTP_SECRET)
    expect(refusal(() => mfa.regenerateBackupCodes(BOB)).code).toBe('CONFLICT')
  })
})

describe('HOTP (hardware tokens)', () => {
  beforeEach(() => {
    mfa.begin(BOB, 'bob', 'hotp', HOTP_SECRET)
  })

  it('is confirmed with the token’s first code and reports its kind', () => {
    expect(mfa.begin(BOB, 'bob', 'hotp', HOTP_SECRET).otpauthUri).toMatch(/^otpauth:\/\/hotp\/.*counter=0/)
    expect(hotpAt(HOTP_SECRET, 0)).toBe('755224') // RFC 4226 Appendix D
    expect(mfa.confirm(BOB, '755224')).toHaveLength(10)
    expect(mfa.status(BOB)).toMatchObject({ enabled: true, kind: 'hotp' })
    expect(factorRow()?.last_counter).toBe(0)
  })

  it('accepts the next counter and a skipped-ahead one within the look-ahead, moving the counter', () => {
    mfa.confirm(BOB, hotpAt(HOTP_SECRET, 0))
    expect(mfa.verify(BOB, { otp: hotpAt(HOTP_SECRET, 1) })).toBe('otp')
    expect(factorRow()?.last_counter).toBe(1)
    // the button was pressed nine times without signing in: counter 1 + 10 is still found
    expect(mfa.verify(BOB, { otp: hotpAt(HOTP_SECRET, 11) })).toBe('otp')
    expect(factorRow()?.last_counter).toBe(11)
    for (let c = 12; c <= 21; c++) {
      const last = c - 1
      expect(mfa.verify(BOB, { otp: hotpAt(HOTP_SECRET, c) }), `counter ${c} after ${last}`).toBe('otp')
    }
  })

  it('refuses a counter far beyond the look-ahead', () => {
    mfa.confirm(BOB, hotpAt(HOTP_SECRET, 0))
    expect(mfa.verify(BOB, { otp: hotpAt(HOTP_SECRET, 12) })).toBeNull()
    expect(mfa.verify(BOB, { otp: hotpAt(HOTP_SECRET, 50) })).toBeNull()
    expect(factorRow()?.last_counter).toBe(0)
  })

  it('refuses a code used before and any older counter', () => {
    mfa.confirm(BOB, hotpAt(HOTP_SECRET, 0))
    expect(mfa.verify(BOB, { otp: hotpAt(HOTP_SECRET, 0) })).toBeNull()
    expect(mfa.verify(BOB, { otp: hotpAt(HOTP_SECRET, 3) })).toBe('otp')
    expect(mfa.verify(BOB, { otp: hotpAt(HOTP_SECRET, 3) })).toBeNull()
    expect(mfa.verify(BOB, { otp: hotpAt(HOTP_SECRET, 2) })).toBeNull()
    expect(mfa.verify(BOB, { otp: hotpAt(HOTP_SECRET, 1) })).toBeNull()
    expect(factorRow()?.last_counter).toBe(3)
  })

  it('does not depend on the time', () => {
    mfa.confirm(BOB, hotpAt(HOTP_SECRET, 0))
    t.clock.advance(365 * 86_400_000)
    expect(mfa.verify(BOB, { otp: hotpAt(HOTP_SECRET, 1) })).toBe('otp')
  })
})

describe('secrets at rest', () => {
  it('the database holds the secret sealed, not in base32 nor as raw bytes', () => {
    enrollTotp()
    const row = factorRow()!
    const sealed = Buffer.from(row.secret_sealed)
    expect(sealed.includes(Buffer.from(TOTP_SECRET))).toBe(false)
    expect(sealed.includes(Buffer.from(TOTP_SECRET.toLowerCase()))).toBe(false)
    expect(sealed.includes(Buffer.from('JBSWY3DPEHPK3PXP'))).toBe(false)
    // 24-byte nonce + 32-byte secret text + 16-byte tag
    expect(sealed.length).toBe(24 + TOTP_SECRET.length + 16)
    const dump = JSON.stringify(t.core.db.prepare(`SELECT * FROM mfa_factors`).all())
    expect(dump).not.toContain(TOTP_SECRET)
  })

  it('each enrollment seals with a fresh nonce', () => {
    mfa.begin(BOB, 'bob', 'totp', TOTP_SECRET)
    const a = Buffer.from(factorRow()!.secret_sealed)
    mfa.begin(BOB, 'bob', 'totp', TOTP_SECRET)
    const b = Buffer.from(factorRow()!.secret_sealed)
    expect(a.equals(b)).toBe(false)
  })

  const outcome = (f: () => 'otp' | 'backup-code' | null): string => {
    try {
      return f() ?? 'refused'
    } catch {
      return 'threw'
    }
  }

  it('a tampered sealed secret never verifies', () => {
    enrollTotp()
    t.clock.advance(STEP_MS)
    const row = factorRow()!
    for (const at of [0, 30, row.secret_sealed.length - 1]) {
      const bad = Buffer.from(row.secret_sealed)
      bad[at] = bad[at]! ^ 0x01
      t.core.db.prepare(`UPDATE mfa_factors SET secret_sealed = ? WHERE user_id = ?`).run(bad, BOB)
      expect(['threw', 'refused'], `byte ${at}`).toContain(
        outcome(() => mfa.verify(BOB, { otp: totpAt(TOTP_SECRET, t.clock.now()) })),
      )
    }
    expect(factorRow()!.last_counter).toBe(stepOf(Date.parse('2026-01-01T00:00:00Z')))
  })

  it("another account's sealed secret does not open for this one", async () => {
    enrollTotp()
    await addAccount(t, 'carol', ['user'])
    mfa.begin('id-carol', 'carol', 'totp', HOTP_SECRET)
    mfa.confirm('id-carol', totpAt(HOTP_SECRET, t.clock.now()))
    t.clock.advance(STEP_MS)
    t.core.db
      .prepare(`UPDATE mfa_factors SET secret_sealed = ? WHERE user_id = 'id-carol'`)
      .run(Buffer.from(factorRow()!.secret_sealed))
    expect(['threw', 'refused']).toContain(
      outcome(() => mfa.verify('id-carol', { otp: totpAt(TOTP_SECRET, t.clock.now()) })),
    )
  })
})

describe('removing the factor', () => {
  it('clears the factor and its backup codes', () => {
    const codes = enrollTotp()
    expect(backupRows()).toHaveLength(10)
    expect(mfa.remove(BOB)).toBe(true)
    expect(factorRow()).toBeUndefined()
    expect(backupRows()).toEqual([])
    expect(mfa.status(BOB)).toEqual({
      enabled: false,
      kind: null,
      pendingEnrollment: false,
      backupCodesLeft: 0,
    })
    expect(mfa.verify(BOB, { backupCode: codes[0]! })).toBeNull()
    t.clock.advance(STEP_MS)
    expect(mfa.verify(BOB, { otp: totpAt(TOTP_SECRET, t.clock.now()) })).toBeNull()
    expect(mfa.remove(BOB)).toBe(false)
  })

  it('a pending enrollment can be removed too, and enrollment can start again', () => {
    mfa.begin(BOB, 'bob', 'totp', TOTP_SECRET)
    expect(mfa.remove(BOB)).toBe(true)
    expect(mfa.status(BOB).pendingEnrollment).toBe(false)
    expect(mfa.begin(BOB, 'bob', 'hotp', HOTP_SECRET).kind).toBe('hotp')
  })
})
