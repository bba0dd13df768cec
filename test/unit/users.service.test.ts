import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DomainError } from '../../src/main/domain-error'
import { totpAt } from '../../src/main/engines/auth/one-time-codes'
import type { UsersService } from '../../src/main/engines/users/users.service'
import { signedInAdmin, STRONG_PASSWORD, tempConsole, type TestConsole } from '../support/temp-console'

const NEW_PASSWORD = 'Velvet-Orbit-Lantern-42#'
const HOUR = 3_600_000
const DAY = 24 * HOUR

let t: TestConsole
let users: UsersService
let aliceId: string
beforeEach(async () => {
  t = await tempConsole()
  users = t.core.users
  aliceId = (await users.setupAdmin('alice', STRONG_PASSWORD)).id
})
afterEach(() => t.cleanup())

async function failure(f: () => unknown): Promise<DomainError> {
  try {
    await f()
  } catch (e) {
    if (e instanceof DomainError) return e
    throw e
  }
  throw new Error('expected a refusal')
}
const create = async (name: string, roles: string[] = ['user'], actor = aliceId): Promise<string> =>
  (await users.create(actor, { name, password: STRONG_PASSWORD, roles })).id
const later = (ms: number): string => new Date(t.clock.now() + ms).toISOString()
const login = (name: string, password = STRONG_PASSWORD) => t.core.auth.login(name, password, `c-${name}`)

describe('creating accounts', () => {
  it('stores the account with its roles, a hash and a history entry', async () => {
    const u = await users.create(aliceId, {
      name: 'bob',
      email: 'bob@example.org',
      password: STRONG_PASSWORD,
      roles: ['user', 'researcher'],
    })
    expect(u).toMatchObject({
      name: 'bob',
      email: 'bob@example.org',
      roles: ['researcher', 'user'],
      elevations: [],
      mfaEnabled: false,
      createdAt: '2026-01-01T00:00:00.000Z',
      lastLoginAt: null,
      locked: false,
      lockedUntil: null,
    })
    const row = t.core.auth.byId(u.id)!
    expect(row.password_hash).toMatch(/^\$argon2id\$/)
    const history = t.core.db
      .prepare(`SELECT password_hash FROM password_history WHERE user_id = ?`)
      .all(u.id)
    expect(history).toEqual([{ password_hash: row.password_hash }])
    const grants = t.core.db
      .prepare(`SELECT role, granted_by FROM user_roles WHERE user_id = ? ORDER BY role`)
      .all(u.id)
    expect(grants).toEqual([
      { role: 'researcher', granted_by: aliceId },
      { role: 'user', granted_by: aliceId },
    ])
  })

  it('enforces the password policy', async () => {
    for (const pw of ['short', 'password12345', 'bob-the-builder-2026', 'aaaaaaaaaaaaaaaa']) {
      const e = await failure(() => users.create(aliceId, { name: 'bob', password: pw, roles: ['user'] }))
      expect(e.code, pw).toBe('INVALID_INPUT')
      expect(e.message, pw).toMatch(/^Password rejected: /)
      expect(Array.isArray(e.details?.failures), pw).toBe(true)
    }
    expect(t.core.auth.byName('bob')).toBeUndefined()
  })

  it('follows the configured preset', async () => {
    t.core.settings.update({ passwordPreset: 'reference' }, 'alice')
    const e = await failure(() =>
      users.create(aliceId, { name: 'bob', password: 'correct horse battery staple quietly', roles: [] }),
    )
    expect(e.details?.failures).toEqual([
      { rule: 'composition', message: expect.stringContaining('upper-case') },
    ])
    await create('bob')
  })

  it('refuses a duplicate name, and an unknown role', async () => {
    await create('bob')
    expect((await failure(() => create('bob'))).code).toBe('CONFLICT')
    expect((await failure(() => create('carol', ['superuser']))).code).toBe('NOT_FOUND')
    expect(t.core.auth.byName('carol')).toBeUndefined()
    expect(users.list().map((u) => u.name)).toEqual(['alice', 'bob'])
  })

  it('the first administrator can be set up only once', async () => {
    expect((await failure(() => users.setupAdmin('mallory', STRONG_PASSWORD))).code).toBe('CONFLICT')
  })
})

