import type { Db } from '../../db/connection'
import { DomainError } from '../../domain-error'
import type { Clock } from '../../platform/clock'
import { iso } from '../../platform/clock'
import { identitySettingsSchema, type IdentitySettings } from '../../../shared/identity-settings'

const KEY = 'identity'

/** Identity settings in one validated row; read often, so cached until changed. */
export class SettingsStore {
  private cached: IdentitySettings | null = null

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  get(): IdentitySettings {
    if (this.cached) return this.cached
    const row = this.db.prepare(`SELECT value FROM settings WHERE key = ?`).get(KEY) as
      { value: string } | undefined
    const parsed = identitySettingsSchema.safeParse(row ? JSON.parse(row.value) : {})
    if (!parsed.success) throw new DomainError('INTERNAL', 'Stored identity settings are invalid.')
    this.cached = parsed.data
    return this.cached
  }

  /** Apply a partial change; the whole result is validated before anything is written. */
  update(patch: Partial<IdentitySettings>, actor: string): IdentitySettings {
    const next = identitySettingsSchema.safeParse({ ...this.get(), ...patch })
    if (!next.success) {
      const i = next.error.issues[0]
      throw new DomainError('INVALID_INPUT', `${i?.path.join('.')}: ${i?.message}`)
    }
    this.db
      .prepare(
        `INSERT INTO settings (key, value, updated_at, updated_by) VALUES (?, ?, ?, ?)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
      )
      .run(KEY, JSON.stringify(next.data), iso(this.clock.now()), actor)
    this.cached = next.data
    return next.data
  }
}
