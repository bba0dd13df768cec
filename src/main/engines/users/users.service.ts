import { randomUUID } from 'node:crypto'
import type { Db } from '../../db/connection'
import { DomainError } from '../../domain-error'
import type { Clock } from '../../platform/clock'
import { iso } from '../../platform/clock'
import type { Permission } from '../../../shared/permissions'
import { ADMIN_LOCK_UNTIL, type AuthService, type UserRow } from '../auth/auth.service'
import type { MfaService } from '../auth/mfa.service'
import type { RbacService } from '../rbac/rbac.service'

export interface UserRecord {
  id: string
  name: string
  email: string | null
  roles: string[]
  elevations: { role: string; expiresAt: string }[]
  mfaEnabled: boolean
  createdAt: string
  lastLoginAt: string | null
  locked: boolean
  lockedUntil: string | null
}

export interface AccessReviewRow {
  name: string
  email: string | null
  roles: string[]
  elevations: { role: string; expiresAt: string }[]
  permissions: Permission[]
  mfaEnabled: boolean
  lastLoginAt: string | null
  lastUse: Partial<Record<Permission, string>>
  locked: boolean
  flags: string[]
}

const DAY = 86_400_000

/** Account administration: create, delete, lock, roles and timed elevation, resets, access review. */
export class UsersService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly auth: AuthService,
    private readonly rbac: RbacService,
    private readonly mfa: MfaService,
  ) {}

  private row(id: string): UserRow {
    const u = this.auth.byId(id)
    if (!u) throw new DomainError('NOT_FOUND', 'No such account.')
    return u
  }

  idOf(name: string): string {
    const u = this.auth.byName(name)
    if (!u) throw new DomainError('NOT_FOUND', `No account named "${name}".`)
    return u.id
  }

  view(id: string): UserRecord {
    const u = this.row(id)
    const now = this.clock.now()
    const grants = this.db
      .prepare(`SELECT role, expires_at FROM user_roles WHERE user_id = ? ORDER BY role`)
      .all(id) as {
      role: string
      expires_at: string | null
    }[]
    const active = grants.filter((g) => g.expires_at === null || Date.parse(g.expires_at) > now)
    const locked = u.locked_until !== null && Date.parse(u.locked_until) > now
    return {
      id: u.id,
      name: u.name,
      email: u.email,
      roles: active.map((g) => g.role),
      elevations: active
        .filter((g) => g.expires_at !== null)
        .map((g) => ({ role: g.role, expiresAt: g.expires_at! })),
      mfaEnabled: this.mfa.isEnabled(u.id),
      createdAt: u.created_at,
      lastLoginAt: u.last_login_at,
      locked,
      lockedUntil: locked ? u.locked_until : null,
    }
  }

  list(): UserRecord[] {
    this.rbac.sweepExpiredGrants()
    return (this.db.prepare(`SELECT id FROM users ORDER BY name`).all() as { id: string }[]).map((r) =>
      this.view(r.id),
    )
  }

  private insertUser(
    name: string,
    email: string | null,
    hash: string,
    roles: readonly string[],
    grantedBy: string | null,
  ): string {
    if (this.auth.byName(name))
      throw new DomainError('CONFLICT', `An account named "${name}" already exists.`)
    const id = randomUUID()
    const now = iso(this.clock.now())
    this.db
      .prepare(`INSERT INTO users (id, name, email, password_hash, created_at) VALUES (?, ?, ?, ?, ?)`)
      .run(id, name, email, hash, now)
    this.auth.storePasswordHash(id, hash)
    const grant = this.db.prepare(
      `INSERT INTO user_roles (user_id, role, granted_by, granted_at) VALUES (?, ?, ?, ?)`,
    )
    for (const r of roles) grant.run(id, r, grantedBy, now)
    return id
  }

  /** The first administrator. Refused once any account exists: there are no default credentials. */
  async setupAdmin(name: string, password: string, email?: string): Promise<UserRecord> {
    if (this.auth.hasAccounts())
      throw new DomainError('CONFLICT', 'The console is already set up; sign in instead.')
    await this.auth.assertAcceptable(password, name, email)
    const hash = await this.auth.hashPassword(password)
    const id = this.db
      .transaction(() => {
        if (this.auth.hasAccounts())
          throw new DomainError('CONFLICT', 'The console is already set up; sign in instead.')
        return this.insertUser(name, email ?? null, hash, ['admin'], null)
      })
      .immediate()
    return this.view(id)
  }

  private assertCanGrant(actorId: string, role: string): void {
    if (!this.rbac.roleExists(role)) throw new DomainError('NOT_FOUND', `There is no role named "${role}".`)
    const own = new Set(this.rbac.permissionsFor(this.rbac.rolesOf(actorId)))
    const missing = this.rbac.grantsOf(role).filter((p) => !own.has(p))
    if (missing.length > 0) {
      throw new DomainError(
        'FORBIDDEN',
        `You cannot grant ${role}: it includes permissions you do not hold (${missing.join(', ')}).`,
      )
    }
  }

  /**
   * Acting on another account (lock, delete, reset its password or MFA) needs every permission that account holds:
   * otherwise an account manager could take over an administrator.
   */
  private assertCanManage(actorId: string, userId: string, what: string): void {
    if (actorId === userId) return
    const own = new Set(this.rbac.permissionsFor(this.rbac.rolesOf(actorId)))
    const theirs = this.rbac.permissionsFor(this.rbac.rolesOf(userId))
    const missing = theirs.filter((p) => !own.has(p))
    if (missing.length > 0) {
      throw new DomainError(
        'FORBIDDEN',
        `You cannot ${what} this account: it holds permissions you do not (${missing.join(', ')}).`,
      )
    }
  }

  async create(
    actorId: string,
    input: { name: string; email?: string; password: string; roles: string[] },
  ): Promise<UserRecord> {
    for (const r of input.roles) this.assertCanGrant(actorId, r)
    await this.auth.assertAcceptable(input.password, input.name, input.email)
    const hash = await this.auth.hashPassword(input.password)
    const id = this.db
      .transaction(() => this.insertUser(input.name, input.email ?? null, hash, input.roles, actorId))
      .immediate()
    return this.view(id)
  }

  /** Admins with a standing (non-expiring) grant who are not locked, other than `exceptId`. */
  private otherStandingAdmins(exceptId: string): number {
    const now = iso(this.clock.now())
    return (
      this.db
        .prepare(
          `SELECT count(*) AS n FROM user_roles r JOIN users u ON u.id = r.user_id
           WHERE r.role = 'admin' AND r.expires_at IS NULL AND u.id != ? AND (u.locked_until IS NULL OR u.locked_until <= ?)`,
        )
        .get(exceptId, now) as { n: number }
    ).n
  }

  private assertNotLastAdmin(userId: string, what: string): void {
    const isAdmin = this.db
      .prepare(`SELECT 1 FROM user_roles WHERE user_id = ? AND role = 'admin' AND expires_at IS NULL`)
      .get(userId)
    if (isAdmin && this.otherStandingAdmins(userId) === 0) {
      throw new DomainError(
        'CONFLICT',
        `This is the last administrator; it cannot be ${what}. Make another account admin first.`,
      )
    }
  }

  delete(actorId: string, userId: string): UserRecord {
    const before = this.view(userId)
    if (actorId === userId) throw new DomainError('CONFLICT', 'You cannot delete your own account.')
    this.assertCanManage(actorId, userId, 'delete')
    this.db
      .transaction(() => {
        this.assertNotLastAdmin(userId, 'deleted')
        this.db.prepare(`DELETE FROM users WHERE id = ?`).run(userId)
      })
      .immediate()
    return before
  }

  lock(actorId: string, userId: string): UserRecord {
    this.assertCanManage(actorId, userId, 'lock')
    this.db
      .transaction(() => {
        this.assertNotLastAdmin(userId, 'locked')
        this.db.prepare(`UPDATE users SET locked_until = ? WHERE id = ?`).run(ADMIN_LOCK_UNTIL, userId)
        this.auth.revokeSessions(userId)
      })
      .immediate()
    return this.view(userId)
  }

  unlock(actorId: string, userId: string): UserRecord {
    this.row(userId)
    this.assertCanManage(actorId, userId, 'unlock')
    this.db.prepare(`UPDATE users SET locked_until = NULL, failed_attempts = 0 WHERE id = ?`).run(userId)
    return this.view(userId)
  }

  /** Grant a role, standing or until a time (elevation). The account's sessions rotate their tokens. */
  grantRole(actorId: string, userId: string, role: string, expiresAt?: string): UserRecord {
    this.row(userId)
    this.assertCanGrant(actorId, role)
    // Stored in UTC, so the expiry sweep can compare times as strings.
    const until = expiresAt === undefined ? null : new Date(Date.parse(expiresAt)).toISOString()
    if (until !== null && Date.parse(until) <= this.clock.now()) {
      throw new DomainError('INVALID_INPUT', 'The elevation must end in the future.')
    }
    const standing = this.db
      .prepare(`SELECT 1 FROM user_roles WHERE user_id = ? AND role = ? AND expires_at IS NULL`)
      .get(userId, role)
    if (until !== null && standing) {
      throw new DomainError(
        'CONFLICT',
        `The account already holds ${role} without an end; a timed grant would shorten it. Revoke it first if that is what you mean.`,
      )
    }
    this.db
      .transaction(() => {
        this.db
          .prepare(
            `INSERT INTO user_roles (user_id, role, expires_at, granted_by, granted_at) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT(user_id, role) DO UPDATE SET expires_at = excluded.expires_at, granted_by = excluded.granted_by, granted_at = excluded.granted_at`,
          )
          .run(userId, role, until, actorId, iso(this.clock.now()))
        this.db.prepare(`UPDATE sessions SET rotate = 1 WHERE user_id = ? AND revoked_at IS NULL`).run(userId)
      })
      .immediate()
    return this.view(userId)
  }

  revokeRole(actorId: string, userId: string, role: string): UserRecord {
    this.row(userId)
    this.assertCanGrant(actorId, role)
    this.db
      .transaction(() => {
        if (role === 'admin') this.assertNotLastAdmin(userId, 'demoted')
        const n = this.db
          .prepare(`DELETE FROM user_roles WHERE user_id = ? AND role = ?`)
          .run(userId, role).changes
        if (n === 0) throw new DomainError('NOT_FOUND', `The account does not have the role ${role}.`)
        this.db.prepare(`UPDATE sessions SET rotate = 1 WHERE user_id = ? AND revoked_at IS NULL`).run(userId)
      })
      .immediate()
    return this.view(userId)
  }

  /** An administrator sets a new password for an account; all its sessions end. */
  async resetPassword(actorId: string, userId: string, password: string): Promise<UserRecord> {
    const u = this.row(userId)
    this.assertCanManage(actorId, userId, 'reset the password of')
    await this.auth.assertAcceptable(password, u.name, u.email, userId)
    const hash = await this.auth.hashPassword(password)
    this.db
      .transaction(() => {
        this.auth.storePasswordHash(userId, hash)
        this.auth.revokeSessions(userId)
      })
      .immediate()
    return this.view(userId)
  }

  /** Remove another account's second factor (it must enroll again where MFA is required). Never one's own. */
  resetMfa(actorId: string, userId: string): UserRecord {
    if (actorId === userId) {
      throw new DomainError(
        'FORBIDDEN',
        'You cannot reset your own two-factor authentication; another administrator must do it.',
      )
    }
    this.row(userId)
    this.assertCanManage(actorId, userId, 'reset the two-factor authentication of')
    this.db
      .transaction(() => {
        if (!this.mfa.remove(userId))
          throw new DomainError('CONFLICT', 'This account has no two-factor authentication to reset.')
        this.auth.revokeSessions(userId)
      })
      .immediate()
    return this.view(userId)
  }

  /** Every account, its roles and effective permissions, MFA, last login and last use of each permission. */
  accessReview(mfaRequiredRoles: readonly string[] = ['admin']): AccessReviewRow[] {
    const now = this.clock.now()
    const required = new Set(mfaRequiredRoles)
    return this.list().map((u) => {
      const permissions = this.rbac.permissionsFor(u.roles)
      const lastActive = u.lastLoginAt ?? u.createdAt
      const flags: string[] = []
      if (now - Date.parse(lastActive) > 90 * DAY) flags.push('unused-90-days')
      if (u.roles.includes('admin') && !u.mfaEnabled) flags.push('admin-without-mfa')
      else if (u.roles.some((r) => required.has(r)) && !u.mfaEnabled) flags.push('mfa-required-but-off')
      if (u.elevations.length > 0) flags.push('temporary-elevation')
      return {
        name: u.name,
        email: u.email,
        roles: u.roles,
        elevations: u.elevations,
        permissions,
        mfaEnabled: u.mfaEnabled,
        lastLoginAt: u.lastLoginAt,
        lastUse: this.rbac.lastUses(u.id),
        locked: u.locked,
        flags,
      }
    })
  }
}
