import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { TOTP_PERIOD, totpAt } from '../../src/main/engines/auth/one-time-codes'
import type { Caller } from '../../src/main/ipc/caller'
import {
  CALL_NAMES,
  contract,
  type CallInput,
  type CallName,
  type CallOutput,
} from '../../src/shared/contract'
import type { CallError } from '../../src/shared/result'
import { UID, VALID_INPUT } from '../support/valid-inputs'
import {
  signedInAdmin,
  STRONG_PASSWORD,
  tempConsole,
  testCaller,
  type TestConsole,
} from '../support/temp-console'
import { expectOk, expectRefusal } from '../support/pipeline-calls'

const PASSWORDS = [
  'Velvet-Orbit-Lantern-42#',
  'Quiet-Granite-Meadow-77!',
  'Amber-Falcon-Ripple-18?',
  'Copper-Willow-Thunder-63$',
  'Saffron-Glacier-Pulse-29&',
] as const
const MINUTE = 60_000
const TOKEN = /^[A-Za-z0-9_-]{43}$/

let t: TestConsole
let admin: Caller & { totpSecret: string }
let clients = 100
beforeEach(async () => {
  t = await tempConsole()
  admin = await signedInAdmin(t)
})
afterEach(() => t.cleanup())

/** A fresh client (its own rate-limit bucket and session slot). */
const newCaller = (): Caller => testCaller({ client: `ipc:${clients++}` })

const call = <N extends CallName>(caller: Caller, name: N, input: CallInput<N>): Promise<CallOutput<N>> =>
  expectOk(t.core, caller, name, input)
const refusal = (caller: Caller, name: CallName, input: unknown): Promise<CallError> =>
  expectRefusal(t.core, caller, name, input)
const alive = async (caller: Caller): Promise<boolean> => (await t.core.invoke(caller, 'auth.session', {})).ok

async function createUser(name: string, roles: string[] = ['user']): Promise<string> {
  return (await call(admin, 'users.create', { name, password: STRONG_PASSWORD, roles })).user.id
}
async function signIn(
  name: string,
  password = STRONG_PASSWORD,
  extra: { otp?: string; backupCode?: string } = {},
) {
  const caller = newCaller()
  const session = await call(caller, 'auth.login', { name, password, ...extra })
  return { caller, session }
}
const failedAttempts = (name: string): number =>
  (
    t.core.db.prepare(`SELECT failed_attempts FROM users WHERE name = ?`).get(name) as {
      failed_attempts: number
    }
  ).failed_attempts

/** A 6-digit code that is valid at none of the accepted steps around now. */
function wrongCode(secret: string): string {
  const now = t.clock.now()
  const valid = new Set([-1, 0, 1].map((d) => totpAt(secret, now + d * TOTP_PERIOD * 1000)))
  for (let n = 0; ; n++) {
    const c = String(n).padStart(6, '0')
    if (!valid.has(c)) return c
  }
}

