/**
 * Engine bugs found while writing the identity tests. Each test asserts the intended behaviour and fails
 * against the current engine. This file stays out of the commit so the committed suite is green; see the
 * report for file, line and fix.
 */
import { generateSync } from 'otplib'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DomainError } from '../../src/main/domain-error'
import { verifyHotp, verifyTotp } from '../../src/main/engines/auth/one-time-codes'
import type { Caller } from '../../src/main/ipc/caller'
import type { CallInput, CallName, CallOutput } from '../../src/shared/contract'
import type { CallError } from '../../src/shared/result'
import {
  signedInAdmin,
  STRONG_PASSWORD,
  tempConsole,
  testCaller,
  type TestConsole,
} from '../support/temp-console'
import { expectOk, expectRefusal } from '../support/pipeline-calls'

const HOTP_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'
const TOTP_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP'
const NEW_PASSWORD = 'Velvet-Orbit-Lantern-42#'
const HOUR = 3_600_000

let t: TestConsole
let admin: Caller & { totpSecret: string }
let aliceId: string
let clients = 300
beforeEach(async () => {
  t = await tempConsole()
  admin = await signedInAdmin(t)
  aliceId = t.core.users.idOf('alice')
})
afterEach(() => t.cleanup())

const call = <N extends CallName>(caller: Caller, name: N, input: CallInput<N>): Promise<CallOutput<N>> =>
  expectOk(t.core, caller, name, input)
const refusal = (caller: Caller, name: CallName, input: unknown): Promise<CallError> =>
  expectRefusal(t.core, caller, name, input)
const newCaller = () => testCaller({ client: `ipc:${clients++}` })
const details = (action: string): Record<string, unknown> => {
  const row = t.core.audit.recent(500).entries.find((e) => e.action === action)
  if (!row) throw new Error(`no audit entry for ${action}`)
  return JSON.parse(row.details) as Record<string, unknown>
}
async function createUser(name: string, roles: string[] = ['user']): Promise<string> {
  return (await call(admin, 'users.create', { name, password: STRONG_PASSWORD, roles })).user.id
}

describe('regression 1 — pipeline.ts: the reason an administrator gives is overwritten in the audit entry', () => {
  it('users.lock keeps the stated reason next to the RBAC reason', async () => {
    const bobId = await createUser('bob')
    await call(admin, 'users.lock', { userId: bobId, reason: 'suspicious sign-ins' })
    const d = details('users.lock')
    expect(Object.values(d)).toContain('suspicious sign-ins')
    expect(Object.values(d)).toContain('role admin grants users:update')
  })
})

describe('regression 2 — one-time-codes.ts: the HOTP look-ahead accepts 11 counters, not 10', () => {
  it('after counter c, c+10 is accepted and c+11 is refused', () => {
    const code = (c: number) => generateSync({ strategy: 'hotp', secret: HOTP_SECRET, counter: c, digits: 6 })
    expect(verifyHotp(HOTP_SECRET, code(10), 0)).toBe(10)
    expect(verifyHotp(HOTP_SECRET, code(11), 0)).toBeNull()
  })
})

describe('regression 3 — one-time-codes.ts: a 7- or 8-digit code (allowed by the contract) throws', () => {
  it('verifyTotp and verifyHotp answer null for a code of the wrong length', () => {
    expect(verifyTotp(TOTP_SECRET, '12345678', t.clock.now())).toBeNull()
    expect(verifyHotp(HOTP_SECRET, '1234567', 0)).toBeNull()
  })

  it('sign-in with an 8-digit code is BAD_CREDENTIALS and counts toward the lockout, not INTERNAL', async () => {
    const e = await refusal(newCaller(), 'auth.login', {
      name: 'alice',
      password: STRONG_PASSWORD,
      otp: '12345678',
    })
    expect(e.code).toBe('BAD_CREDENTIALS')
    const row = t.core.db.prepare(`SELECT failed_attempts FROM users WHERE name = 'alice'`).get()
    expect(row).toEqual({ failed_attempts: 1 })
  })
})

describe("BUG 4 — rbac.service.ts: role lookup reads Object.prototype ('constructor')", () => {
  it('an unknown role named constructor grants nothing', () => {
    expect(t.core.rbac.grantsOf('constructor')).toEqual([])
    expect(t.core.rbac.authorize({ userId: 'u', roles: ['constructor'] }, 'quantum:read').allowed).toBe(false)
  })

  it('a custom role named constructor (the contract allows the name) grants its permissions', async () => {
    await call(admin, 'roles.create', {
      name: 'constructor',
      description: 'builds things',
      permissions: ['quantum:read'],
    })
    const bobId = await createUser('bob', [])
    const r = await t.core.invoke(admin, 'users.grantRole', {
      userId: bobId,
      role: 'constructor',
      reason: 'builder',
    })
    expect(r.ok).toBe(true)
    expect(t.core.rbac.authorize({ userId: bobId, roles: ['constructor'] }, 'quantum:read')).toEqual({
      allowed: true,
      reason: 'role constructor grants quantum:read',
    })
  })
})

