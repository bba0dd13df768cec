import type { Db } from '../../db/connection'
import type { AuditRow, Risk } from './audit-log'

export interface AuditFilter {
  actor?: string
  type?: string
  client?: string
  resource?: string
  result?: 'success' | 'failure'
  risk?: Risk
  from?: string
  to?: string
  /** Words that must all appear in the details, action or resource (full-text). */
  text?: string
}

export const RISK_WEIGHT: Record<Risk, number> = { low: 1, medium: 3, high: 5, critical: 10 }

/** FTS5 query from user words: each word quoted (no operators from input), all required. */
export function ftsQuery(text: string): string | null {
  const words = text
    .split(/\s+/)
    .map((w) => w.trim())
    .filter((w) => w.length > 0)
    .slice(0, 16)
  if (words.length === 0) return null
  return words.map((w) => `"${w.replace(/"/g, '""')}"`).join(' AND ')
}

/** WHERE clause and parameters for a filter; column names come only from this fixed mapping. */
function where(f: AuditFilter): { sql: string; params: unknown[] } {
  const parts: string[] = []
  const params: unknown[] = []
  const eq: [keyof AuditFilter, string][] = [
    ['actor', 'actor'],
    ['type', 'type'],
    ['client', 'client'],
    ['resource', 'resource'],
    ['result', 'result'],
    ['risk', 'risk'],
  ]
  for (const [key, column] of eq) {
    const v = f[key]
    if (v !== undefined) {
      parts.push(`${column} = ?`)
      params.push(v)
    }
  }
  if (f.from !== undefined) {
    parts.push('time >= ?')
    params.push(f.from)
  }
  if (f.to !== undefined) {
    parts.push('time < ?')
    params.push(f.to)
  }
  const q = f.text === undefined ? null : ftsQuery(f.text)
  if (q) {
    parts.push('seq IN (SELECT rowid FROM audit_fts WHERE audit_fts MATCH ?)')
    params.push(q)
  }
  return { sql: parts.length ? `WHERE ${parts.join(' AND ')}` : '', params }
}

/** Newest first, keyset-paginated by sequence number. */
export function searchAudit(
  db: Db,
  f: AuditFilter,
  limit: number,
  beforeSeq?: number,
): { entries: AuditRow[]; hasMore: boolean } {
  const w = where(f)
  const page = beforeSeq === undefined ? '' : `${w.sql ? ' AND' : 'WHERE'} seq < ?`
  const rows = db
    .prepare(`SELECT * FROM audit_log ${w.sql}${page} ORDER BY seq DESC LIMIT ?`)
    .all(...w.params, ...(beforeSeq === undefined ? [] : [beforeSeq]), limit + 1) as AuditRow[]
  return { entries: rows.slice(0, limit), hasMore: rows.length > limit }
}

/** Every entry matching a filter, oldest first, without holding them all in memory. */
export function iterateAudit(db: Db, f: AuditFilter): IterableIterator<AuditRow> {
  const w = where(f)
  return db
    .prepare(`SELECT * FROM audit_log ${w.sql} ORDER BY seq`)
    .iterate(...w.params) as IterableIterator<AuditRow>
}

export interface AuditMetrics {
  total: number
  authentication: number
  authorizationFailures: number
  dataAccess: number
  highOrCritical: number
  uniqueUsers: number
  uniqueClients: number
  byType: { type: string; count: number }[]
  byRisk: { risk: Risk; count: number }[]
  failures: number
  topUsers: { name: string; score: number; events: number }[]
  topClients: { name: string; score: number; events: number }[]
  /** Events per bucket (day, or hour for periods up to two days), per type. */
  timeline: { bucket: string; type: string; count: number }[]
}

/** Security metrics for a period (risk weights: low 1, medium 3, high 5, critical 10). */
export function auditMetrics(db: Db, from?: string, to?: string): AuditMetrics {
  const w = where({ from, to })
  const one = (extra: string) =>
    (
      db
        .prepare(`SELECT count(*) AS n FROM audit_log ${w.sql ? `${w.sql} AND` : 'WHERE'} ${extra}`)
        .get(...w.params) as { n: number }
    ).n
  const total = (db.prepare(`SELECT count(*) AS n FROM audit_log ${w.sql}`).get(...w.params) as { n: number })
    .n
  const weight = `CASE risk WHEN 'critical' THEN 10 WHEN 'high' THEN 5 WHEN 'medium' THEN 3 ELSE 1 END`
  const top = (column: 'actor' | 'client') =>
    db
      .prepare(
        `SELECT ${column} AS name, sum(${weight}) AS score, count(*) AS events FROM audit_log ${w.sql ? `${w.sql} AND` : 'WHERE'} ${column} IS NOT NULL
         GROUP BY ${column} ORDER BY score DESC, events DESC LIMIT 10`,
      )
      .all(...w.params) as { name: string; score: number; events: number }[]
  const span = from && to ? Date.parse(to) - Date.parse(from) : Number.POSITIVE_INFINITY
  const bucketLen = span <= 2 * 86_400_000 ? 13 : 10 // 'YYYY-MM-DDTHH' or 'YYYY-MM-DD'
  return {
    total,
    authentication: one(`type = 'authentication'`),
    authorizationFailures:
      one(`type = 'authorization' AND result = 'failure'`) +
      one(`json_extract(details, '$.code') = 'FORBIDDEN'`),
    dataAccess: one(`type = 'data_access'`),
    highOrCritical: one(`risk IN ('high', 'critical')`),
    failures: one(`result = 'failure'`),
    uniqueUsers: (
      db.prepare(`SELECT count(DISTINCT actor) AS n FROM audit_log ${w.sql}`).get(...w.params) as {
        n: number
      }
    ).n,
    uniqueClients: (
      db.prepare(`SELECT count(DISTINCT client) AS n FROM audit_log ${w.sql}`).get(...w.params) as {
        n: number
      }
    ).n,
    byType: db
      .prepare(`SELECT type, count(*) AS count FROM audit_log ${w.sql} GROUP BY type ORDER BY count DESC`)
      .all(...w.params) as {
      type: string
      count: number
    }[],
    byRisk: db
      .prepare(`SELECT risk, count(*) AS count FROM audit_log ${w.sql} GROUP BY risk`)
      .all(...w.params) as {
      risk: Risk
      count: number
    }[],
    topUsers: top('actor'),
    topClients: top('client'),
    timeline: db
      .prepare(
        `SELECT substr(time, 1, ${bucketLen}) AS bucket, type, count(*) AS count FROM audit_log ${w.sql} GROUP BY bucket, type ORDER BY bucket`,
      )
      .all(...w.params) as { bucket: string; type: string; count: number }[],
  }
}

/** A page of entries after a sequence number, oldest first (exports and forwarding). */
export function pageAudit(
  db: Db,
  f: AuditFilter,
  afterSeq: number,
  limit: number,
): { entries: AuditRow[]; hasMore: boolean } {
  const w = where(f)
  const rows = db
    .prepare(`SELECT * FROM audit_log ${w.sql ? `${w.sql} AND` : 'WHERE'} seq > ? ORDER BY seq LIMIT ?`)
    .all(...w.params, afterSeq, limit + 1) as AuditRow[]
  return { entries: rows.slice(0, limit), hasMore: rows.length > limit }
}
