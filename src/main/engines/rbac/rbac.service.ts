import type { Db } from '../../db/connection'
import { DomainError } from '../../domain-error'
import type { Clock } from '../../platform/clock'
import { iso } from '../../platform/clock'
import type { AuditLog } from '../audit/audit-log'
import type { SettingsStore } from '../settings/settings.store'
import { BUILTIN_ROLES, PERMISSIONS, type Permission } from '../../../shared/permissions'
import type { Access } from '../../../shared/contract'

export interface Decision {
  allowed: boolean
  /** Which grant allowed it, or which condition failed: recorded in the audit entry, shown to the user on denial. */
  reason: string
}

export interface Subject {
  userId: string
  roles: readonly string[]
}

export interface RequestContext {
  /** Client address where the transport has one (browser mode). */
  address?: string
}

export interface RoleInfo {
  name: string
  description: string
  builtin: boolean
  permissions: Permission[]
}

const BUILTIN_DESCRIPTIONS: Record<keyof typeof BUILTIN_ROLES, string> = {
  user: 'Reads and creates quantum states; reads, creates and sends consciousness streams.',
  researcher: 'A user who also updates and synchronizes quantum states and manages streams.',
  admin: 'Every permission, including accounts and system configuration.',
}

/** Roles allowed to act on resources owned by another account. */
export const CROSS_OWNER_ROLES = ['researcher', 'admin'] as const

/**
 * Role-based access control with context: built-in and custom roles, time-limited grants that expire by
 * themselves (audited), per-permission time windows and client restrictions. Deny by default; every decision
 * says why.
 */
