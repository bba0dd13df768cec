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
function where(f: AuditFilter, table = ''): { sql: string; params: unknown[] } {
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
      parts.push(`${table}${column} = ?`)
      params.push(v)
    }
  }
  if (f.from !== undefined) {
    parts.push(`${table}time >= ?`)
    params.push(f.from)
  }
  if (f.to !== undefined) {
    parts.push(`${table}time < ?`)
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
  const q = f.text === undefined ? null : ftsQuery(f.text)
  if (q) {
    // Words first: the full-text index yields the few matching entries, the other filters narrow them.
    const w = where({ ...f, text: undefined }, 'audit_log.')
    const rest = [w.sql.replace(/^WHERE /, ''), beforeSeq === undefined ? '' : 'audit_log.seq < ?'].filter(
      Boolean,
    )
    const rows = db
      .prepare(
        `SELECT audit_log.* FROM audit_fts JOIN audit_log ON audit_log.seq = audit_fts.rowid
         WHERE audit_fts MATCH ?${rest.length ? ` AND ${rest.join(' AND ')}` : ''} ORDER BY audit_log.seq DESC LIMIT ?`,
      )
      .all(q, ...w.params, ...(beforeSeq === undefined ? [] : [beforeSeq]), limit + 1) as AuditRow[]
    return { entries: rows.slice(0, limit), hasMore: rows.length > limit }
  }
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
  // One pass for the counters; the group-bys below walk the (column, seq) indexes.
  const c = db
    .prepare(
      `SELECT count(*) AS total,
              coalesce(sum(type = 'authentication'), 0) AS authentication,
              coalesce(sum((type = 'authorization' AND result = 'failure') OR instr(details, '"code":"FORBIDDEN"') > 0), 0) AS authorizationFailures,
              coalesce(sum(type = 'data_access'), 0) AS dataAccess,
              coalesce(sum(risk IN ('high', 'critical')), 0) AS highOrCritical,
              coalesce(sum(result = 'failure'), 0) AS failures,
              count(DISTINCT actor) AS uniqueUsers,
              count(DISTINCT client) AS uniqueClients
       FROM audit_log ${w.sql}`,
    )
    .get(...w.params) as Pick<
    AuditMetrics,
    | 'total'
    | 'authentication'
    | 'authorizationFailures'
    | 'dataAccess'
    | 'highOrCritical'
    | 'failures'
    | 'uniqueUsers'
    | 'uniqueClients'
  >
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
    ...c,
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