describe('no escalation', () => {
  let danaId: string
  let bobId: string
  beforeEach(async () => {
    t.core.rbac.createRole(
      'account-manager',
      'Manages accounts',
      ['users:read', 'users:create', 'users:update'],
      'alice',
    )
    danaId = await create('dana', ['account-manager'])
    bobId = await create('bob', ['user'])
  })

  it('an account cannot grant a role that includes a permission it does not hold', async () => {
    const e = await failure(() => users.grantRole(danaId, bobId, 'admin'))
    expect(e.code).toBe('FORBIDDEN')
    expect(e.message).toContain('users:delete')
    expect(e.message).toContain('system:configure')
    expect((await failure(() => users.grantRole(danaId, bobId, 'researcher'))).code).toBe('FORBIDDEN')
    // even the user role: dana holds no quantum or consciousness permission
    expect((await failure(() => users.grantRole(danaId, bobId, 'user'))).message).toContain('quantum:read')
    expect(users.view(bobId).roles).toEqual(['user'])
  })

  it('nor create an account with such a role, nor take one away', async () => {
    const e = await failure(() =>
      users.create(danaId, { name: 'eve', password: STRONG_PASSWORD, roles: ['admin'] }),
    )
    expect(e.code).toBe('FORBIDDEN')
    expect(t.core.auth.byName('eve')).toBeUndefined()
    expect((await failure(() => users.revokeRole(danaId, aliceId, 'admin'))).code).toBe('FORBIDDEN')
    expect(users.view(aliceId).roles).toEqual(['admin'])
  })

  it('but can grant a role whose permissions it holds', async () => {
    expect(users.grantRole(danaId, bobId, 'account-manager').roles).toEqual(['account-manager', 'user'])
    await users.create(danaId, { name: 'eve', password: STRONG_PASSWORD, roles: ['account-manager'] })
    expect(users.view(users.idOf('eve')).roles).toEqual(['account-manager'])
  })

  it('a temporary elevation counts while it lasts', async () => {
    users.grantRole(aliceId, danaId, 'admin', later(HOUR))
    expect(users.grantRole(danaId, bobId, 'researcher').roles).toEqual(['researcher', 'user'])
    t.clock.advance(HOUR)
    expect((await failure(() => users.revokeRole(danaId, bobId, 'researcher'))).code).toBe('FORBIDDEN')
  })
})

describe('the last administrator', () => {
  it('cannot be demoted or locked, and cannot delete itself', async () => {
    const demote = await failure(() => users.revokeRole(aliceId, aliceId, 'admin'))
    expect(demote.code).toBe('CONFLICT')
    expect(demote.message).toContain('last administrator')
    expect((await failure(() => users.lock(aliceId, aliceId))).code).toBe('CONFLICT')
    expect((await failure(() => users.delete(aliceId, aliceId))).code).toBe('CONFLICT')
    expect(users.view(aliceId)).toMatchObject({ roles: ['admin'], locked: false })
  })

  it('a temporarily elevated admin does not count as another administrator', async () => {
    const bobId = await create('bob')
    users.grantRole(aliceId, bobId, 'admin', later(HOUR))
    const del = await failure(() => users.delete(bobId, aliceId))
    expect(del.code).toBe('CONFLICT')
    expect(del.message).toContain('cannot be deleted')
    expect((await failure(() => users.revokeRole(bobId, aliceId, 'admin'))).code).toBe('CONFLICT')
    expect((await failure(() => users.lock(aliceId, aliceId))).code).toBe('CONFLICT')
    expect(users.view(aliceId).roles).toEqual(['admin'])
  })

  it('a locked administrator does not count either', async () => {
    const carolId = await create('carol', ['admin'])
    users.lock(aliceId, carolId)
    expect((await failure(() => users.lock(aliceId, aliceId))).code).toBe('CONFLICT')
    users.unlock(aliceId, carolId)
    expect(users.lock(aliceId, aliceId).locked).toBe(true)
  })

  it('with a second standing administrator, one can be demoted, locked or deleted', async () => {
    const carolId = await create('carol', ['admin'])
    expect(users.lock(aliceId, aliceId)).toMatchObject({
      locked: true,
      lockedUntil: '9999-12-31T23:59:59.000Z',
    })
    expect(users.unlock(aliceId, aliceId).locked).toBe(false)
    expect(users.revokeRole(carolId, aliceId, 'admin').roles).toEqual([])
    // now carol is the last one
    expect((await failure(() => users.revokeRole(carolId, carolId, 'admin'))).code).toBe('CONFLICT')
    users.grantRole(carolId, aliceId, 'admin')
    expect(users.delete(carolId, aliceId).name).toBe('alice')
    expect(t.core.auth.byId(aliceId)).toBeUndefined()
    expect(users.list().map((u) => u.name)).toEqual(['carol'])
  })

  it('an account that is not an admin can be deleted, and its sessions go with it', async () => {
    const bobId = await create('bob')
    const { token } = await login('bob')
    expect(users.delete(aliceId, bobId).name).toBe('bob')
    expect(t.core.auth.resolve(token)).toBeNull()
    expect(t.core.db.prepare(`SELECT count(*) AS n FROM sessions WHERE user_id = ?`).get(bobId)).toEqual({
      n: 0,
    })
    expect((await failure(() => users.delete(aliceId, bobId))).code).toBe('NOT_FOUND')
  })
})

