import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DomainError } from '../../src/main/domain-error'
import type { RbacService } from '../../src/main/engines/rbac/rbac.service'
import { PERMISSIONS, type Permission } from '../../src/shared/permissions'
import { addAccount, STRONG_PASSWORD, tempConsole, type TestConsole } from '../support/temp-console'

/**
 * The product's role matrix, written out from the spec rather than derived from src/shared/permissions.ts:
 * user = quantum read/create + consciousness read/create/send; researcher adds quantum update/synchronize and
 * consciousness manage; admin has every permission.
 */
const Y = true
const N = false
const MATRIX: Record<Permission, { user: boolean; researcher: boolean; admin: boolean }> = {
  'quantum:read': { user: Y, researcher: Y, admin: Y },
  'quantum:create': { user: Y, researcher: Y, admin: Y },
  'quantum:update': { user: N, researcher: Y, admin: Y },
  'quantum:delete': { user: N, researcher: N, admin: Y },
  'quantum:synchronize': { user: N, researcher: Y, admin: Y },
  'consciousness:read': { user: Y, researcher: Y, admin: Y },
  'consciousness:create': { user: Y, researcher: Y, admin: Y },
  'consciousness:send': { user: Y, researcher: Y, admin: Y },
  'consciousness:manage': { user: N, researcher: Y, admin: Y },
  'users:read': { user: N, researcher: N, admin: Y },
  'users:create': { user: N, researcher: N, admin: Y },
  'users:update': { user: N, researcher: N, admin: Y },
  'users:delete': { user: N, researcher: N, admin: Y },
  'system:monitor': { user: N, researcher: N, admin: Y },
  'system:configure': { user: N, researcher: N, admin: Y },
  'system:backup': { user: N, researcher: N, admin: Y },
}
const ROLES = ['user', 'researcher', 'admin'] as const
const HOUR = 3_600_000

let t: TestConsole
let rbac: RbacService
beforeEach(async () => {
  t = await tempConsole()
  rbac = t.core.rbac
})
afterEach(() => t.cleanup())

const refusal = (f: () => unknown): DomainError => {
  try {
    f()
  } catch (e) {
    if (e instanceof DomainError) return e
    throw e
  }
  throw new Error('expected a refusal')
}
const as = (roles: string[], userId = 'u-1') => ({ userId, roles })
const setClock = (isoTime: string) => t.clock.set(Date.parse(isoTime))

describe('built-in roles', () => {
  it('the matrix covers every permission there is', () => {
    expect(Object.keys(MATRIX).sort()).toEqual([...PERMISSIONS].sort())
  })

  for (const role of ROLES) {
    it(`${role}: exactly the permissions of the spec`, () => {
      for (const p of PERMISSIONS) {
        const d = rbac.authorize(as([role]), p)
        expect(d.allowed, `${role} × ${p}`).toBe(MATRIX[p][role])
        expect(d.reason, `${role} × ${p}`).toBe(
          MATRIX[p][role] ? `role ${role} grants ${p}` : `no role of this account grants ${p}`,
        )
      }
      const expected = PERMISSIONS.filter((p) => MATRIX[p][role])
      expect(rbac.permissionsFor([role])).toEqual(expected)
      expect([...rbac.grantsOf(role)].sort()).toEqual([...expected].sort())
    })
  }

  it('lists the three built-in roles with descriptions', () => {
    const roles = rbac.listRoles()
    expect(roles.map((r) => [r.name, r.builtin])).toEqual([
      ['user', true],
      ['researcher', true],
      ['admin', true],
    ])
    for (const r of roles) expect(r.description.length).toBeGreaterThan(10)
  })

  it('several roles grant the union of their permissions, in a stable order', () => {
    expect(rbac.permissionsFor(['user', 'researcher'])).toEqual(rbac.permissionsFor(['researcher']))
    expect(rbac.permissionsFor(['researcher', 'admin'])).toEqual([...PERMISSIONS])
    expect(rbac.authorize(as(['user', 'researcher']), 'quantum:update').reason).toBe(
      'role researcher grants quantum:update',
    )
  })

  it('an unknown role, or none, grants nothing', () => {
    expect(rbac.grantsOf('superuser')).toEqual([])
    expect(rbac.grantsOf('Admin')).toEqual([])
    expect(rbac.permissionsFor(['superuser', 'admins'])).toEqual([])
    for (const p of PERMISSIONS) {
      expect(rbac.authorize(as(['superuser']), p).allowed, p).toBe(false)
      expect(rbac.authorize(as([]), p).allowed, p).toBe(false)
    }
  })

  it('public and session access, and no subject', () => {
    expect(rbac.authorize(null, 'public')).toEqual({ allowed: true, reason: 'public call' })
    expect(rbac.authorize(null, 'session')).toEqual({ allowed: false, reason: 'not signed in' })
    expect(rbac.authorize(null, 'quantum:read')).toEqual({ allowed: false, reason: 'not signed in' })
    expect(rbac.authorize(as([]), 'session')).toEqual({ allowed: true, reason: 'any signed-in account' })
  })
})