describe('token rotation on a role change', () => {
  it('ends the old token, binds a new one to the caller, keeps the absolute expiry', async () => {
    const bobId = await createUser('bob')
    const { caller: bob, session: before } = await signIn('bob')
    const oldToken = bob.sessionToken!
    expect(oldToken).toMatch(TOKEN)
    expect(before.permissions).not.toContain('quantum:update')

    t.clock.advance(MINUTE)
    await call(admin, 'users.grantRole', { userId: bobId, role: 'researcher', reason: 'joins the lab' })

    const after = await call(bob, 'auth.session', {})
    expect(bob.sessionToken).toMatch(TOKEN)
    expect(bob.sessionToken).not.toBe(oldToken)
    expect(after.permissions).toEqual(expect.arrayContaining(['quantum:update', 'consciousness:manage']))
    expect(after.user.roles).toEqual(['researcher', 'user'])
    expect(after.absoluteExpiresAt).toBe(before.absoluteExpiresAt)

    const stolen = testCaller({ client: 'ipc:elsewhere', sessionToken: oldToken })
    expect((await refusal(stolen, 'auth.session', {})).code).toBe('UNAUTHENTICATED')
    expect(stolen.sessionToken).toBeNull()

    // the new token is stable until the next change
    const rotated = bob.sessionToken
    await call(bob, 'auth.session', {})
    expect(bob.sessionToken).toBe(rotated)
    expect(t.core.auth.listSessions(bobId)).toHaveLength(1)
  })

  it('a revoked role is gone at the next call', async () => {
    const bobId = await createUser('bob', ['user', 'researcher'])
    const { caller: bob } = await signIn('bob')
    const oldToken = bob.sessionToken
    await call(admin, 'users.revokeRole', { userId: bobId, role: 'researcher', reason: 'project is over' })
    const s = await call(bob, 'auth.session', {})
    expect(bob.sessionToken).not.toBe(oldToken)
    expect(s.user.roles).toEqual(['user'])
    expect(s.permissions).not.toContain('quantum:update')
  })

  it('a timed elevation rotates the token when granted and again when it expires', async () => {
    const bobId = await createUser('bob')
    const { caller: bob, session: before } = await signIn('bob')
    const until = new Date(t.clock.now() + 30 * MINUTE).toISOString()
    await call(admin, 'users.grantRole', {
      userId: bobId,
      role: 'researcher',
      expiresAt: until,
      reason: 'on-call',
    })
    const t1 = bob.sessionToken
    const during = await call(bob, 'auth.session', {})
    expect(bob.sessionToken).not.toBe(t1)
    expect(during.user.elevations).toEqual([{ role: 'researcher', expiresAt: until }])
    expect(during.permissions).toContain('quantum:synchronize')
    for (let i = 0; i < 3; i++) {
      t.clock.advance(9 * MINUTE)
      expect((await call(bob, 'auth.session', {})).permissions).toContain('quantum:synchronize')
    }
    const t2 = bob.sessionToken
    t.clock.advance(3 * MINUTE)
    const afterExpiry = await call(bob, 'auth.session', {})
    expect(bob.sessionToken).not.toBe(t2)
    expect(afterExpiry.permissions).not.toContain('quantum:synchronize')
    expect(afterExpiry.user.elevations).toEqual([])
    expect(afterExpiry.absoluteExpiresAt).toBe(before.absoluteExpiresAt)
  })
})

describe('password change', () => {
  it('ends the other sessions and keeps the current one', async () => {
    await createUser('bob')
    const { caller: b1 } = await signIn('bob')
    const { caller: b2 } = await signIn('bob')
    const r = await call(b1, 'auth.changePassword', {
      currentPassword: STRONG_PASSWORD,
      newPassword: PASSWORDS[0],
    })
    expect(r).toEqual({ otherSessionsEnded: 1 })
    expect(await alive(b1)).toBe(true)
    expect((await refusal(b2, 'auth.session', {})).code).toBe('UNAUTHENTICATED')
    expect(b2.sessionToken).toBeNull()
    expect((await refusal(newCaller(), 'auth.login', { name: 'bob', password: STRONG_PASSWORD })).code).toBe(
      'BAD_CREDENTIALS',
    )
    await signIn('bob', PASSWORDS[0])
  })

  it('with a wrong current password changes nothing and ends nothing', async () => {
    await createUser('bob')
    const { caller: b1 } = await signIn('bob')
    const { caller: b2 } = await signIn('bob')
    const e = await refusal(b1, 'auth.changePassword', {
      currentPassword: PASSWORDS[1],
      newPassword: PASSWORDS[0],
    })
    expect(e.code).toBe('BAD_CREDENTIALS')
    expect(await alive(b2)).toBe(true)
    await signIn('bob', STRONG_PASSWORD)
  })

  it('refuses the last 5 passwords and accepts the 6th older one', async () => {
    await createUser('bob') // password 0: STRONG_PASSWORD
    const { caller: bob } = await signIn('bob')
    let current: string = STRONG_PASSWORD
    for (const next of PASSWORDS) {
      t.clock.advance(6000) // one auth-class call every 6 s keeps clear of the rate limit
      await call(bob, 'auth.changePassword', { currentPassword: current, newPassword: next })
      current = next
    }
    // the current one and the four before it
    for (const old of PASSWORDS) {
      t.clock.advance(6000)
      const e = await refusal(bob, 'auth.changePassword', { currentPassword: current, newPassword: old })
      expect(e.code, old).toBe('INVALID_INPUT')
      expect(e.details?.failures, old).toEqual([
        { rule: 'history', message: expect.stringContaining('last 5') },
      ])
    }
    t.clock.advance(6000)
    await call(bob, 'auth.changePassword', { currentPassword: current, newPassword: STRONG_PASSWORD })
    await signIn('bob', STRONG_PASSWORD)
  })

  it('still applies the password policy', async () => {
    await createUser('bob')
    const { caller: bob } = await signIn('bob')
    for (const weak of ['short', 'password1234', 'bob-bob-bob-bob-1']) {
      const e = await refusal(bob, 'auth.changePassword', {
        currentPassword: STRONG_PASSWORD,
        newPassword: weak,
      })
      expect(e.code, weak).toBe('INVALID_INPUT')
    }
  })
})

