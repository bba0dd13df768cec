import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { AuditRow } from '../../src/main/engines/audit/audit-log'
import { totpAt } from '../../src/main/engines/auth/one-time-codes'
import type { Caller } from '../../src/main/ipc/caller'
import type { CallInput, CallName, CallOutput } from '../../src/shared/contract'
import { DEFAULT_IDENTITY_SETTINGS } from '../../src/shared/identity-settings'
import type { CallError } from '../../src/shared/result'
import {
  signedInAdmin,
  STRONG_PASSWORD,
  tempConsole,
  testCaller,
  type TestConsole,
} from '../support/temp-console'
import { expectOk, expectRefusal } from '../support/pipeline-calls'

const NEW_PASSWORD = 'Velvet-Orbit-Lantern-42#'

let t: TestConsole
let admin: Caller & { totpSecret: string }
let aliceId: string
let clients = 200
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
/** The newest audit entry of a call, with its details parsed. */
function entry(action: string): Omit<AuditRow, 'details'> & { details: Record<string, unknown> } {
  const row = t.core.audit.recent(500).entries.find((e) => e.action === action)
  if (!row) throw new Error(`no audit entry for ${action}`)
  return { ...row, details: JSON.parse(row.details) as Record<string, unknown> }
}
const auditCount = () => t.core.audit.recent(1).total
async function createUser(name: string, roles: string[] = ['user']): Promise<string> {
  return (await call(admin, 'users.create', { name, password: STRONG_PASSWORD, roles })).user.id
}
async function signIn(name: string, extra: { otp?: string } = {}): Promise<Caller> {
  const caller = testCaller({ client: `ipc:${clients++}` })
  await call(caller, 'auth.login', { name, password: STRONG_PASSWORD, ...extra })
  return caller
}