describe('custom roles', () => {
  it('are created from existing permissions and grant exactly those', () => {
    const role = rbac.createRole('auditor', 'Reads the audit log', ['system:monitor', 'users:read'], 'alice')
    expect(role).toEqual({
      name: 'auditor',
      description: 'Reads the audit log',
      builtin: false,
      permissions: ['users:read', 'system:monitor'],
    })
    expect(rbac.roleExists('auditor')).toBe(true)
    expect(rbac.listRoles().at(-1)).toEqual(role)
    for (const p of PERMISSIONS) {
      const allowed = p === 'system:monitor' || p === 'users:read'
      expect(rbac.authorize(as(['auditor']), p), p).toEqual(
        allowed
          ? { allowed: true, reason: `role auditor grants ${p}` }
          : { allowed: false, reason: `no role of this account grants ${p}` },
      )
    }
    expect(rbac.permissionsFor(['user', 'auditor'])).toEqual([
      'quantum:read',
      'quantum:create',
      'consciousness:read',
      'consciousness:create',
      'consciousness:send',
      'users:read',
      'system:monitor',
    ])
  })

  it('a name clash with a built-in or existing role is refused', () => {
    for (const name of ['admin', 'user', 'researcher']) {
      expect(refusal(() => rbac.createRole(name, 'x', ['quantum:read'], 'alice')).code, name).toBe('CONFLICT')
    }
    rbac.createRole('auditor', 'first', ['system:monitor'], 'alice')
    expect(refusal(() => rbac.createRole('auditor', 'second', ['users:read'], 'alice')).code).toBe('CONFLICT')
    expect(rbac.grantsOf('admin')).toEqual(PERMISSIONS)
    expect(rbac.grantsOf('auditor')).toEqual(['system:monitor'])
  })

  it('a role without permissions is refused, and unknown permission names do not count', () => {
    expect(refusal(() => rbac.createRole('empty', 'nothing', [], 'alice')).code).toBe('INVALID_INPUT')
    const bogus = ['root:everything'] as unknown as Permission[]
    expect(refusal(() => rbac.createRole('bogus', 'nothing real', bogus, 'alice')).code).toBe('INVALID_INPUT')
    expect(rbac.roleExists('empty')).toBe(false)
    expect(rbac.roleExists('bogus')).toBe(false)
  })

  it('are stored with who created them and when', () => {
    rbac.createRole('auditor', 'Reads the audit log', ['system:monitor'], 'alice')
    expect(t.core.db.prepare(`SELECT * FROM custom_roles`).get()).toEqual({
      name: 'auditor',
      description: 'Reads the audit log',
      permissions: '["system:monitor"]',
      created_at: '2026-01-01T00:00:00.000Z',
      created_by: 'alice',
    })
  })
})