describe('sign out everywhere', () => {
  it('ends every session of the account, this one included, and no other account’s', async () => {
    const bobId = await createUser('bob')
    const callers = [(await signIn('bob')).caller, (await signIn('bob')).caller, (await signIn('bob')).caller]
    expect(t.core.auth.listSessions(bobId)).toHaveLength(3)
    expect(await call(callers[0]!, 'auth.signOutEverywhere', {})).toEqual({ ended: 3 })
    expect(callers[0]!.sessionToken).toBeNull()
    for (const c of callers) expect(await alive(c)).toBe(false)
    expect(t.core.auth.listSessions(bobId)).toEqual([])
    expect(await alive(admin)).toBe(true)
  })
})

describe('limits from the identity settings', () => {
  it('max concurrent sessions: the oldest ends first', async () => {
    await call(admin, 'settings.updateIdentity', { patch: { maxSessionsPerAccount: 2 } })
    await createUser('bob')
    const callers: Caller[] = []
    for (let i = 0; i < 3; i++) {
      callers.push((await signIn('bob')).caller)
      t.clock.advance(1000)
    }
    expect(await Promise.all(callers.map(alive))).toEqual([false, true, true])
    const list = await call(callers[2]!, 'auth.listSessions', {})
    expect(list.sessions).toHaveLength(2)
    expect(list.sessions.filter((s) => s.current)).toHaveLength(1)
  })

  it('idle timeout: a shorter one applies to live sessions at once', async () => {
    await createUser('bob')
    const { caller: bob } = await signIn('bob')
    await call(admin, 'settings.updateIdentity', { patch: { idleTimeoutMinutes: 5 } })
    const s = await call(bob, 'auth.session', {})
    expect(s.idleTimeoutSeconds).toBe(300)
    expect(Date.parse(s.idleExpiresAt) - t.clock.now()).toBe(5 * MINUTE)
    t.clock.advance(5 * MINUTE - 1000)
    expect(await alive(bob)).toBe(true) // and touched
    t.clock.advance(5 * MINUTE - 1000)
    expect(await alive(bob)).toBe(true)
    t.clock.advance(5 * MINUTE)
    expect(await alive(bob)).toBe(false)
  })

  it('idle timeout: a longer one keeps a quiet session alive', async () => {
    await createUser('bob')
    const { caller: bob } = await signIn('bob')
    await call(admin, 'settings.updateIdentity', { patch: { idleTimeoutMinutes: 60 } })
    t.clock.advance(45 * MINUTE)
    expect(await alive(bob)).toBe(true)
    t.clock.advance(60 * MINUTE)
    expect(await alive(bob)).toBe(false)
  })

  it('absolute lifetime: a session signed in after the change ends then, however busy', async () => {
    await call(admin, 'settings.updateIdentity', { patch: { absoluteLifetimeHours: 1 } })
    await createUser('bob')
    const { caller: bob, session } = await signIn('bob')
    expect(Date.parse(session.absoluteExpiresAt) - t.clock.now()).toBe(60 * MINUTE)
    for (let i = 0; i < 5; i++) {
      t.clock.advance(10 * MINUTE)
      expect(await alive(bob), `after ${(i + 1) * 10} min`).toBe(true)
    }
    t.clock.advance(9 * MINUTE)
    const last = await call(bob, 'auth.session', {})
    expect(Date.parse(last.idleExpiresAt)).toBe(Date.parse(session.absoluteExpiresAt)) // idle capped by absolute
    t.clock.advance(MINUTE)
    expect(await alive(bob)).toBe(false)
  })
})

