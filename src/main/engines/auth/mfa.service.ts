import type { Db } from '../../db/connection'
import { DomainError } from '../../domain-error'
import { deriveKey, hmacSha256, open, seal } from '../../crypto/primitives'
import type { Clock } from '../../platform/clock'
import { iso } from '../../platform/clock'
import {
  newBackupCodes,
  newOtpSecret,
  normalizeBackupCode,
  otpauthUri,
  verifyHotp,
  verifyTotp,
} from './one-time-codes'

interface FactorRow {
  user_id: string
  kind: 'totp' | 'hotp'
  secret_sealed: Uint8Array
  confirmed_at: string | null
  last_counter: number
}

export interface MfaStatus {
  enabled: boolean
  kind: 'totp' | 'hotp' | null
  pendingEnrollment: boolean
  backupCodesLeft: number
}

export interface Enrollment {
  kind: 'totp' | 'hotp'
  secret: string
  otpauthUri: string
}

/**
 * Second factors: TOTP (authenticator apps) and HOTP (hardware tokens) with single-use backup codes.
 * Factor secrets are sealed at rest with a key derived from the keychain master key; backup codes are kept
 * as keyed hashes. A code's time step (TOTP) or counter (HOTP) can be used once.
 */
export class MfaService {
  private readonly secretKey: Uint8Array
  private readonly codeKey: Uint8Array

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    masterKey: Uint8Array,
  ) {
    this.secretKey = deriveKey(masterKey, 'mfa-secrets')
    this.codeKey = deriveKey(masterKey, 'backup-codes')
  }

  private factor(userId: string): FactorRow | undefined {
    return this.db.prepare(`SELECT * FROM mfa_factors WHERE user_id = ?`).get(userId) as FactorRow | undefined
  }

  private secretOf(f: FactorRow): string {
    return new TextDecoder().decode(open(this.secretKey, f.secret_sealed, `mfa:${f.user_id}`))
  }

  private codeMac(userId: string, code: string): string {
    return hmacSha256(this.codeKey, `${userId}:${normalizeBackupCode(code)}`).toString('hex')
  }

  status(userId: string): MfaStatus {
    const f = this.factor(userId)
    const left = (
      this.db
        .prepare(`SELECT count(*) AS n FROM backup_codes WHERE user_id = ? AND used_at IS NULL`)
        .get(userId) as { n: number }
    ).n
    return {
      enabled: !!f?.confirmed_at,
      kind: f?.confirmed_at ? f.kind : null,
      pendingEnrollment: !!f && !f.confirmed_at,
      backupCodesLeft: f?.confirmed_at ? left : 0,
    }
  }

  isEnabled(userId: string): boolean {
    return !!this.factor(userId)?.confirmed_at
  }

  /** Start (or restart) enrollment; the factor is off until a valid code confirms it. */
  begin(
    userId: string,
    account: string,
    kind: 'totp' | 'hotp' = 'totp',
    secret: string = newOtpSecret(),
  ): Enrollment {
    if (this.isEnabled(userId)) {
      throw new DomainError(
        'CONFLICT',
        'Two-factor authentication is already on for this account; disable or reset it first.',
      )
    }
    const sealed = seal(this.secretKey, new TextEncoder().encode(secret), `mfa:${userId}`)
    this.db
      .prepare(
        `INSERT INTO mfa_factors (user_id, kind, secret_sealed, confirmed_at, last_counter, created_at) VALUES (?, ?, ?, NULL, -1, ?)
         ON CONFLICT(user_id) DO UPDATE SET kind = excluded.kind, secret_sealed = excluded.secret_sealed, confirmed_at = NULL, last_counter = -1, created_at = excluded.created_at`,
      )
      .run(userId, kind, sealed, iso(this.clock.now()))
    return { kind, secret, otpauthUri: otpauthUri(kind, account, secret) }
  }

  /** Confirm a pending enrollment with a valid code; returns the backup codes, shown once. */
  confirm(userId: string, code: string): string[] {
    const f = this.factor(userId)
    if (!f || f.confirmed_at)
      throw new DomainError('CONFLICT', 'There is no enrollment waiting for confirmation; start again.')
    const counter = this.check(f, code)
    if (counter === null)
      throw new DomainError(
        'BAD_CREDENTIALS',
        'That code is not valid; check the time on your device and try the next code.',
      )
    return this.db
      .transaction(() => {
        this.db
          .prepare(`UPDATE mfa_factors SET confirmed_at = ?, last_counter = ? WHERE user_id = ?`)
          .run(iso(this.clock.now()), counter, userId)
        return this.replaceBackupCodes(userId)
      })
      .immediate()
  }

  /** Enroll and switch on at once (CLI init, where the first sign-in proves the authenticator). */
  enrollNow(userId: string, account: string): Enrollment & { backupCodes: string[] } {
    const e = this.begin(userId, account)
    return this.db
      .transaction(() => {
        this.db
          .prepare(`UPDATE mfa_factors SET confirmed_at = ? WHERE user_id = ?`)
          .run(iso(this.clock.now()), userId)
        return { ...e, backupCodes: this.replaceBackupCodes(userId) }
      })
      .immediate()
  }

  private check(f: FactorRow, code: string): number | null {
    const secret = this.secretOf(f)
    if (f.kind === 'totp') {
      const step = verifyTotp(secret, code, this.clock.now())
      return step !== null && step > f.last_counter ? step : null
    }
    return verifyHotp(secret, code, f.last_counter)
  }

  /** Verify a second factor at sign-in: a one-time code, or an unused backup code (then spent). */
  verify(userId: string, proof: { otp?: string; backupCode?: string }): 'otp' | 'backup-code' | null {
    const f = this.factor(userId)
    if (!f?.confirmed_at) return null
    if (proof.otp !== undefined) {
      const counter = this.check(f, proof.otp)
      if (counter === null) return null
      const moved = this.db
        .prepare(`UPDATE mfa_factors SET last_counter = ? WHERE user_id = ? AND last_counter < ?`)
        .run(counter, userId, counter)
      return moved.changes === 1 ? 'otp' : null
    }
    if (proof.backupCode !== undefined) {
      const spent = this.db
        .prepare(`UPDATE backup_codes SET used_at = ? WHERE user_id = ? AND code_mac = ? AND used_at IS NULL`)
        .run(iso(this.clock.now()), userId, this.codeMac(userId, proof.backupCode))
      return spent.changes === 1 ? 'backup-code' : null
    }
    return null
  }

  private replaceBackupCodes(userId: string): string[] {
    const codes = newBackupCodes()
    this.db.prepare(`DELETE FROM backup_codes WHERE user_id = ?`).run(userId)
    const insert = this.db.prepare(`INSERT INTO backup_codes (user_id, code_mac) VALUES (?, ?)`)
    for (const c of codes) insert.run(userId, this.codeMac(userId, c))
    return codes
  }

  /** New backup codes; the old ones stop working. */
  regenerateBackupCodes(userId: string): string[] {
    if (!this.isEnabled(userId))
      throw new DomainError('CONFLICT', 'Two-factor authentication is off; there are no backup codes.')
    return this.db.transaction(() => this.replaceBackupCodes(userId)).immediate()
  }

  /** Remove the factor and its backup codes (disable or admin reset). */
  remove(userId: string): boolean {
    return this.db
      .transaction(() => {
        this.db.prepare(`DELETE FROM backup_codes WHERE user_id = ?`).run(userId)
        return this.db.prepare(`DELETE FROM mfa_factors WHERE user_id = ?`).run(userId).changes > 0
      })
      .immediate()
  }
}