describe('time windows', () => {
  beforeEach(() => {
    t.core.settings.update(
      { timeZone: 'America/New_York', permissionWindows: { 'quantum:update': { fromHour: 9, toHour: 17 } } },
      'alice',
    )
  })
  const decide = () => rbac.authorize(as(['researcher']), 'quantum:update')

  it('allow the permission only inside the window, read in the configured time zone (winter, UTC−5)', () => {
    setClock('2026-01-15T13:59:00Z') // 08:59 in New York
    expect(decide()).toEqual({
      allowed: false,
      reason: 'quantum:update is allowed only 09:00–17:00 (America/New_York); it is 08:xx there',
    })
    setClock('2026-01-15T14:00:00Z') // 09:00
    expect(decide()).toEqual({ allowed: true, reason: 'role researcher grants quantum:update' })
    setClock('2026-01-15T21:59:59Z') // 16:59
    expect(decide().allowed).toBe(true)
    setClock('2026-01-15T22:00:00Z') // 17:00
    expect(decide()).toEqual({
      allowed: false,
      reason: 'quantum:update is allowed only 09:00–17:00 (America/New_York); it is 17:xx there',
    })
  })

  it('follow daylight saving time (summer, UTC−4)', () => {
    setClock('2026-07-15T12:59:00Z') // 08:59 EDT
    expect(decide().allowed).toBe(false)
    setClock('2026-07-15T13:00:00Z') // 09:00 EDT; in winter this would be 08:00
    expect(decide().allowed).toBe(true)
    setClock('2026-07-15T20:59:00Z') // 16:59 EDT
    expect(decide().allowed).toBe(true)
    setClock('2026-07-15T21:00:00Z') // 17:00 EDT
    expect(decide().allowed).toBe(false)
  })

  it('do not depend on the UTC hour: 15:00 UTC is inside in New York but would be outside a UTC reading', () => {
    setClock('2026-01-15T20:00:00Z') // 15:00 in New York, 20:00 UTC
    expect(decide().allowed).toBe(true)
    setClock('2026-01-15T10:00:00Z') // 05:00 in New York, 10:00 UTC
    expect(decide().reason).toContain('it is 05:xx there')
  })

  it('apply only to the permission they are set for, and never grant what no role grants', () => {
    setClock('2026-01-15T03:00:00Z') // 22:00 in New York
    expect(rbac.authorize(as(['researcher']), 'quantum:read').allowed).toBe(true)
    setClock('2026-01-15T15:00:00Z') // inside the window
    expect(rbac.authorize(as(['user']), 'quantum:update')).toEqual({
      allowed: false,
      reason: 'no role of this account grants quantum:update',
    })
  })

  it('a window that ends at 24 includes the last hour of the day', () => {
    t.core.settings.update(
      { timeZone: 'UTC', permissionWindows: { 'system:backup': { fromHour: 22, toHour: 24 } } },
      'alice',
    )
    setClock('2026-01-15T23:59:59Z')
    expect(rbac.authorize(as(['admin']), 'system:backup').allowed).toBe(true)
    setClock('2026-01-16T00:00:00Z')
    expect(rbac.authorize(as(['admin']), 'system:backup').allowed).toBe(false)
  })
})

describe('client restrictions', () => {
  beforeEach(() => {
    t.core.settings.update({ clientRestrictions: { 'users:delete': ['127.0.0.1', '::1'] } }, 'alice')
  })

  it('apply only when the transport gives an address', () => {
    expect(rbac.authorize(as(['admin']), 'users:delete')).toEqual({
      allowed: true,
      reason: 'role admin grants users:delete',
    })
    expect(rbac.authorize(as(['admin']), 'users:delete', {}).allowed).toBe(true)
  })

  it('allow listed addresses and refuse others, naming the address', () => {
    expect(rbac.authorize(as(['admin']), 'users:delete', { address: '127.0.0.1' }).allowed).toBe(true)
    expect(rbac.authorize(as(['admin']), 'users:delete', { address: '::1' }).allowed).toBe(true)
    expect(rbac.authorize(as(['admin']), 'users:delete', { address: '10.0.0.5' })).toEqual({
      allowed: false,
      reason: 'users:delete is not allowed from client 10.0.0.5',
    })
    // other permissions from the same address are not affected
    expect(rbac.authorize(as(['admin']), 'users:read', { address: '10.0.0.5' }).allowed).toBe(true)
  })
})

describe('owned resources', () => {
  it('an account may act on its own resource with the permission alone', () => {
    expect(rbac.authorizeOwned(as(['user'], 'u-1'), 'quantum:read', 'u-1')).toEqual({
      allowed: true,
      reason: 'role user grants quantum:read',
    })
  })

  it("another account's resource needs researcher or admin, and the reason says so", () => {
    const d = rbac.authorizeOwned(as(['user'], 'u-1'), 'quantum:read', 'u-2')
    expect(d.allowed).toBe(false)
    expect(d.reason).toContain('belongs to another account')
    expect(d.reason).toContain('researcher or admin')
    expect(rbac.authorizeOwned(as(['user', 'researcher'], 'u-1'), 'quantum:read', 'u-2')).toEqual({
      allowed: true,
      reason: "role user grants quantum:read; role researcher may act on other accounts' resources",
    })
    expect(rbac.authorizeOwned(as(['admin'], 'u-1'), 'quantum:delete', 'u-2').allowed).toBe(true)
  })

  it('a custom role with the permission is not enough for another account’s resource', () => {
    rbac.createRole('reader', 'reads states', ['quantum:read'], 'alice')
    expect(rbac.authorizeOwned(as(['reader'], 'u-1'), 'quantum:read', 'u-1').allowed).toBe(true)
    expect(rbac.authorizeOwned(as(['reader'], 'u-1'), 'quantum:read', 'u-2').allowed).toBe(false)
  })

  it('without the permission, ownership does not help', () => {
    expect(rbac.authorizeOwned(as(['user'], 'u-1'), 'quantum:delete', 'u-1')).toEqual({
      allowed: false,
      reason: 'no role of this account grants quantum:delete',
    })
  })

  it('context conditions still apply to owned resources', () => {
    t.core.settings.update({ clientRestrictions: { 'quantum:read': ['127.0.0.1'] } }, 'alice')
    expect(
      rbac.authorizeOwned(as(['user'], 'u-1'), 'quantum:read', 'u-1', { address: '10.1.1.1' }).allowed,
    ).toBe(false)
  })
})