describe('audit entries of identity calls', () => {
  it('users.create names the actor and the new account', async () => {
    const bobId = await createUser('bob', ['user', 'researcher'])
    const e = entry('users.create')
    expect(e).toMatchObject({
      actor: 'alice',
      resource: `user:${bobId}`,
      result: 'success',
      type: 'configuration',
    })
    expect(e.details).toMatchObject({
      target: 'bob',
      roles: ['researcher', 'user'],
      authorization: 'role admin grants users:create',
      transport: 'ipc',
    })
    expect(JSON.stringify(e)).not.toContain(STRONG_PASSWORD)
  })

  it('account changes name the actor, the target account and why they were allowed', async () => {
    const bobId = await createUser('bob')
    const cases: [CallName, Record<string, unknown>, Record<string, unknown>][] = [
      ['users.lock', { userId: bobId, reason: 'suspicious sign-ins' }, {}],
      ['users.unlock', { userId: bobId, reason: 'cleared by security' }, {}],
      [
        'users.grantRole',
        { userId: bobId, role: 'researcher', reason: 'joins the lab', expiresAt: '2026-02-01T00:00:00.000Z' },
        { role: 'researcher', expiresAt: '2026-02-01T00:00:00.000Z' },
      ],
      [
        'users.revokeRole',
        { userId: bobId, role: 'researcher', reason: 'left the lab' },
        { role: 'researcher' },
      ],
      ['users.resetPassword', { userId: bobId, newPassword: NEW_PASSWORD, reason: 'forgot it' }, {}],
      ['users.listSessions', { userId: bobId }, {}],
      ['users.revokeSessions', { userId: bobId }, { ended: 0 }],
    ]
    for (const [name, input, extra] of cases) {
      const r = await t.core.invoke(admin, name, input)
      expect(r.ok, name).toBe(true)
      const e = entry(name)
      expect(e, name).toMatchObject({
        actor: 'alice',
        resource: `user:${bobId}`,
        result: 'success',
        client: 'ipc:1',
      })
      expect(e.details, name).toMatchObject({ target: 'bob', ...extra })
      expect(JSON.stringify(e.details), name).toContain(`grants users:`)
      expect(JSON.stringify(e.details), name).not.toContain(NEW_PASSWORD)
    }
  })

  it('an MFA reset and a deletion name the target; the confirming password is never recorded', async () => {
    const carolId = await createUser('carol', ['admin'])
    t.core.mfa.enrollNow(carolId, 'carol')
    await call(admin, 'users.resetMfa', {
      userId: carolId,
      reason: 'lost her phone',
      confirmPassword: STRONG_PASSWORD,
    })
    expect(entry('users.resetMfa')).toMatchObject({
      actor: 'alice',
      resource: `user:${carolId}`,
      result: 'success',
    })
    expect(entry('users.resetMfa').details).toMatchObject({ target: 'carol' })

    expect(
      await call(admin, 'users.delete', {
        userId: carolId,
        reason: 'left the company',
        confirmPassword: STRONG_PASSWORD,
      }),
    ).toEqual({ deleted: 'carol' })
    const del = entry('users.delete')
    expect(del).toMatchObject({
      actor: 'alice',
      resource: `user:${carolId}`,
      result: 'success',
      type: 'configuration',
    })
    expect(del.details).toMatchObject({ target: 'carol' })
    const dump = JSON.stringify(t.core.db.prepare(`SELECT * FROM audit_log`).all())
    expect(dump).not.toContain(STRONG_PASSWORD)
  })

  it('roles.create and settings.updateIdentity say what changed', async () => {
    await call(admin, 'roles.create', {
      name: 'auditor',
      description: 'reads logs',
      permissions: ['system:monitor'],
    })
    expect(entry('roles.create')).toMatchObject({
      actor: 'alice',
      resource: 'role:auditor',
      result: 'success',
    })
    expect(entry('roles.create').details).toMatchObject({ permissions: ['system:monitor'] })

    await call(admin, 'settings.updateIdentity', { patch: { lockoutMinutes: 10, maxFailedAttempts: 5 } })
    expect(entry('settings.updateIdentity')).toMatchObject({ actor: 'alice', result: 'success' })
    expect(entry('settings.updateIdentity').details).toMatchObject({
      changed: ['lockoutMinutes'],
      patch: { lockoutMinutes: 10, maxFailedAttempts: 5 },
      authorization: 'role admin grants system:configure',
    })
  })

  it('sign-in and password change record the account, never the secrets', async () => {
    await createUser('bob')
    const bob = await signIn('bob')
    const login = entry('auth.login')
    expect(login).toMatchObject({ actor: 'bob', result: 'success', type: 'authentication' })
    expect(login.details).toMatchObject({
      secondFactor: null,
      restriction: null,
      session: expect.stringMatching(/^[0-9a-f]{12}$/),
    })
    await call(bob, 'auth.changePassword', { currentPassword: STRONG_PASSWORD, newPassword: NEW_PASSWORD })
    expect(entry('auth.changePassword')).toMatchObject({ actor: 'bob', result: 'success' })
    expect(entry('auth.changePassword').details).toMatchObject({ otherSessionsEnded: 0 })
    const dump = JSON.stringify(t.core.db.prepare(`SELECT * FROM audit_log`).all())
    expect(dump).not.toContain(NEW_PASSWORD)
    expect(dump).not.toContain(bob.sessionToken!)
    expect(t.core.audit.verify().ok).toBe(true)
  })

  it('a failed sign-in names the account it was for', async () => {
    const e = await refusal(testCaller({ client: 'ipc:77' }), 'auth.login', {
      name: 'alice',
      password: NEW_PASSWORD,
    })
    expect(e.code).toBe('BAD_CREDENTIALS')
    expect(entry('auth.login')).toMatchObject({ actor: 'alice', result: 'failure', client: 'ipc:77' })
    expect(entry('auth.login').details).toMatchObject({ code: 'BAD_CREDENTIALS' })
  })
})