describe('regression 5 — users.service.ts grantRole: a timed grant replaces a standing one', () => {
  it('granting the last admin a temporary admin role does not leave the console without an admin', async () => {
    const until = new Date(t.clock.now() + HOUR).toISOString()
    try {
      t.core.users.grantRole(aliceId, aliceId, 'admin', until)
    } catch (e) {
      if (!(e instanceof DomainError)) throw e // refusing is one right answer
    }
    t.clock.advance(2 * HOUR)
    expect(t.core.rbac.rolesOf(aliceId)).toContain('admin')
  })

  it('a temporary elevation of a role the account already holds keeps the standing grant', async () => {
    const bobId = await createUser('bob', ['user', 'researcher'])
    // Refusing (CONFLICT) is the chosen answer: a timed grant must not shorten a standing one.
    expect(() =>
      t.core.users.grantRole(aliceId, bobId, 'researcher', new Date(t.clock.now() + HOUR).toISOString()),
    ).toThrow(/without an end/)
    t.clock.advance(2 * HOUR)
    expect(t.core.rbac.rolesOf(bobId)).toEqual(['researcher', 'user'])
  })
})

describe('regression 6 — users.service.ts: users:update alone can take over an administrator', () => {
  it('an account manager without admin permissions cannot reset an admin’s password or MFA', async () => {
    await call(admin, 'roles.create', {
      name: 'helpdesk',
      description: 'resets passwords',
      permissions: ['users:read', 'users:update'],
    })
    await createUser('dana', ['helpdesk'])
    const dana = newCaller()
    await call(dana, 'auth.login', { name: 'dana', password: STRONG_PASSWORD })
    const hash = t.core.auth.byId(aliceId)!.password_hash

    const mfa = await refusal(dana, 'users.resetMfa', {
      userId: aliceId,
      reason: 'she lost her phone',
      confirmPassword: STRONG_PASSWORD,
    })
    expect(mfa.code).toBe('FORBIDDEN')
    expect(t.core.mfa.isEnabled(aliceId)).toBe(true)

    const pw = await refusal(dana, 'users.resetPassword', {
      userId: aliceId,
      newPassword: NEW_PASSWORD,
      reason: 'she asked me to',
    })
    expect(pw.code).toBe('FORBIDDEN')
    expect(t.core.auth.byId(aliceId)!.password_hash).toBe(hash)
  })
})

describe('regression 7 — auth.service.ts: an administrator lock is reported as a failed-attempts lockout', () => {
  it('the refusal does not claim failed attempts', async () => {
    const bobId = await createUser('bob')
    await call(admin, 'users.lock', { userId: bobId, reason: 'left the project' })
    const e = await refusal(newCaller(), 'auth.login', { name: 'bob', password: STRONG_PASSWORD })
    expect(e.code).toBe('LOCKED')
    expect(e.message).not.toContain('failed attempts')
  })
})

describe('regression 8 — handlers.ts: the access review is dated by the wall clock, not the console clock', () => {
  it('generatedAt is the console time', async () => {
    const r = await call(admin, 'users.accessReview', {})
    expect(r.generatedAt).toBe(new Date(t.clock.now()).toISOString())
  })
})

describe('regression 9 — handlers.ts: a refused re-confirmation is audited without its target', () => {
  it('users.delete with a wrong password still names the account it was aimed at, and why', async () => {
    const bobId = await createUser('bob')
    await refusal(admin, 'users.delete', {
      userId: bobId,
      reason: 'left the team',
      confirmPassword: NEW_PASSWORD,
    })
    const row = t.core.audit.recent(1).entries[0]!
    expect(row).toMatchObject({ action: 'users.delete', result: 'failure', resource: `user:${bobId}` })
    expect(JSON.parse(row.details)).toMatchObject({ target: 'bob', reason: 'left the team' })
  })
})

describe('regression 10 — rbac.service.ts: grant expiry compares time strings, so an offset expiry ends at the wrong time', () => {
  it('a grant until 03:00+02:00 (01:00 UTC) is gone at 02:00 UTC', async () => {
    const bobId = await createUser('bob')
    await call(admin, 'users.grantRole', {
      userId: bobId,
      role: 'researcher',
      expiresAt: '2026-01-01T03:00:00+02:00',
      reason: 'night shift',
    })
    t.clock.set(Date.parse('2026-01-01T02:00:00Z'))
    expect(t.core.users.view(bobId).roles).toEqual(['user'])
    expect(t.core.rbac.rolesOf(bobId)).toEqual(['user'])
  })

  it('a grant until 00:30-05:00 (05:30 UTC) still holds at 01:00 UTC', async () => {
    const bobId = await createUser('bob')
    await call(admin, 'users.grantRole', {
      userId: bobId,
      role: 'researcher',
      expiresAt: '2026-01-01T00:30:00-05:00',
      reason: 'night shift',
    })
    t.clock.set(Date.parse('2026-01-01T01:00:00Z'))
    expect(t.core.rbac.rolesOf(bobId)).toEqual(['researcher', 'user'])
  })
})
