import type { Db } from '../../db/connection'
import { DomainError } from '../../domain-error'
import type { Clock } from '../../platform/clock'
import { iso } from '../../platform/clock'
import { randomBytes, sha256Hex } from '../../crypto/primitives'
import type { Permission } from '../../../shared/permissions'
import type { PasswordVerdict } from '../../../shared/contract'
import type { RbacService } from '../rbac/rbac.service'
import type { SettingsStore } from '../settings/settings.store'
import type { MfaService } from './mfa.service'
import { PasswordHasher } from './password-hasher'
import { evaluatePassword, PASSWORD_PRESETS } from './password-policy'

export interface UserRow {
  id: string
  name: string
  email: string | null
  password_hash: string
  created_at: string
  last_login_at: string | null
  failed_attempts: number
  lockouts: number
  locked_until: string | null
  password_changed_at: string | null
}

interface SessionRow {
  token_hash: string
  user_id: string
  client: string
  created_at: string
  last_seen_at: string
  absolute_expires_at: string
  revoked_at: string | null
  restriction: string | null
  rotate: number
}

export type SessionRestriction = 'mfa-enrollment'

export interface ResolvedSession {
  id: string
  userId: string
  userName: string
  roles: string[]
  permissions: Permission[]
  idleExpiresAt: string
  absoluteExpiresAt: string
  /** Set while the account must enroll MFA before it can do anything else. */
  restriction: SessionRestriction | null
}

export interface LoginResult {
  token: string
  session: ResolvedSession
  secondFactor: 'otp' | 'backup-code' | null
}

export interface SessionInfo {
  id: string
  client: string
  createdAt: string
  lastSeenAt: string
  absoluteExpiresAt: string
}

/** An administrator's lock has no natural end: it lasts until an administrator unlocks the account. */
export const ADMIN_LOCK_UNTIL = '9999-12-31T23:59:59.000Z'

/** Window over which a client's failed sign-ins are counted, across all accounts (against spraying). */
export const CLIENT_FAILURE_WINDOW_MS = 15 * 60_000

/** Passwords an account may not reuse: its current one and the ones before it. */
export const PASSWORD_HISTORY = 5

/** Opaque 256-bit session tokens; the database keeps only their SHA-256. */
const tokenHash = (token: string): string => sha256Hex(token)
/** Short, non-secret session reference for audit entries and session lists. */
export const sessionRef = (hash: string): string => hash.slice(0, 12)

