import { randomUUID } from 'node:crypto'
import type { Db } from '../../db/connection'
import { DomainError } from '../../domain-error'
import type { Clock } from '../../platform/clock'
import { iso } from '../../platform/clock'
import { randomBytes, sha256Hex } from '../../crypto/primitives'
import type { Permission } from '../../../shared/permissions'
import type { PasswordVerdict, UserView } from '../../../shared/contract'
import { permissionsFor } from '../rbac/rbac'
import { PasswordHasher } from './password-hasher'
import { evaluatePassword, PASSWORD_PRESETS } from './password-policy'

export interface AuthSettings {
  maxFailedAttempts: number
  lockoutMinutes: number
  idleTimeoutMinutes: number
  absoluteLifetimeHours: number
  maxSessionsPerAccount: number
}

export const DEFAULT_AUTH_SETTINGS: AuthSettings = {
  maxFailedAttempts: 5,
  lockoutMinutes: 30,
  idleTimeoutMinutes: 15,
  absoluteLifetimeHours: 8,
  maxSessionsPerAccount: 3,
}

interface UserRow {
  id: string
  name: string
  email: string | null
  password_hash: string
  created_at: string
  last_login_at: string | null
  failed_attempts: number
  lockouts: number
  locked_until: string | null
}

interface SessionRow {
  token_hash: string
  user_id: string
  client: string
  created_at: string
  last_seen_at: string
  absolute_expires_at: string
  revoked_at: string | null
}

export interface ResolvedSession {
  id: string
  userId: string
  userName: string
  roles: string[]
  permissions: Permission[]
  idleExpiresAt: string
  absoluteExpiresAt: string
}

export interface LoginResult {
  token: string
  session: ResolvedSession
}

/** Opaque 256-bit session tokens; the database keeps only their SHA-256. */
const tokenHash = (token: string): string => sha256Hex(token)
/** Short, non-secret session reference for audit entries. */
export const sessionRef = (hash: string): string => hash.slice(0, 12)