describe('sign-in with MFA', () => {
  it('without a code: MFA_REQUIRED, no session, and not counted as a failure', async () => {
    const caller = newCaller()
    for (let i = 0; i < 6; i++) {
      const e = await refusal(caller, 'auth.login', { name: 'alice', password: STRONG_PASSWORD })
      expect(e.code, `attempt ${i + 1}`).toBe('MFA_REQUIRED')
    }
    expect(caller.sessionToken).toBeNull()
    expect(failedAttempts('alice')).toBe(0)
    const ok = await call(caller, 'auth.login', {
      name: 'alice',
      password: STRONG_PASSWORD,
      otp: totpAt(admin.totpSecret, t.clock.now()),
    })
    expect(ok.secondFactor).toBe('otp')
    expect(caller.sessionToken).toMatch(TOKEN)
  })

  it('a wrong password is refused before any code is asked for', async () => {
    const e = await refusal(newCaller(), 'auth.login', { name: 'alice', password: PASSWORDS[0] })
    expect(e.code).toBe('BAD_CREDENTIALS')
    expect(failedAttempts('alice')).toBe(1)
  })

  it('wrong codes count toward the lockout: the 5th locks, and then even a right code is refused', async () => {
    const codes: string[] = []
    for (let i = 0; i < 5; i++) {
      const e = await refusal(newCaller(), 'auth.login', {
        name: 'alice',
        password: STRONG_PASSWORD,
        otp: wrongCode(admin.totpSecret),
      })
      codes.push(e.code)
      if (i < 4) expect(failedAttempts('alice')).toBe(i + 1)
    }
    expect(codes).toEqual([
      'BAD_CREDENTIALS',
      'BAD_CREDENTIALS',
      'BAD_CREDENTIALS',
      'BAD_CREDENTIALS',
      'LOCKED',
    ])
    const locked = await refusal(newCaller(), 'auth.login', {
      name: 'alice',
      password: STRONG_PASSWORD,
      otp: totpAt(admin.totpSecret, t.clock.now()),
    })
    expect(locked.code).toBe('LOCKED')
    expect(locked.details?.lockedUntil).toBe(new Date(t.clock.now() + 30 * MINUTE).toISOString())
  })

  it('a replayed code is refused and counted', async () => {
    const otp = totpAt(admin.totpSecret, t.clock.now())
    await signIn('alice', STRONG_PASSWORD, { otp })
    const e = await refusal(newCaller(), 'auth.login', { name: 'alice', password: STRONG_PASSWORD, otp })
    expect(e.code).toBe('BAD_CREDENTIALS')
    expect(failedAttempts('alice')).toBe(1)
  })

  it('a backup code works once', async () => {
    const { backupCodes } = await call(admin, 'mfa.regenerateBackupCodes', { password: STRONG_PASSWORD })
    const backupCode = backupCodes[0]!
    const { session } = await signIn('alice', STRONG_PASSWORD, { backupCode })
    expect(session.secondFactor).toBe('backup-code')
    expect(session.restriction).toBeNull()
    const again = await refusal(newCaller(), 'auth.login', {
      name: 'alice',
      password: STRONG_PASSWORD,
      backupCode,
    })
    expect(again.code).toBe('BAD_CREDENTIALS')
    expect(again.details).toEqual({ factor: 'backup-code' })
    expect(failedAttempts('alice')).toBe(1)
    expect((await call(admin, 'mfa.status', {})).backupCodesLeft).toBe(9)
  })
})

/** Calls allowed while a session is restricted to MFA enrollment, as the product intends. */
const DURING_ENROLLMENT: CallName[] = [
  'auth.logout',
  'auth.session',
  'auth.signOutEverywhere',
  'mfa.status',
  'mfa.beginEnrollment',
  'mfa.confirmEnrollment',
]

/** Valid inputs for every call, with real passwords where a call would otherwise act. */
const VALID: Record<CallName, unknown> = {
  ...VALID_INPUT,
  'auth.changePassword': { currentPassword: STRONG_PASSWORD, newPassword: PASSWORDS[0] },
  'mfa.regenerateBackupCodes': { password: STRONG_PASSWORD },
  'mfa.disable': { password: STRONG_PASSWORD },
  'users.create': { name: 'mallory', password: STRONG_PASSWORD, roles: ['admin'] },
  'users.delete': { userId: UID, reason: 'left the team', confirmPassword: STRONG_PASSWORD },
  'users.grantRole': { userId: UID, role: 'admin', reason: 'new project' },
  'users.revokeRole': { userId: UID, role: 'admin', reason: 'project over' },
  'users.resetPassword': { userId: UID, newPassword: PASSWORDS[1], reason: 'forgotten' },
  'users.resetMfa': { userId: UID, reason: 'lost phone', confirmPassword: STRONG_PASSWORD },
}