export class AuthService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly settings: SettingsStore,
    private readonly rbac: RbacService,
    private readonly mfa: MfaService,
    private readonly hasher: PasswordHasher = new PasswordHasher(),
  ) {}

  hasAccounts(): boolean {
    return this.db.prepare(`SELECT 1 FROM users LIMIT 1`).get() !== undefined
  }

  byName(name: string): UserRow | undefined {
    return this.db.prepare(`SELECT * FROM users WHERE name = ?`).get(name) as UserRow | undefined
  }

  byId(id: string): UserRow | undefined {
    return this.db.prepare(`SELECT * FROM users WHERE id = ?`).get(id) as UserRow | undefined
  }

  evaluatePassword(password: string, name?: string, email?: string): PasswordVerdict {
    return evaluatePassword(password, { name, email }, PASSWORD_PRESETS[this.settings.get().passwordPreset])
  }

  /** Policy check for a new password of an existing or new account, including the reuse history. */
  async assertAcceptable(
    password: string,
    name: string,
    email: string | null | undefined,
    userId?: string,
  ): Promise<void> {
    const verdict = this.evaluatePassword(password, name, email ?? undefined)
    if (!verdict.acceptable) {
      throw new DomainError(
        'INVALID_INPUT',
        `Password rejected: ${verdict.failures.map((f) => f.message).join(' ')}`,
        {
          failures: verdict.failures,
        },
      )
    }
    if (userId) {
      const recent = this.db
        .prepare(
          `SELECT password_hash FROM password_history WHERE user_id = ? ORDER BY changed_at DESC, rowid DESC LIMIT ?`,
        )
        .all(userId, PASSWORD_HISTORY) as { password_hash: string }[]
      for (const r of recent) {
        if (await this.hasher.verify(r.password_hash, password)) {
          throw new DomainError(
            'INVALID_INPUT',
            `Password rejected: it is one of this account's last ${PASSWORD_HISTORY} passwords.`,
            {
              failures: [
                { rule: 'history', message: `Do not reuse any of your last ${PASSWORD_HISTORY} passwords.` },
              ],
            },
          )
        }
      }
    }
  }

  hashPassword(password: string): Promise<string> {
    return this.hasher.hash(password)
  }

  /** Store a new password hash with its history entry (inside the caller's transaction). */
  storePasswordHash(userId: string, hash: string): void {
    const now = iso(this.clock.now())
    this.db
      .prepare(`UPDATE users SET password_hash = ?, password_changed_at = ? WHERE id = ?`)
      .run(hash, now, userId)
    this.db
      .prepare(`INSERT INTO password_history (user_id, password_hash, changed_at) VALUES (?, ?, ?)`)
      .run(userId, hash, now)
    this.db
      .prepare(
        `DELETE FROM password_history WHERE user_id = ? AND rowid NOT IN (SELECT rowid FROM password_history WHERE user_id = ? ORDER BY changed_at DESC, rowid DESC LIMIT ?)`,
      )
      .run(userId, userId, PASSWORD_HISTORY)
  }

  /**
   * Sign in. An unknown account and a wrong password take the same time and say the same thing. A locked
   * account is refused even with the right password, and the refusal says until when. With MFA on, a valid
   * one-time code or an unused backup code is needed; a wrong one counts toward the lockout.
   */
  async login(
    name: string,
    password: string,
    client: string,
    proof: { otp?: string; backupCode?: string } = {},
  ): Promise<LoginResult> {
    this.assertClientNotSpraying(client)
    const u = this.byName(name)
    if (!u) {
      await this.hasher.verifyDummy(password)
      this.recordClientFailure(client)
      throw new DomainError('BAD_CREDENTIALS', 'Wrong account name or password.')
    }
    const good = await this.hasher.verify(u.password_hash, password)
    const now = this.clock.now()
    const current = this.byId(u.id)!
    if (current.locked_until !== null && Date.parse(current.locked_until) > now) {
      throw this.lockedError(current.locked_until, current.lockouts)
    }
    if (!good) {
      this.recordClientFailure(client)
      const lockedUntil = this.recordFailure(current, now)
      if (lockedUntil) throw this.lockedError(lockedUntil, current.lockouts + 1)
      throw new DomainError('BAD_CREDENTIALS', 'Wrong account name or password.')
    }
    let secondFactor: LoginResult['secondFactor'] = null
    if (this.mfa.isEnabled(u.id)) {
      if (proof.otp === undefined && proof.backupCode === undefined) {
        throw new DomainError(
          'MFA_REQUIRED',
          'Enter the 6-digit code from your authenticator app, or a backup code.',
        )
      }
      secondFactor = this.mfa.verify(u.id, proof)
      if (!secondFactor) {
        this.recordClientFailure(client)
        const lockedUntil = this.recordFailure(current, now)
        if (lockedUntil) throw this.lockedError(lockedUntil, current.lockouts + 1)
        throw new DomainError('BAD_CREDENTIALS', 'Wrong or already used code.', {
          factor: proof.otp !== undefined ? 'otp' : 'backup-code',
        })
      }
    }
    const roles = this.rbac.rolesOf(u.id)
    const required = this.settings.get().mfaRequiredRoles
    const restriction: SessionRestriction | null =
      !secondFactor && roles.some((r) => required.includes(r)) ? 'mfa-enrollment' : null
    const rehash = this.hasher.needsRehash(current.password_hash) ? await this.hasher.hash(password) : null
    const token = this.db
      .transaction(() => {
        this.db
          .prepare(
            `UPDATE users SET failed_attempts = 0, locked_until = NULL, last_login_at = ? WHERE id = ?`,
          )
          .run(iso(now), u.id)
        if (rehash) this.db.prepare(`UPDATE users SET password_hash = ? WHERE id = ?`).run(rehash, u.id)
        return this.startSession(u.id, client, now, restriction)
      })
      .immediate()
    const session = this.resolve(token)?.session
    if (!session) throw new Error('session vanished right after creation')
    return { token, session, secondFactor }
  }

  /** One client may fail only so often in the window, whichever accounts it tries (password spraying). */
  private assertClientNotSpraying(client: string): void {
    const now = this.clock.now()
    const since = iso(now - CLIENT_FAILURE_WINDOW_MS)
    this.db.prepare(`DELETE FROM login_failures WHERE at < ?`).run(since)
    const rows = this.db
      .prepare(`SELECT at FROM login_failures WHERE client = ? AND at >= ? ORDER BY at`)
      .all(client, since) as { at: string }[]
    const limit = this.settings.get().maxFailuresPerClient
    if (rows.length >= limit) {
      const until = iso(Date.parse(rows[rows.length - limit]!.at) + CLIENT_FAILURE_WINDOW_MS)
      throw new DomainError(
        'RATE_LIMITED',
        `Too many failed sign-ins from this client (${limit} in 15 minutes); try again after ${until.replace('T', ' ').slice(0, 16)} UTC.`,
        { retryAt: until },
      )
    }
  }

  private recordClientFailure(client: string): void {
    this.db
      .prepare(`INSERT INTO login_failures (client, at) VALUES (?, ?)`)
      .run(client, iso(this.clock.now()))
  }

  private lockedError(until: string, lockouts: number): DomainError {
    if (until === ADMIN_LOCK_UNTIL) {
      return new DomainError(
        'LOCKED',
        'Account locked by an administrator; ask an administrator to unlock it.',
        {
          lockedUntil: null,
        },
      )
    }
    return new DomainError(
      'LOCKED',
      `Account locked until ${until.replace('T', ' ').slice(0, 16)} UTC after ${this.settings.get().maxFailedAttempts} failed attempts.`,
      { lockedUntil: until, lockouts },
    )
  }

  /** Count a failure; at the limit lock the account, longer after each repeated lockout (capped at 8×). */
  private recordFailure(u: UserRow, now: number): string | null {
    const s = this.settings.get()
    const attempts = u.failed_attempts + 1
    if (attempts < s.maxFailedAttempts) {
      this.db.prepare(`UPDATE users SET failed_attempts = ? WHERE id = ?`).run(attempts, u.id)
      return null
    }
    const factor = Math.min(2 ** u.lockouts, 8)
    const until = iso(now + s.lockoutMinutes * 60_000 * factor)
    this.db
      .prepare(`UPDATE users SET failed_attempts = 0, lockouts = lockouts + 1, locked_until = ? WHERE id = ?`)
      .run(until, u.id)
    return until
  }

  private startSession(
    userId: string,
    client: string,
    now: number,
    restriction: SessionRestriction | null,
    absolute?: string,
  ): string {
    const s = this.settings.get()
    const token = randomBytes(32).toString('base64url')
    this.db
      .prepare(
        `INSERT INTO sessions (token_hash, user_id, client, created_at, last_seen_at, absolute_expires_at, restriction) VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        tokenHash(token),
        userId,
        client,
        iso(now),
        iso(now),
        absolute ?? iso(now + s.absoluteLifetimeHours * 3_600_000),
        restriction,
      )
    // At most N live sessions per account: the oldest go.
    const live = this.db
      .prepare(
        `SELECT token_hash FROM sessions WHERE user_id = ? AND revoked_at IS NULL ORDER BY created_at DESC, rowid DESC`,
      )
      .all(userId) as { token_hash: string }[]
    const revoke = this.db.prepare(`UPDATE sessions SET revoked_at = ? WHERE token_hash = ?`)
    for (const old of live.slice(s.maxSessionsPerAccount)) revoke.run(iso(now), old.token_hash)
    return token
  }

  /**
   * The live session for a token, touching its idle timer; null when unknown, revoked or expired.
   * When the account's roles changed since, the token is rotated: the old one ends and `rotatedToken` replaces it.
   */
  resolve(token: string): { session: ResolvedSession; rotatedToken?: string } | null {
    let hash = tokenHash(token)
    let s = this.db.prepare(`SELECT * FROM sessions WHERE token_hash = ?`).get(hash) as SessionRow | undefined
    if (!s || s.revoked_at !== null) return null
    const now = this.clock.now()
    const settings = this.settings.get()
    const idleMs = settings.idleTimeoutMinutes * 60_000
    if (Date.parse(s.absolute_expires_at) <= now || Date.parse(s.last_seen_at) + idleMs <= now) {
      this.db.prepare(`UPDATE sessions SET revoked_at = ? WHERE token_hash = ?`).run(iso(now), hash)
      return null
    }
    const user = this.byId(s.user_id)
    if (!user) return null
    const roles = this.rbac.rolesOf(s.user_id)
    let rotatedToken: string | undefined
    const reread = this.db.prepare(`SELECT * FROM sessions WHERE token_hash = ?`).get(hash) as SessionRow
    if (reread.rotate === 1) {
      const row = reread
      rotatedToken = this.db
        .transaction(() => {
          this.db.prepare(`UPDATE sessions SET revoked_at = ? WHERE token_hash = ?`).run(iso(now), hash)
          return this.startSession(
            row.user_id,
            row.client,
            now,
            row.restriction as SessionRestriction | null,
            row.absolute_expires_at,
          )
        })
        .immediate()
      hash = tokenHash(rotatedToken)
      s = this.db.prepare(`SELECT * FROM sessions WHERE token_hash = ?`).get(hash) as SessionRow
    }
    this.db.prepare(`UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?`).run(iso(now), hash)
    const session: ResolvedSession = {
      id: sessionRef(hash),
      userId: s.user_id,
      userName: user.name,
      roles,
      permissions: this.rbac.permissionsFor(roles),
      idleExpiresAt: iso(Math.min(now + idleMs, Date.parse(s.absolute_expires_at))),
      absoluteExpiresAt: s.absolute_expires_at,
      restriction: s.restriction === 'mfa-enrollment' ? 'mfa-enrollment' : null,
    }
    return rotatedToken ? { session, rotatedToken } : { session }
  }

  /** Lift the enrollment restriction once MFA is on (same token, same limits). */
  liftRestriction(userId: string): void {
    this.db
      .prepare(`UPDATE sessions SET restriction = NULL WHERE user_id = ? AND revoked_at IS NULL`)
      .run(userId)
  }

  logout(token: string): void {
    this.db
      .prepare(`UPDATE sessions SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL`)
      .run(iso(this.clock.now()), tokenHash(token))
  }

  /** Revoke every session of an account, optionally keeping one (by session ref). Returns how many ended. */
  revokeSessions(userId: string, keepRef?: string): number {
    const live = this.listSessions(userId)
    const revoke = this.db.prepare(
      `UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND substr(token_hash, 1, 12) = ? AND revoked_at IS NULL`,
    )
    let n = 0
    for (const s of live) if (s.id !== keepRef) n += revoke.run(iso(this.clock.now()), userId, s.id).changes
    return n
  }

  /** End one session of an account by its reference. */
  revokeSession(userId: string, ref: string): number {
    return this.db
      .prepare(
        `UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND substr(token_hash, 1, 12) = ? AND revoked_at IS NULL`,
      )
      .run(iso(this.clock.now()), userId, ref).changes
  }

  listSessions(userId: string): SessionInfo[] {
    const now = this.clock.now()
    const idleMs = this.settings.get().idleTimeoutMinutes * 60_000
    return (
      this.db
        .prepare(
          `SELECT * FROM sessions WHERE user_id = ? AND revoked_at IS NULL ORDER BY created_at DESC, rowid DESC`,
        )
        .all(userId) as SessionRow[]
    )
      .filter((s) => Date.parse(s.absolute_expires_at) > now && Date.parse(s.last_seen_at) + idleMs > now)
      .map((s) => ({
        id: sessionRef(s.token_hash),
        client: s.client,
        createdAt: s.created_at,
        lastSeenAt: s.last_seen_at,
        absoluteExpiresAt: s.absolute_expires_at,
      }))
  }

  /** Change one's own password: proves the current one, applies the policy and history, ends other sessions. */
  async changePassword(userId: string, current: string, next: string, keepRef: string): Promise<number> {
    const u = this.byId(userId)
    if (!u) throw new DomainError('NOT_FOUND', 'No such account.')
    if (!(await this.hasher.verify(u.password_hash, current))) {
      throw new DomainError('BAD_CREDENTIALS', 'The current password is wrong.')
    }
    await this.assertAcceptable(next, u.name, u.email, userId)
    const hash = await this.hasher.hash(next)
    return this.db
      .transaction(() => {
        this.storePasswordHash(userId, hash)
        return this.revokeSessions(userId, keepRef)
      })
      .immediate()
  }

  /** Re-check the signed-in user's password (before the riskiest actions). */
  async confirmPassword(userId: string, password: string): Promise<void> {
    const u = this.byId(userId)
    if (!u || !(await this.hasher.verify(u.password_hash, password))) {
      throw new DomainError('BAD_CREDENTIALS', 'The password is wrong.')
    }
  }

  get idleTimeoutSeconds(): number {
    return this.settings.get().idleTimeoutMinutes * 60
  }
}