describe('locking', () => {
  it('ends the sessions and refuses sign-in until unlocked', async () => {
    const bobId = await create('bob')
    const a = await login('bob')
    const b = await t.core.auth.login('bob', STRONG_PASSWORD, 'other')
    const locked = users.lock(aliceId, bobId)
    expect(locked).toMatchObject({ locked: true, lockedUntil: '9999-12-31T23:59:59.000Z' })
    expect(t.core.auth.resolve(a.token)).toBeNull()
    expect(t.core.auth.resolve(b.token)).toBeNull()
    expect((await failure(() => login('bob'))).code).toBe('LOCKED')
    t.clock.advance(365 * DAY)
    expect((await failure(() => login('bob'))).code).toBe('LOCKED')
    expect(users.unlock(aliceId, bobId)).toMatchObject({ locked: false, lockedUntil: null })
    await expect(login('bob')).resolves.toHaveProperty('token')
  })

  it('unlocking clears an automatic lockout and its failure count', async () => {
    const bobId = await create('bob')
    for (let i = 0; i < 5; i++) await failure(() => login('bob', 'wrong-password-xx'))
    expect(users.view(bobId).locked).toBe(true)
    users.unlock(aliceId, bobId)
    await login('bob')
    for (let i = 0; i < 4; i++)
      expect((await failure(() => login('bob', 'wrong-password-xx'))).code).toBe('BAD_CREDENTIALS')
  })

  it('an unknown account is not found', async () => {
    expect((await failure(() => users.unlock(aliceId, 'no-such-id'))).code).toBe('NOT_FOUND')
    expect((await failure(() => users.grantRole(aliceId, 'no-such-id', 'user'))).code).toBe('NOT_FOUND')
  })
})

describe('password reset by an administrator', () => {
  it('ends all sessions of the account, applies the history, and the new password works', async () => {
    const bobId = await create('bob')
    const { token } = await login('bob')
    const same = await failure(() => users.resetPassword(aliceId, bobId, STRONG_PASSWORD))
    expect(same.code).toBe('INVALID_INPUT')
    expect(same.details?.failures).toEqual([{ rule: 'history', message: expect.any(String) }])
    expect(t.core.auth.resolve(token)).not.toBeNull() // a refused reset ends nothing

    await users.resetPassword(aliceId, bobId, NEW_PASSWORD)
    expect(t.core.auth.resolve(token)).toBeNull()
    expect((await failure(() => login('bob'))).code).toBe('BAD_CREDENTIALS')
    await expect(login('bob', NEW_PASSWORD)).resolves.toHaveProperty('token')
    expect((await failure(() => users.resetPassword(aliceId, bobId, STRONG_PASSWORD))).code).toBe(
      'INVALID_INPUT',
    )
  })

  it('applies the password policy', async () => {
    const bobId = await create('bob')
    expect((await failure(() => users.resetPassword(aliceId, bobId, 'bob12345'))).code).toBe('INVALID_INPUT')
    await expect(login('bob')).resolves.toHaveProperty('token')
  })
})