describe('denials', () => {
  it('carry the RBAC reason in the audit entry and in the message shown to the user', async () => {
    const bobId = await createUser('bob')
    const bob = await signIn('bob')
    const before = t.core.users.view(aliceId)
    const e = await refusal(bob, 'users.lock', { userId: aliceId, reason: 'taking over' })
    expect(e).toEqual({
      code: 'FORBIDDEN',
      message: 'You do not have permission for this: no role of this account grants users:update.',
      details: { reason: 'no role of this account grants users:update' },
    })
    const a = entry('users.lock')
    expect(a).toMatchObject({ actor: 'bob', result: 'failure', risk: 'medium' })
    expect(a.details).toMatchObject({
      code: 'FORBIDDEN',
      authorization: 'no role of this account grants users:update',
    })
    expect(t.core.users.view(aliceId)).toEqual(before)
    expect(t.core.users.view(bobId).roles).toEqual(['user'])
  })

  it('a time window denial says which window and the hour there', async () => {
    await call(admin, 'settings.updateIdentity', {
      patch: {
        timeZone: 'America/New_York',
        permissionWindows: { 'users:read': { fromHour: 9, toHour: 17 } },
      },
    })
    // 2026-01-01T00:00:30Z is 19:00 on New Year's Eve in New York
    const e = await refusal(admin, 'users.list', {})
    expect(e.code).toBe('FORBIDDEN')
    expect(e.message).toBe(
      'You do not have permission for this: users:read is allowed only 09:00–17:00 (America/New_York); it is 19:xx there.',
    )
    expect(entry('users.list').details).toMatchObject({
      authorization: expect.stringContaining('09:00–17:00'),
    })
    t.clock.set(Date.parse('2026-01-01T14:30:00Z')) // 09:30 in New York; a new sign-in is needed after 14 h
    const fresh = await signIn('alice', { otp: totpAt(admin.totpSecret, t.clock.now()) })
    expect((await t.core.invoke(fresh, 'users.list', {})).ok).toBe(true)
  })

  it('a client restriction denial names the client address', async () => {
    await call(admin, 'settings.updateIdentity', {
      patch: { clientRestrictions: { 'users:read': ['127.0.0.1'] } },
    })
    admin.address = '10.0.0.9'
    const e = await refusal(admin, 'users.list', {})
    expect(e.message).toBe(
      'You do not have permission for this: users:read is not allowed from client 10.0.0.9.',
    )
    admin.address = '127.0.0.1'
    expect((await t.core.invoke(admin, 'users.list', {})).ok).toBe(true)
  })

  it('an escalation refused by the engine is FORBIDDEN and says which permissions are missing', async () => {
    await call(admin, 'roles.create', {
      name: 'account-manager',
      description: 'manages accounts',
      permissions: ['users:read', 'users:create', 'users:update'],
    })
    await createUser('dana', ['account-manager'])
    const bobId = await createUser('bob')
    const dana = await signIn('dana')
    const e = await refusal(dana, 'users.grantRole', {
      userId: bobId,
      role: 'admin',
      reason: 'please promote',
    })
    expect(e.code).toBe('FORBIDDEN')
    expect(e.message).toContain('You cannot grant admin')
    expect(entry('users.grantRole')).toMatchObject({
      actor: 'dana',
      result: 'failure',
      resource: `user:${bobId}`,
    })
    expect(t.core.users.view(bobId).roles).toEqual(['user'])
  })
})

describe('re-confirming the password', () => {
  it('users.delete with a wrong password: BAD_CREDENTIALS and nothing deleted', async () => {
    const bobId = await createUser('bob')
    const n = auditCount()
    const e = await refusal(admin, 'users.delete', {
      userId: bobId,
      reason: 'left the team',
      confirmPassword: NEW_PASSWORD,
    })
    expect(e.code).toBe('BAD_CREDENTIALS')
    expect(t.core.users.view(bobId).name).toBe('bob')
    expect(auditCount()).toBe(n + 1)
    expect(entry('users.delete')).toMatchObject({ actor: 'alice', result: 'failure' })
    expect(entry('users.delete').details).toMatchObject({ code: 'BAD_CREDENTIALS' })
    // the admin's own session is not affected
    expect((await t.core.invoke(admin, 'auth.session', {})).ok).toBe(true)
  })

  it('users.resetMfa with a wrong password: BAD_CREDENTIALS and the factor stays', async () => {
    const carolId = await createUser('carol', ['admin'])
    const { secret } = t.core.mfa.enrollNow(carolId, 'carol')
    const carol = await signIn('carol', { otp: totpAt(secret, t.clock.now()) })
    const e = await refusal(admin, 'users.resetMfa', {
      userId: carolId,
      reason: 'lost phone',
      confirmPassword: NEW_PASSWORD,
    })
    expect(e.code).toBe('BAD_CREDENTIALS')
    expect(t.core.mfa.isEnabled(carolId)).toBe(true)
    expect(t.core.mfa.status(carolId).backupCodesLeft).toBe(10)
    expect((await t.core.invoke(carol, 'auth.session', {})).ok).toBe(true)
  })

  it('users.resetMfa on one’s own account is refused even with the right password', async () => {
    const e = await refusal(admin, 'users.resetMfa', {
      userId: aliceId,
      reason: 'new phone',
      confirmPassword: STRONG_PASSWORD,
    })
    expect(e.code).toBe('FORBIDDEN')
    expect(t.core.mfa.isEnabled(aliceId)).toBe(true)
  })
})