export class RbacService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly settings: SettingsStore,
    private readonly audit: AuditLog,
  ) {}

  listRoles(): RoleInfo[] {
    const builtin = (Object.keys(BUILTIN_ROLES) as (keyof typeof BUILTIN_ROLES)[]).map((name) => ({
      name,
      description: BUILTIN_DESCRIPTIONS[name],
      builtin: true,
      permissions: [...BUILTIN_ROLES[name]],
    }))
    const custom = (
      this.db.prepare(`SELECT name, description, permissions FROM custom_roles ORDER BY name`).all() as {
        name: string
        description: string
        permissions: string
      }[]
    ).map((r) => ({
      name: r.name,
      description: r.description,
      builtin: false,
      permissions: JSON.parse(r.permissions) as Permission[],
    }))
    return [...builtin, ...custom]
  }

  roleExists(name: string): boolean {
    return this.listRoles().some((r) => r.name === name)
  }

  grantsOf(role: string): readonly Permission[] {
    // Own properties only: a role named "constructor" must not find Object.prototype's.
    if (Object.hasOwn(BUILTIN_ROLES, role)) return BUILTIN_ROLES[role as keyof typeof BUILTIN_ROLES]
    const row = this.db.prepare(`SELECT permissions FROM custom_roles WHERE name = ?`).get(role) as
      { permissions: string } | undefined
    return row ? (JSON.parse(row.permissions) as Permission[]) : []
  }

  createRole(name: string, description: string, permissions: readonly Permission[], actor: string): RoleInfo {
    if (this.roleExists(name)) throw new DomainError('CONFLICT', `A role named "${name}" already exists.`)
    const perms = PERMISSIONS.filter((p) => permissions.includes(p))
    if (perms.length === 0) throw new DomainError('INVALID_INPUT', 'A role needs at least one permission.')
    this.db
      .prepare(
        `INSERT INTO custom_roles (name, description, permissions, created_at, created_by) VALUES (?, ?, ?, ?, ?)`,
      )
      .run(name, description, JSON.stringify(perms), iso(this.clock.now()), actor)
    return { name, description, builtin: false, permissions: perms }
  }

  /** Remove grants whose time has come, auditing each expiry. */
  sweepExpiredGrants(): void {
    const now = iso(this.clock.now())
    const expired = this.db
      .prepare(
        `SELECT r.user_id, r.role, r.expires_at, u.name FROM user_roles r JOIN users u ON u.id = r.user_id WHERE r.expires_at IS NOT NULL AND r.expires_at <= ?`,
      )
      .all(now) as { user_id: string; role: string; expires_at: string; name: string }[]
    for (const g of expired) {
      this.db.transaction(() => {
        this.db
          .prepare(`DELETE FROM user_roles WHERE user_id = ? AND role = ? AND expires_at = ?`)
          .run(g.user_id, g.role, g.expires_at)
        this.db
          .prepare(`UPDATE sessions SET rotate = 1 WHERE user_id = ? AND revoked_at IS NULL`)
          .run(g.user_id)
        this.audit.record({
          type: 'authorization',
          actor: null,
          client: 'system',
          action: 'rbac.grantExpired',
          resource: `user:${g.user_id}`,
          result: 'success',
          risk: 'medium',
          details: { user: g.name, role: g.role, expiredAt: g.expires_at },
        })
      })()
    }
  }

  rolesOf(userId: string): string[] {
    this.sweepExpiredGrants()
    return (
      this.db.prepare(`SELECT role FROM user_roles WHERE user_id = ? ORDER BY role`).all(userId) as {
        role: string
      }[]
    ).map((r) => r.role)
  }

  permissionsFor(roles: readonly string[]): Permission[] {
    const granted = new Set<Permission>()
    for (const role of roles) for (const p of this.grantsOf(role)) granted.add(p)
    return PERMISSIONS.filter((p) => granted.has(p))
  }

  private hourIn(timeZone: string): number {
    const h = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', hourCycle: 'h23' }).format(
      new Date(this.clock.now()),
    )
    return Number.parseInt(h, 10)
  }

  authorize(subject: Subject | null, access: Access, ctx: RequestContext = {}): Decision {
    if (access === 'public') return { allowed: true, reason: 'public call' }
    if (!subject) return { allowed: false, reason: 'not signed in' }
    if (access === 'session') return { allowed: true, reason: 'any signed-in account' }
    const role = subject.roles.find((r) => this.grantsOf(r).includes(access))
    if (!role) return { allowed: false, reason: `no role of this account grants ${access}` }
    const s = this.settings.get()
    const window = s.permissionWindows[access]
    if (window) {
      const hour = this.hourIn(s.timeZone)
      if (hour < window.fromHour || hour >= window.toHour) {
        return {
          allowed: false,
          reason: `${access} is allowed only ${String(window.fromHour).padStart(2, '0')}:00–${String(window.toHour).padStart(2, '0')}:00 (${s.timeZone}); it is ${String(hour).padStart(2, '0')}:xx there`,
        }
      }
    }
    const clients = s.clientRestrictions[access]
    if (clients && ctx.address !== undefined && !clients.includes(ctx.address)) {
      return { allowed: false, reason: `${access} is not allowed from client ${ctx.address}` }
    }
    return { allowed: true, reason: `role ${role} grants ${access}` }
  }

  /** Acting on a resource owned by another account needs a researcher or admin role on top of the permission. */
  authorizeOwned(
    subject: Subject,
    permission: Permission,
    ownerId: string,
    ctx: RequestContext = {},
  ): Decision {
    const base = this.authorize(subject, permission, ctx)
    if (!base.allowed || ownerId === subject.userId) return base
    const cross = subject.roles.find((r) => (CROSS_OWNER_ROLES as readonly string[]).includes(r))
    if (!cross)
      return {
        allowed: false,
        reason: `the resource belongs to another account; that needs the researcher or admin role`,
      }
    return { allowed: true, reason: `${base.reason}; role ${cross} may act on other accounts' resources` }
  }

  recordUse(userId: string, permission: Permission): void {
    this.db
      .prepare(
        `INSERT INTO permission_use (user_id, permission, last_used_at) VALUES (?, ?, ?)
         ON CONFLICT(user_id, permission) DO UPDATE SET last_used_at = excluded.last_used_at`,
      )
      .run(userId, permission, iso(this.clock.now()))
  }

  lastUses(userId: string): Partial<Record<Permission, string>> {
    const rows = this.db
      .prepare(`SELECT permission, last_used_at FROM permission_use WHERE user_id = ?`)
      .all(userId) as {
      permission: Permission
      last_used_at: string
    }[]
    return Object.fromEntries(rows.map((r) => [r.permission, r.last_used_at]))
  }
}
