import type { Db } from '../../db/connection'
import { AUDIT_EVENT_TYPES } from '../../../shared/contract'
import type { Risk } from './audit-log'

/**
 * An entry's kind: type, risk and result folded into one integer, type * 8 + risk * 2 + failure. The same text as
 * the index expression of migration 0008 (SQLite uses an expression index only for the identical expression; a
 * unit test compares the two).
 */
export const KIND_SQL = `((CASE type WHEN 'authentication' THEN 0 WHEN 'authorization' THEN 1 WHEN 'data_access' THEN 2 WHEN 'configuration' THEN 3 WHEN 'key_management' THEN 4 WHEN 'scan' THEN 5 WHEN 'threat' THEN 6 WHEN 'export' THEN 7 WHEN 'system' THEN 8 ELSE 9 END) * 8 + (CASE risk WHEN 'low' THEN 0 WHEN 'medium' THEN 2 WHEN 'high' THEN 4 ELSE 6 END) + (result = 'failure'))`

/** Type codes of KIND_SQL: the contract's event types in order; any other type is 9. */
export const TYPE_CODES: readonly string[] = AUDIT_EVENT_TYPES
export const OTHER_TYPE_CODE = 9
export const RISK_CODES: readonly Risk[] = ['low', 'medium', 'high', 'critical']

/** Every kind value an entry can have, for a type code, risk code and failure flag (undefined: any). */
export function kinds(
  type: number | undefined,
  risk: number | undefined,
  failure: 0 | 1 | undefined,
): number[] {
  const out: number[] = []
  for (let t = 0; t <= OTHER_TYPE_CODE; t++) {
    if (type !== undefined && t !== type) continue
    for (let r = 0; r < 4; r++) {
      if (risk !== undefined && r !== risk) continue
      for (const f of [0, 1] as const) if (failure === undefined || f === failure) out.push(t * 8 + r * 2 + f)
    }
  }
  return out
}

/** What the rollups need of an entry (a subset of AuditRow). */
export interface RollupEntry {
  seq: number
  time: string
  type: string
  actor: string | null
  result: string
  risk: string
  details: string
}

const FORBIDDEN = '"code":"FORBIDDEN"'
/** Risk weights of the metrics (low 1, medium 3, high 5, critical 10). */
const RISK_WEIGHTS: Record<string, number> = { low: 1, medium: 3, high: 5, critical: 10 }

/**
 * Maintains the per-hour rollups of migration 0008. Called by AuditLog.recordMany inside its transaction with the
 * entries it just wrote, in seq order: one upsert per (hour, type, risk, result) and per (hour, actor)
 * present in the batch, one per hour, and the time-disorder flag when an entry is earlier than the one before it.
 */
export class AuditRollup {
  private readonly upsert
  private readonly upsertActor
  private readonly upsertHour
  private readonly timeAt
  private readonly markDisorder

  constructor(db: Db) {
    this.upsert = db.prepare(
      `INSERT INTO audit_rollup (hour, type, risk, result, events, forbidden) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (hour, type, risk, result)
       DO UPDATE SET events = events + excluded.events, forbidden = forbidden + excluded.forbidden`,
    )
    this.upsertActor = db.prepare(
      `INSERT INTO audit_rollup_actors (hour, actor, events, score) VALUES (?, ?, ?, ?)
       ON CONFLICT (hour, actor) DO UPDATE SET events = events + excluded.events, score = score + excluded.score`,
    )
    this.upsertHour = db.prepare(
      `INSERT INTO audit_rollup_hours (hour, events, min_seq, max_seq, min_time, max_time) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (hour) DO UPDATE SET events = events + excluded.events,
         min_seq = min(min_seq, excluded.min_seq), max_seq = max(max_seq, excluded.max_seq),
         min_time = min(min_time, excluded.min_time), max_time = max(max_time, excluded.max_time)`,
    )
    this.timeAt = db.prepare(`SELECT time FROM audit_log WHERE seq = ?`).pluck()
    this.markDisorder = db.prepare(
      `INSERT INTO meta (key, value) VALUES ('audit_time_disorder', '1') ON CONFLICT (key) DO NOTHING`,
    )
  }

  add(entries: readonly RollupEntry[]): void {
    const first = entries[0]
    if (!first) return
    let previous = this.timeAt.get(first.seq - 1) as string | undefined
    let disorder = false
    const groups = new Map<string, { e: RollupEntry; events: number; forbidden: number }>()
    const actors = new Map<string, { hour: string; actor: string; events: number; score: number }>()
    const hours = new Map<
      string,
      { events: number; minSeq: number; maxSeq: number; minTime: string; maxTime: string }
    >()
    for (const e of entries) {
      if (previous !== undefined && e.time < previous) disorder = true
      previous = e.time
      const hour = e.time.slice(0, 13)
      const key = `${hour}\u0000${e.type}\u0000${e.risk}\u0000${e.result}`
      const forbidden = e.details.includes(FORBIDDEN) ? 1 : 0
      const g = groups.get(key)
      if (g) {
        g.events++
        g.forbidden += forbidden
      } else groups.set(key, { e, events: 1, forbidden })
      if (e.actor !== null) {
        const akey = `${hour}\u0000${e.actor}`
        const weight = RISK_WEIGHTS[e.risk] ?? 1
        const a = actors.get(akey)
        if (a) {
          a.events++
          a.score += weight
        } else actors.set(akey, { hour, actor: e.actor, events: 1, score: weight })
      }
      const h = hours.get(hour)
      if (h) {
        h.events++
        if (e.seq < h.minSeq) h.minSeq = e.seq
        if (e.seq > h.maxSeq) h.maxSeq = e.seq
        if (e.time < h.minTime) h.minTime = e.time
        if (e.time > h.maxTime) h.maxTime = e.time
      } else hours.set(hour, { events: 1, minSeq: e.seq, maxSeq: e.seq, minTime: e.time, maxTime: e.time })
    }
    for (const { e, events, forbidden } of groups.values())
      this.upsert.run(e.time.slice(0, 13), e.type, e.risk, e.result, events, forbidden)
    for (const a of actors.values()) this.upsertActor.run(a.hour, a.actor, a.events, a.score)
    for (const [hour, h] of hours)
      this.upsertHour.run(hour, h.events, h.minSeq, h.maxSeq, h.minTime, h.maxTime)
    if (disorder) this.markDisorder.run()
  }
}