describe('settings.updateIdentity', () => {
  const badPatches: [string, unknown][] = [
    ['maxFailedAttempts below 3', { maxFailedAttempts: 1 }],
    ['maxFailedAttempts above 20', { maxFailedAttempts: 21 }],
    ['maxFailedAttempts not an integer', { maxFailedAttempts: 4.5 }],
    ['lockoutMinutes 0', { lockoutMinutes: 0 }],
    ['idleTimeoutMinutes 0', { idleTimeoutMinutes: 0 }],
    ['idleTimeoutMinutes above 240', { idleTimeoutMinutes: 241 }],
    ['absoluteLifetimeHours above 72', { absoluteLifetimeHours: 73 }],
    ['maxSessionsPerAccount 0', { maxSessionsPerAccount: 0 }],
    ['unknown preset', { passwordPreset: 'none' }],
    ['unknown time zone', { timeZone: 'Mars/Olympus_Mons' }],
    [
      'window ending before it starts',
      { permissionWindows: { 'quantum:update': { fromHour: 17, toHour: 9 } } },
    ],
    ['window on an unknown permission', { permissionWindows: { 'root:all': { fromHour: 9, toHour: 17 } } }],
    ['empty client list', { clientRestrictions: { 'users:delete': [] } }],
    ['unknown key', { maxFailedAttempts: 5, unlimited: true }],
    ['string for a number', { lockoutMinutes: '10' }],
    ['valid key next to an invalid one', { lockoutMinutes: 10, maxFailedAttempts: 1 }],
  ]

  it('rejects out-of-range values with INVALID_INPUT and changes nothing', async () => {
    const before = (await call(admin, 'settings.getIdentity', {})).settings
    expect(before).toEqual(DEFAULT_IDENTITY_SETTINGS)
    for (const [what, patch] of badPatches) {
      const e = await refusal(admin, 'settings.updateIdentity', { patch })
      expect(e.code, what).toBe('INVALID_INPUT')
      expect(t.core.settings.get(), what).toEqual(before)
    }
    expect(t.core.db.prepare(`SELECT count(*) AS n FROM settings`).get()).toEqual({ n: 0 })
    expect((await call(admin, 'settings.getIdentity', {})).settings).toEqual(before)
  })

  it('a valid patch changes only the keys given', async () => {
    const before = t.core.settings.get()
    const patch = { lockoutMinutes: 10, timeZone: 'Europe/Berlin', maxFailedAttempts: 3 }
    const { settings } = await call(admin, 'settings.updateIdentity', { patch })
    expect(settings).toEqual({ ...before, ...patch })
    expect(t.core.settings.get()).toEqual({ ...before, ...patch })
    const row = t.core.db.prepare(`SELECT value, updated_by FROM settings WHERE key = 'identity'`).get() as {
      value: string
      updated_by: string
    }
    expect(JSON.parse(row.value)).toEqual({ ...before, ...patch })
    expect(row.updated_by).toBe('alice')
    // a second patch keeps the first one's values
    await call(admin, 'settings.updateIdentity', { patch: { idleTimeoutMinutes: 30 } })
    expect(t.core.settings.get()).toEqual({ ...before, ...patch, idleTimeoutMinutes: 30 })
    expect(entry('settings.updateIdentity').details).toMatchObject({ changed: ['idleTimeoutMinutes'] })
  })

  it('the new lockout threshold applies to the next sign-in failures', async () => {
    await call(admin, 'settings.updateIdentity', { patch: { maxFailedAttempts: 3, lockoutMinutes: 10 } })
    await createUser('bob')
    const codes: string[] = []
    for (let i = 0; i < 3; i++) {
      codes.push(
        (
          await refusal(testCaller({ client: `ipc:${clients++}` }), 'auth.login', {
            name: 'bob',
            password: NEW_PASSWORD,
          })
        ).code,
      )
    }
    expect(codes).toEqual(['BAD_CREDENTIALS', 'BAD_CREDENTIALS', 'LOCKED'])
  })

  it('needs system:configure', async () => {
    await createUser('bob', ['user', 'researcher'])
    const bob = await signIn('bob')
    const e = await refusal(bob, 'settings.updateIdentity', { patch: { lockoutMinutes: 10 } })
    expect(e.code).toBe('FORBIDDEN')
    expect(e.message).toContain('system:configure')
    expect(t.core.settings.get().lockoutMinutes).toBe(30)
    // reading them needs only a session
    expect((await call(bob, 'settings.getIdentity', {})).presets.map((p) => p.id)).toEqual([
      'nist',
      'reference',
    ])
  })
})
