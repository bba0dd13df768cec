import type { Db } from '../../db/connection'
import type { Clock } from '../../platform/clock'
import { iso } from '../../platform/clock'
import { sha256Hex } from '../../crypto/primitives'
import type { AuditEventType } from '../../../shared/contract'

export type Risk = 'low' | 'medium' | 'high' | 'critical'
export type DataType = 'personal' | 'financial' | 'health' | 'quantum'

export interface AuditEvent {
  type: AuditEventType
  actor: string | null
  client: string
  session?: string | null
  action: string
  resource?: string | null
  result: 'success' | 'failure'
  dataType?: DataType | null
  risk?: Risk
  details?: Record<string, unknown>
}

export interface AuditRow {
  seq: number
  time: string
  type: string
  actor: string | null
  client: string
  session: string | null
  action: string
  resource: string | null
  result: 'success' | 'failure'
  data_type: string | null
  risk: Risk
  details: string
  hash: string
}

export const GENESIS_HASH = '0'.repeat(64)

/** The bytes an entry's hash covers, in a fixed field order. */
export const canonicalEntry = (r: Omit<AuditRow, 'hash'>): string =>
  JSON.stringify([
    r.seq,
    r.time,
    r.type,
    r.actor,
    r.client,
    r.session,
    r.action,
    r.resource,
    r.result,
    r.data_type,
    r.risk,
    r.details,
  ])

export const chainHash = (prevHash: string, r: Omit<AuditRow, 'hash'>): string =>
  sha256Hex(`${prevHash}\n${canonicalEntry(r)}`)

/**
 * The one audit API every engine writes through. Append-only (the table refuses UPDATE and DELETE) and
 * hash-chained: each entry's hash covers the previous hash and the entry's canonical bytes.
 */
export class AuditLog {
  private readonly insert
  private readonly last

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {
    this.insert = db.prepare(
      `INSERT INTO audit_log (seq, time, type, actor, client, session, action, resource, result, data_type, risk, details, hash)
       VALUES (@seq, @time, @type, @actor, @client, @session, @action, @resource, @result, @data_type, @risk, @details, @hash)`,
    )
    this.last = db.prepare(`SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1`)
  }

  record(e: AuditEvent): { seq: number; hash: string } {
    return this.db
      .transaction(() => {
        const prev = this.last.get() as { seq: number; hash: string } | undefined
        const row: Omit<AuditRow, 'hash'> = {
          seq: (prev?.seq ?? 0) + 1,
          time: iso(this.clock.now()),
          type: e.type,
          actor: e.actor,
          client: e.client,
          session: e.session ?? null,
          action: e.action,
          resource: e.resource ?? null,
          result: e.result,
          data_type: e.dataType ?? null,
          risk: e.risk ?? 'low',
          details: JSON.stringify(e.details ?? {}),
        }
        const hash = chainHash(prev?.hash ?? GENESIS_HASH, row)
        this.insert.run({ ...row, hash })
        return { seq: row.seq, hash }
      })
      .immediate()
  }

  recent(limit: number, beforeSeq?: number): { entries: AuditRow[]; total: number } {
    const entries = (
      beforeSeq === undefined
        ? this.db.prepare(`SELECT * FROM audit_log ORDER BY seq DESC LIMIT ?`).all(limit)
        : this.db
            .prepare(`SELECT * FROM audit_log WHERE seq < ? ORDER BY seq DESC LIMIT ?`)
            .all(beforeSeq, limit)
    ) as AuditRow[]
    const total = (this.db.prepare(`SELECT count(*) AS n FROM audit_log`).get() as { n: number }).n
    return { entries, total }
  }

  /** Walk the chain; report the first entry whose hash or sequence does not follow. */
  verify(): { ok: true; count: number } | { ok: false; count: number; firstBad: number; problem: string } {
    let prev = GENESIS_HASH
    let expected = 1
    let count = 0
    for (const r of this.db.prepare(`SELECT * FROM audit_log ORDER BY seq`).iterate() as Iterable<AuditRow>) {
      count++
      if (r.seq !== expected)
        return { ok: false, count, firstBad: expected, problem: `entry ${expected} is missing` }
      const { hash, ...rest } = r
      if (chainHash(prev, rest) !== hash)
        return { ok: false, count, firstBad: r.seq, problem: `entry ${r.seq} was altered` }
      prev = hash
      expected++
    }
    return { ok: true, count }
  }
}