describe('timed grants', () => {
  let aliceId: string
  let bobId: string
  beforeEach(async () => {
    aliceId = (await t.core.users.setupAdmin('alice', STRONG_PASSWORD)).id
    bobId = (await t.core.users.create(aliceId, { name: 'bob', password: STRONG_PASSWORD, roles: ['user'] }))
      .id
  })

  it('end by themselves, with an audit entry, and the account’s sessions rotate', async () => {
    const until = new Date(t.clock.now() + HOUR).toISOString()
    t.core.users.grantRole(aliceId, bobId, 'researcher', until)
    expect(rbac.rolesOf(bobId)).toEqual(['researcher', 'user'])
    t.clock.advance(HOUR - 1)
    expect(rbac.rolesOf(bobId)).toEqual(['researcher', 'user'])
    const { token } = await t.core.auth.login('bob', STRONG_PASSWORD, 'c')
    expect(t.core.audit.recent(500).entries.filter((e) => e.action === 'rbac.grantExpired')).toEqual([])

    t.clock.advance(1)
    expect(rbac.rolesOf(bobId)).toEqual(['user'])
    const expired = t.core.audit.recent(500).entries.filter((e) => e.action === 'rbac.grantExpired')
    expect(expired).toHaveLength(1)
    expect(expired[0]).toMatchObject({
      type: 'authorization',
      actor: null,
      client: 'system',
      resource: `user:${bobId}`,
      result: 'success',
    })
    expect(JSON.parse(expired[0]!.details)).toEqual({ user: 'bob', role: 'researcher', expiredAt: until })
    const session = t.core.db.prepare(`SELECT rotate FROM sessions WHERE user_id = ?`).get(bobId) as {
      rotate: number
    }
    expect(session.rotate).toBe(1)
    expect(t.core.auth.resolve(token)?.rotatedToken).toMatch(/^[A-Za-z0-9_-]{43}$/)

    // swept once: a later look does not audit it again
    rbac.rolesOf(bobId)
    expect(t.core.audit.recent(500).entries.filter((e) => e.action === 'rbac.grantExpired')).toHaveLength(1)
    expect(t.core.audit.verify().ok).toBe(true)
  })

  it('standing grants of the same account are untouched', () => {
    t.core.users.grantRole(aliceId, bobId, 'researcher', new Date(t.clock.now() + HOUR).toISOString())
    t.clock.advance(2 * HOUR)
    expect(rbac.rolesOf(bobId)).toEqual(['user'])
    expect(rbac.rolesOf(aliceId)).toEqual(['admin'])
  })

  it('must end in the future', () => {
    const past = new Date(t.clock.now() - 1).toISOString()
    expect(refusal(() => t.core.users.grantRole(aliceId, bobId, 'researcher', past)).code).toBe(
      'INVALID_INPUT',
    )
    expect(rbac.rolesOf(bobId)).toEqual(['user'])
  })
})

describe('permission use', () => {
  it('records the last use of each permission per account', async () => {
    await addAccount(t, 'bob', ['user'])
    await addAccount(t, 'carol', ['user'])
    expect(rbac.lastUses('id-bob')).toEqual({})
    rbac.recordUse('id-bob', 'quantum:read')
    t.clock.advance(HOUR)
    rbac.recordUse('id-bob', 'consciousness:send')
    t.clock.advance(HOUR)
    rbac.recordUse('id-bob', 'quantum:read')
    rbac.recordUse('id-carol', 'quantum:create')
    expect(rbac.lastUses('id-bob')).toEqual({
      'quantum:read': '2026-01-01T02:00:00.000Z',
      'consciousness:send': '2026-01-01T01:00:00.000Z',
    })
    expect(rbac.lastUses('id-carol')).toEqual({ 'quantum:create': '2026-01-01T02:00:00.000Z' })
  })
})