describe('MFA reset by an administrator', () => {
  it('is refused for one’s own account', async () => {
    t.core.mfa.enrollNow(aliceId, 'alice')
    const e = await failure(() => users.resetMfa(aliceId, aliceId))
    expect(e.code).toBe('FORBIDDEN')
    expect(t.core.mfa.isEnabled(aliceId)).toBe(true)
  })

  it('removes another admin’s factor and ends its sessions; it must enroll again', async () => {
    const daveId = await create('dave', ['admin'])
    const { secret } = t.core.mfa.enrollNow(daveId, 'dave')
    const { token } = await t.core.auth.login('dave', STRONG_PASSWORD, 'c', {
      otp: totpAt(secret, t.clock.now()),
    })
    expect(users.view(daveId).mfaEnabled).toBe(true)

    expect(users.resetMfa(aliceId, daveId).mfaEnabled).toBe(false)
    expect(t.core.auth.resolve(token)).toBeNull()
    expect(t.core.db.prepare(`SELECT count(*) AS n FROM backup_codes WHERE user_id = ?`).get(daveId)).toEqual(
      { n: 0 },
    )
    const again = await login('dave')
    expect(again.session.restriction).toBe('mfa-enrollment')
    expect((await failure(() => users.resetMfa(aliceId, daveId))).code).toBe('CONFLICT')
  })
})

describe('access review', () => {
  it('flags admins without MFA and temporary elevations', async () => {
    const bobId = await create('bob')
    users.grantRole(aliceId, bobId, 'researcher', later(HOUR))
    const rows = users.accessReview()
    expect(rows.map((r) => [r.name, r.flags])).toEqual([
      ['alice', ['admin-without-mfa']],
      ['bob', ['temporary-elevation']],
    ])
    expect(rows[1]).toMatchObject({
      roles: ['researcher', 'user'],
      elevations: [{ role: 'researcher', expiresAt: later(HOUR) }],
      permissions: expect.arrayContaining(['quantum:update']),
      mfaEnabled: false,
      lastLoginAt: null,
      locked: false,
    })
    t.core.mfa.enrollNow(aliceId, 'alice')
    expect(users.accessReview()[0]!.flags).toEqual([])
  })

  it('flags accounts unused for more than 90 days', async () => {
    await create('bob')
    await create('carol')
    t.clock.advance(89 * DAY)
    await login('carol')
    expect(users.accessReview().flatMap((r) => r.flags)).not.toContain('unused-90-days')
    t.clock.advance(2 * DAY) // 91 days after creation, 2 days after carol's sign-in
    const flags = Object.fromEntries(users.accessReview().map((r) => [r.name, r.flags]))
    expect(flags).toEqual({
      alice: ['unused-90-days', 'admin-without-mfa'],
      bob: ['unused-90-days'],
      carol: [],
    })
  })
})

describe('access review through the pipeline', () => {
  it('lists the last use of each permission', async () => {
    const t2 = await tempConsole()
    try {
      const admin = await signedInAdmin(t2)
      const list = await t2.core.invoke(admin, 'users.list', {})
      expect(list.ok).toBe(true)
      const usedAt = new Date(t2.clock.now()).toISOString()
      t2.clock.advance(60_000)
      const r = await t2.core.invoke(admin, 'users.accessReview', {})
      if (!r.ok) throw new Error(r.error.message)
      const rows = (r.value as { rows: { name: string; lastUse: Record<string, string>; flags: string[] }[] })
        .rows
      expect(rows).toHaveLength(1)
      expect(rows[0]!.lastUse).toEqual({ 'users:read': usedAt })
      expect(rows[0]!.flags).toEqual([])
      // the review itself is a use of users:read
      expect(t2.core.rbac.lastUses(t2.core.users.idOf('alice'))).toEqual({
        'users:read': new Date(t2.clock.now()).toISOString(),
      })
    } finally {
      t2.cleanup()
    }
  })
})