export class AuthService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly hasher: PasswordHasher = new PasswordHasher(),
    private readonly settings: AuthSettings = DEFAULT_AUTH_SETTINGS,
  ) {}

  hasAccounts(): boolean {
    return this.db.prepare(`SELECT 1 FROM users LIMIT 1`).get() !== undefined
  }

  evaluatePassword(password: string, name?: string, email?: string): PasswordVerdict {
    return evaluatePassword(password, { name, email }, PASSWORD_PRESETS.nist)
  }

  private rolesOf(userId: string): string[] {
    return (
      this.db.prepare(`SELECT role FROM user_roles WHERE user_id = ? ORDER BY role`).all(userId) as {
        role: string
      }[]
    ).map((r) => r.role)
  }

  private view(u: UserRow): UserView {
    const now = this.clock.now()
    const locked = u.locked_until !== null && Date.parse(u.locked_until) > now
    return {
      id: u.id,
      name: u.name,
      email: u.email,
      roles: this.rolesOf(u.id),
      createdAt: u.created_at,
      lastLoginAt: u.last_login_at,
      locked,
      lockedUntil: locked ? u.locked_until : null,
    }
  }

  private byName(name: string): UserRow | undefined {
    return this.db.prepare(`SELECT * FROM users WHERE name = ?`).get(name) as UserRow | undefined
  }

  userById(id: string): UserView {
    const u = this.db.prepare(`SELECT * FROM users WHERE id = ?`).get(id) as UserRow | undefined
    if (!u) throw new DomainError('NOT_FOUND', 'No such account.')
    return this.view(u)
  }

  listUsers(): UserView[] {
    return (this.db.prepare(`SELECT * FROM users ORDER BY name`).all() as UserRow[]).map((u) => this.view(u))
  }

  /** Create the first administrator. Refused once any account exists: there are no default credentials. */
  async setupAdmin(name: string, password: string, email?: string): Promise<UserView> {
    if (this.hasAccounts())
      throw new DomainError('CONFLICT', 'The console is already set up; sign in instead.')
    const verdict = this.evaluatePassword(password, name, email)
    if (!verdict.acceptable) {
      throw new DomainError(
        'INVALID_INPUT',
        `Password rejected: ${verdict.failures.map((f) => f.message).join(' ')}`,
        {
          failures: verdict.failures,
        },
      )
    }
    const hash = await this.hasher.hash(password)
    const id = randomUUID()
    const created = this.db
      .transaction(() => {
        if (this.hasAccounts()) return false // lost a race with another setup
        this.db
          .prepare(`INSERT INTO users (id, name, email, password_hash, created_at) VALUES (?, ?, ?, ?, ?)`)
          .run(id, name, email ?? null, hash, iso(this.clock.now()))
        this.db.prepare(`INSERT INTO user_roles (user_id, role) VALUES (?, 'admin')`).run(id)
        return true
      })
      .immediate()
    if (!created) throw new DomainError('CONFLICT', 'The console is already set up; sign in instead.')
    return this.userById(id)
  }

  /**
   * Password sign-in. An unknown account and a wrong password take the same time and say the same thing.
   * A locked account is refused even with the right password, and the refusal says until when.
   */
  async login(name: string, password: string, client: string): Promise<LoginResult> {
    const u = this.byName(name)
    if (!u) {
      await this.hasher.verifyDummy(password)
      throw new DomainError('BAD_CREDENTIALS', 'Wrong account name or password.')
    }
    const good = await this.hasher.verify(u.password_hash, password)
    const now = this.clock.now()
    const current = this.db.prepare(`SELECT * FROM users WHERE id = ?`).get(u.id) as UserRow
    if (current.locked_until !== null && Date.parse(current.locked_until) > now) {
      throw this.lockedError(current.locked_until, current.lockouts)
    }
    if (!good) {
      const lockedUntil = this.recordFailure(current, now)
      if (lockedUntil) throw this.lockedError(lockedUntil, current.lockouts + 1)
      throw new DomainError('BAD_CREDENTIALS', 'Wrong account name or password.')
    }
    const rehash = this.hasher.needsRehash(current.password_hash) ? await this.hasher.hash(password) : null
    return this.db
      .transaction(() => {
        this.db
          .prepare(
            `UPDATE users SET failed_attempts = 0, locked_until = NULL, last_login_at = ? WHERE id = ?`,
          )
          .run(iso(now), u.id)
        if (rehash) this.db.prepare(`UPDATE users SET password_hash = ? WHERE id = ?`).run(rehash, u.id)
        return this.startSession(u.id, client, now)
      })
      .immediate()
  }

  private lockedError(until: string, lockouts: number): DomainError {
    return new DomainError(
      'LOCKED',
      `Account locked until ${until.replace('T', ' ').slice(0, 16)} UTC after ${this.settings.maxFailedAttempts} failed attempts.`,
      { lockedUntil: until, lockouts },
    )
  }

  /** Count a failure; at the limit lock the account, longer after each repeated lockout (capped at 8×). */
  private recordFailure(u: UserRow, now: number): string | null {
    const attempts = u.failed_attempts + 1
    if (attempts < this.settings.maxFailedAttempts) {
      this.db.prepare(`UPDATE users SET failed_attempts = ? WHERE id = ?`).run(attempts, u.id)
      return null
    }
    const factor = Math.min(2 ** u.lockouts, 8)
    const until = iso(now + this.settings.lockoutMinutes * 60_000 * factor)
    this.db
      .prepare(`UPDATE users SET failed_attempts = 0, lockouts = lockouts + 1, locked_until = ? WHERE id = ?`)
      .run(until, u.id)
    return until
  }

  private startSession(userId: string, client: string, now: number): LoginResult {
    const token = randomBytes(32).toString('base64url')
    const hash = tokenHash(token)
    const absolute = iso(now + this.settings.absoluteLifetimeHours * 3_600_000)
    this.db
      .prepare(
        `INSERT INTO sessions (token_hash, user_id, client, created_at, last_seen_at, absolute_expires_at) VALUES (?, ?, ?, ?, ?, ?)`,
      )
      .run(hash, userId, client, iso(now), iso(now), absolute)
    // At most N live sessions per account: the oldest go.
    const live = this.db
      .prepare(
        `SELECT token_hash FROM sessions WHERE user_id = ? AND revoked_at IS NULL ORDER BY created_at DESC, rowid DESC`,
      )
      .all(userId) as { token_hash: string }[]
    const revoke = this.db.prepare(`UPDATE sessions SET revoked_at = ? WHERE token_hash = ?`)
    for (const s of live.slice(this.settings.maxSessionsPerAccount)) revoke.run(iso(now), s.token_hash)
    const session = this.resolve(token)
    if (!session) throw new Error('session vanished right after creation')
    return { token, session }
  }

  /** The live session for a token, touching its idle timer; null when unknown, revoked or expired. */
  resolve(token: string): ResolvedSession | null {
    const hash = tokenHash(token)
    const s = this.db.prepare(`SELECT * FROM sessions WHERE token_hash = ?`).get(hash) as
      SessionRow | undefined
    if (!s || s.revoked_at !== null) return null
    const now = this.clock.now()
    const idleMs = this.settings.idleTimeoutMinutes * 60_000
    if (Date.parse(s.absolute_expires_at) <= now || Date.parse(s.last_seen_at) + idleMs <= now) {
      this.db.prepare(`UPDATE sessions SET revoked_at = ? WHERE token_hash = ?`).run(iso(now), hash)
      return null
    }
    this.db.prepare(`UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?`).run(iso(now), hash)
    const user = this.db.prepare(`SELECT name FROM users WHERE id = ?`).get(s.user_id) as
      { name: string } | undefined
    if (!user) return null
    const roles = this.rolesOf(s.user_id)
    return {
      id: sessionRef(hash),
      userId: s.user_id,
      userName: user.name,
      roles,
      permissions: permissionsFor(roles),
      idleExpiresAt: iso(Math.min(now + idleMs, Date.parse(s.absolute_expires_at))),
      absoluteExpiresAt: s.absolute_expires_at,
    }
  }

  logout(token: string): void {
    this.db
      .prepare(`UPDATE sessions SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL`)
      .run(iso(this.clock.now()), tokenHash(token))
  }

  get idleTimeoutSeconds(): number {
    return this.settings.idleTimeoutMinutes * 60
  }
}