describe('an account that must use MFA but has no factor', () => {
  it('the contract marks exactly the enrollment calls as allowed during enrollment', () => {
    const marked = CALL_NAMES.filter((n) => {
      const spec: { duringEnrollment?: true } = contract[n]
      return spec.duringEnrollment === true
    })
    expect([...marked].sort()).toEqual([...DURING_ENROLLMENT].sort())
  })

  it('gets a restricted session that can only enroll; enrolling through the pipeline lifts it', async () => {
    const carolId = await createUser('carol', ['admin'])
    const { caller: carol, session } = await signIn('carol')
    expect(session.restriction).toBe('mfa-enrollment')
    expect(session.secondFactor).toBeNull()

    const walked: CallName[] = []
    for (const name of CALL_NAMES) {
      if (contract[name].access === 'public' || DURING_ENROLLMENT.includes(name)) continue
      const e = await refusal(carol, name, VALID[name])
      expect(e.code, name).toBe('MFA_REQUIRED')
      walked.push(name)
    }
    expect(walked.length).toBe(CALL_NAMES.filter((n) => contract[n].access !== 'public').length - 6)
    expect(walked).toEqual(
      expect.arrayContaining(['users.list', 'auth.changePassword', 'settings.updateIdentity']),
    )
    // nothing was done on the way
    expect(t.core.auth.byName('mallory')).toBeUndefined()
    expect(t.core.rbac.listRoles().map((r) => r.name)).not.toContain('auditor')
    expect(t.core.settings.get().lockoutMinutes).toBe(30)
    expect(carol.sessionToken).toMatch(TOKEN)

    expect((await call(carol, 'auth.session', {})).restriction).toBe('mfa-enrollment')
    expect(await call(carol, 'mfa.status', {})).toEqual({
      enabled: false,
      kind: null,
      pendingEnrollment: false,
      backupCodesLeft: 0,
      required: true,
    })

    t.clock.advance(MINUTE) // refill the auth-class bucket used by the walk
    const enrollment = await call(carol, 'mfa.beginEnrollment', {})
    expect(enrollment.kind).toBe('totp')
    expect(enrollment.qrSvg).toMatch(/^<svg/)
    const wrong = await refusal(carol, 'mfa.confirmEnrollment', { code: wrongCode(enrollment.secret) })
    expect(wrong.code).toBe('BAD_CREDENTIALS')
    expect((await call(carol, 'auth.session', {})).restriction).toBe('mfa-enrollment')

    const { backupCodes } = await call(carol, 'mfa.confirmEnrollment', {
      code: totpAt(enrollment.secret, t.clock.now()),
    })
    expect(backupCodes).toHaveLength(10)
    const lifted = await call(carol, 'auth.session', {})
    expect(lifted.restriction).toBeNull()
    expect((await call(carol, 'users.list', {})).users.map((u) => u.name)).toEqual(['alice', 'carol'])
    expect(t.core.mfa.isEnabled(carolId)).toBe(true)

    // from now on carol's sign-in asks for the code, and the session is not restricted
    t.clock.advance(TOTP_PERIOD * 1000)
    expect(
      (await refusal(newCaller(), 'auth.login', { name: 'carol', password: STRONG_PASSWORD })).code,
    ).toBe('MFA_REQUIRED')
    const again = await signIn('carol', STRONG_PASSWORD, { otp: totpAt(enrollment.secret, t.clock.now()) })
    expect(again.session.restriction).toBeNull()
  })

  it('can sign out while restricted', async () => {
    await createUser('carol', ['admin'])
    const { caller: carol } = await signIn('carol')
    expect(await call(carol, 'auth.logout', {})).toEqual({ signedOut: true })
    expect(carol.sessionToken).toBeNull()
  })

  it('an account whose roles do not require MFA is not restricted', async () => {
    await createUser('bob', ['user', 'researcher'])
    const { caller: bob, session } = await signIn('bob')
    expect(session.restriction).toBeNull()
    expect((await call(bob, 'mfa.status', {})).required).toBe(false)
    expect((await call(bob, 'auth.listSessions', {})).sessions).toHaveLength(1)
  })

  it('the roles that require MFA come from the settings', async () => {
    await call(admin, 'settings.updateIdentity', { patch: { mfaRequiredRoles: ['admin', 'researcher'] } })
    await createUser('bob', ['researcher'])
    const { caller: bob, session } = await signIn('bob')
    expect(session.restriction).toBe('mfa-enrollment')
    expect((await refusal(bob, 'auth.listSessions', {})).code).toBe('MFA_REQUIRED')
  })
})
