import type { Statement } from 'better-sqlite3'
import type { Db } from '../../db/connection'
import { DomainError } from '../../domain-error'
import type { AuditRow, Risk } from './audit-log'
import { KIND_SQL, OTHER_TYPE_CODE, RISK_CODES, TYPE_CODES, kinds } from './audit-rollup'

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

/**
 * A time as the log writes it (UTC, milliseconds, `toISOString`), so that comparing strings compares instants:
 * a bound with an offset or without milliseconds would otherwise compare wrongly against the stored text.
 */
export function logTime(t: string): string {
  const ms = Date.parse(t)
  if (Number.isNaN(ms)) throw new DomainError('INVALID_INPUT', `"${t}" is not a time (ISO 8601 expected).`)
  return new Date(ms).toISOString()
}

type Params = Record<string, string | number>

/** Prepared statements by SQL text, per connection (search shapes are few; bounded anyway). */
const statements = new WeakMap<Db, Map<string, Statement>>()
function prepared(db: Db, sql: string): Statement {
  let cache = statements.get(db)
  if (!cache) statements.set(db, (cache = new Map()))
  let st = cache.get(sql)
  if (!st) {
    if (cache.size >= 256) cache.clear()
    st = db.prepare(sql)
    cache.set(sql, st)
  }
  return st
}

const MAX_SEQ = Number.MAX_SAFE_INTEGER

/**
 * The seq range holding every entry of a period (undefined: no entry can be in it). While entry times only move
 * forward (meta 'audit_time_disorder' unset) the time index gives it exactly; after a clock was set back, the hour
 * rollups give a range that still holds them all. Callers keep the exact time test on the entries.
 */
function seqRange(
  db: Db,
  from: string | undefined,
  to: string | undefined,
): { lo: number; hi: number } | undefined {
  if (from === undefined && to === undefined) return { lo: 0, hi: MAX_SEQ }
  if (from !== undefined && to !== undefined && from >= to) return undefined
  const disorder =
    prepared(db, `SELECT 1 FROM meta WHERE key = 'audit_time_disorder'`).pluck().get() !== undefined
  if (!disorder) {
    const lo =
      from === undefined
        ? 0
        : (prepared(db, `SELECT seq FROM audit_log WHERE time >= ? ORDER BY time, seq LIMIT 1`)
            .pluck()
            .get(from) as number | undefined)
    const hi =
      to === undefined
        ? MAX_SEQ
        : (prepared(db, `SELECT seq FROM audit_log WHERE time < ? ORDER BY time DESC, seq DESC LIMIT 1`)
            .pluck()
            .get(to) as number | undefined)
    return lo === undefined || hi === undefined || lo > hi ? undefined : { lo, hi }
  }
  const r = prepared(
    db,
    `SELECT min(min_seq) AS lo, max(max_seq) AS hi FROM audit_rollup_hours WHERE hour >= ? AND hour <= ?`,
  ).get(from === undefined ? '' : from.slice(0, 13), to === undefined ? '\uffff' : to.slice(0, 13)) as {
    lo: number | null
    hi: number | null
  }
  return r.lo === null || r.hi === null ? undefined : { lo: r.lo, hi: r.hi }
}

/**
 * The seq range holding every entry of a period (times in any ISO 8601 form), or undefined when none can be in
 * it. Entries in the range must still be tested on their time (the range is exact only while times move forward).
 */
export function periodSeqRange(db: Db, from: string, to: string): { lo: number; hi: number } | undefined {
  return seqRange(db, logTime(from), logTime(to))
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
  const from = f.from === undefined ? undefined : logTime(f.from)
  const to = f.to === undefined ? undefined : logTime(f.to)
  if (from !== undefined) {
    parts.push(`time >= ?`)
    params.push(from)
  }
  if (to !== undefined) {
    parts.push(`time < ?`)
    params.push(to)
  }
  const q = f.text === undefined ? null : ftsQuery(f.text)
  if (q) {
    parts.push('seq IN (SELECT rowid FROM audit_fts WHERE audit_fts MATCH ?)')
    params.push(q)
  }
  return { sql: parts.length ? `WHERE ${parts.join(' AND ')}` : '', params }
}

const HIGH_CARDINALITY = ['resource', 'client', 'actor'] as const
type Driver = (typeof HIGH_CARDINALITY)[number]
const NOTHING = { entries: [] as AuditRow[], hasMore: false }

/**
 * Newest first, keyset-paginated by sequence number (`beforeSeq`: the last seq of the previous page).
 *
 * Plan: words → the full-text index, newest first, other filters tested on each match. Otherwise the entry's
 * kind (type, risk, result) is part of every index key (migration 0008), so a filter is a set of exact index
 * ranges — one per kind it allows, on the index of the most selective of resource, client and actor (or the kind
 * index) — merged by seq, newest first: a page costs about one seek per range plus one row per entry returned,
 * also when the filters match nothing. A period is a seq range. Remaining equalities (a second of resource,
 * client, actor; the exact period) are tested on the candidate rows.
 */
export function searchAudit(
  db: Db,
  f: AuditFilter,
  limit: number,
  beforeSeq?: number,
): { entries: AuditRow[]; hasMore: boolean } {
  const from = f.from === undefined ? undefined : logTime(f.from)
  const to = f.to === undefined ? undefined : logTime(f.to)
  const range = seqRange(db, from, to)
  if (!range) return NOTHING
  const hi = beforeSeq === undefined ? range.hi : Math.min(range.hi, beforeSeq - 1)
  if (hi < range.lo) return NOTHING
  const params: Params = { lo: range.lo, hi, limit: limit + 1 }
  const checks: string[] = []
  if (from !== undefined) {
    checks.push('time >= @from')
    params.from = from
  }
  if (to !== undefined) {
    checks.push('time < @to')
    params.to = to
  }
  const done = (rows: AuditRow[]) => ({ entries: rows.slice(0, limit), hasMore: rows.length > limit })

  const q = f.text === undefined ? null : ftsQuery(f.text)
  if (q) {
    // Words first: the full-text index yields matches newest first, the other filters narrow them.
    const conds = [...checks]
    for (const column of ['actor', 'type', 'client', 'resource', 'result', 'risk'] as const) {
      const v = f[column]
      if (v !== undefined) {
        conds.push(`a.${column} = @${column}`)
        params[column] = v
      }
    }
    params.q = q
    const sql = `SELECT a.* FROM audit_fts JOIN audit_log a ON a.seq = audit_fts.rowid
      WHERE audit_fts MATCH @q AND audit_fts.rowid BETWEEN @lo AND @hi${conds.map((c) => ` AND ${c.replace(/^time/, 'a.time')}`).join('')}
      ORDER BY audit_fts.rowid DESC LIMIT @limit`
    return done(prepared(db, sql).all(params) as AuditRow[])
  }

  let typeCode: number | undefined
  if (f.type !== undefined) {
    const i = TYPE_CODES.indexOf(f.type)
    typeCode = i >= 0 ? i : OTHER_TYPE_CODE
    if (i < 0) {
      checks.push('type = @type')
      params.type = f.type
    }
  }
  const riskCode = f.risk === undefined ? undefined : RISK_CODES.indexOf(f.risk)
  if (riskCode === -1) return NOTHING // the table accepts no other risk
  const failure = f.result === undefined ? undefined : f.result === 'failure' ? 1 : 0
  const byKind = typeCode !== undefined || riskCode !== undefined || failure !== undefined

  const given = HIGH_CARDINALITY.filter((c) => f[c] !== undefined)
  const driver = given.length > 1 ? smallest(db, given, f, range.lo, hi) : given[0]
  for (const c of given) {
    params[c] = f[c] as string
    if (c !== driver) checks.push(`${c} = @${c}`)
  }
  const tail = checks.map((c) => ` AND ${c}`).join('')
  if (!driver && !byKind) {
    const sql = `SELECT * FROM audit_log WHERE seq BETWEEN @lo AND @hi${tail} ORDER BY seq DESC LIMIT @limit`
    return done(prepared(db, sql).all(params) as AuditRow[])
  }
  const branches = kinds(typeCode, riskCode, failure).map(
    (k) =>
      `SELECT seq FROM audit_log WHERE ${driver ? `${driver} = @${driver} AND ` : ''}${KIND_SQL} = ${k} AND seq BETWEEN @lo AND @hi${tail}`,
  )
  const sql = `SELECT a.* FROM (${branches.join(' UNION ALL ')} ORDER BY seq DESC LIMIT @limit) s
    JOIN audit_log a ON a.seq = s.seq ORDER BY a.seq DESC`
  return done(prepared(db, sql).all(params) as AuditRow[])
}

/** Of several of resource, client, actor: the one with the fewest entries in the range (counted up to a cap). */
function smallest(db: Db, given: readonly Driver[], f: AuditFilter, lo: number, hi: number): Driver {
  let best = given[0]!
  let bestCount = Number.POSITIVE_INFINITY
  for (const c of given) {
    const n = prepared(
      db,
      `SELECT count(*) FROM (SELECT 1 FROM audit_log WHERE ${c} = ? AND seq BETWEEN ? AND ? LIMIT 5000)`,
    )
      .pluck()
      .get(f[c], lo, hi) as number
    if (n < bestCount) {
      best = c
      bestCount = n
    }
  }
  return best
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

interface Group {
  bucket: string
  type: string
  risk: Risk
  result: string
  events: number
  forbidden: number
}

interface ActorTally {
  actor: string
  events: number
  score: number
}

/** The risk weight of a row's `risk` column, in SQL. */
const WEIGHT_OF_RISK = `CASE risk WHEN 'critical' THEN 10 WHEN 'high' THEN 5 WHEN 'medium' THEN 3 ELSE 1 END`

/**
 * Security metrics for a period (risk weights: low 1, medium 3, high 5, critical 10).
 *
 * Whole hours come from the rollups (migration 0008), so a period costs one row per hour and kind of event and
 * actor, not one per entry; an hour the period cuts through (its entries on both sides of a bound) is counted
 * from its entries. Clients are not rolled up (too many distinct values per hour to keep appends fast): they are
 * counted from the client index, which holds each entry's risk in its kind.
 */
export function auditMetrics(db: Db, fromIn?: string, toIn?: string): AuditMetrics {
  const from = fromIn === undefined ? undefined : logTime(fromIn)
  const to = toIn === undefined ? undefined : logTime(toIn)
  const span = from && to ? Date.parse(to) - Date.parse(from) : Number.POSITIVE_INFINITY
  const bucketLen = span <= 2 * 86_400_000 ? 13 : 10 // 'YYYY-MM-DDTHH' or 'YYYY-MM-DD'
  const groups: Group[] = []
  const actorTallies: ActorTally[] = []
  if (from === undefined || to === undefined || from < to) {
    // The hours holding a bound are whole (every entry inside the period), outside, or cut through.
    const hourSpan = prepared(
      db,
      `SELECT min_time AS minTime, max_time AS maxTime FROM audit_rollup_hours WHERE hour = ? AND events > 0`,
    )
    const state = (hour: string): 'inside' | 'outside' | 'cut' => {
      const h = hourSpan.get(hour) as { minTime: string; maxTime: string } | undefined
      if (!h) return 'outside'
      if ((from !== undefined && h.maxTime < from) || (to !== undefined && h.minTime >= to)) return 'outside'
      if ((from === undefined || h.minTime >= from) && (to === undefined || h.maxTime < to)) return 'inside'
      return 'cut'
    }
    const firstHour = from?.slice(0, 13)
    const lastHour = to?.slice(0, 13)
    const firstState = firstHour === undefined ? 'inside' : state(firstHour)
    const lastState =
      lastHour === undefined ? 'inside' : lastHour === firstHour ? firstState : state(lastHour)
    const conds = ['events > 0']
    const params: Params = { len: bucketLen }
    if (firstHour !== undefined) {
      conds.push(firstState === 'inside' ? 'hour >= @first' : 'hour > @first')
      params.first = firstHour
    }
    if (lastHour !== undefined) {
      conds.push(lastState === 'inside' ? 'hour <= @last' : 'hour < @last')
      params.last = lastHour
    }
    const hours = conds.join(' AND ')
    groups.push(
      ...(prepared(
        db,
        `SELECT substr(hour, 1, @len) AS bucket, type, risk, result, sum(events) AS events, sum(forbidden) AS forbidden
         FROM audit_rollup WHERE ${hours} GROUP BY bucket, type, risk, result`,
      ).all(params) as Group[]),
    )
    const { len: _len, ...hourParams } = params
    actorTallies.push(
      ...(prepared(
        db,
        `SELECT actor, sum(events) AS events, sum(score) AS score FROM audit_rollup_actors WHERE ${hours} GROUP BY actor`,
      ).all(hourParams) as ActorTally[]),
    )
    const cut = [
      ...(firstHour !== undefined && firstState === 'cut' ? [firstHour] : []),
      ...(lastHour !== undefined && lastState === 'cut' && lastHour !== firstHour ? [lastHour] : []),
    ]
    for (const hour of cut) {
      const lo = from !== undefined && from > hour ? from : hour
      const end = `${hour};` // after every time of the hour ('YYYY-MM-DDTHH:…')
      const hi = to !== undefined && to < end ? to : end
      groups.push(
        ...(prepared(
          db,
          `SELECT substr(time, 1, @len) AS bucket, type, risk, result, count(*) AS events,
                  sum(instr(details, '"code":"FORBIDDEN"') > 0) AS forbidden
           FROM audit_log WHERE time >= @lo AND time < @hi GROUP BY bucket, type, risk, result`,
        ).all({ len: bucketLen, lo, hi }) as Group[]),
      )
      actorTallies.push(
        ...(prepared(
          db,
          `SELECT actor, count(*) AS events, sum(${WEIGHT_OF_RISK}) AS score
           FROM audit_log WHERE time >= @lo AND time < @hi AND actor IS NOT NULL GROUP BY actor`,
        ).all({ lo, hi }) as ActorTally[]),
      )
    }
  }

  let total = 0
  let authentication = 0
  let authorizationFailures = 0
  let dataAccess = 0
  let highOrCritical = 0
  let failures = 0
  const byType = new Map<string, number>()
  const byRisk = new Map<Risk, number>()
  const users = new Map<string, { score: number; events: number }>()
  const timeline = new Map<string, { bucket: string; type: string; count: number }>()
  for (const g of groups) {
    const n = g.events
    total += n
    if (g.type === 'authentication') authentication += n
    authorizationFailures += g.type === 'authorization' && g.result === 'failure' ? n : g.forbidden
    if (g.type === 'data_access') dataAccess += n
    if (g.risk === 'high' || g.risk === 'critical') highOrCritical += n
    if (g.result === 'failure') failures += n
    byType.set(g.type, (byType.get(g.type) ?? 0) + n)
    byRisk.set(g.risk, (byRisk.get(g.risk) ?? 0) + n)
    const key = `${g.bucket}\u0000${g.type}`
    const t = timeline.get(key)
    if (t) t.count += n
    else timeline.set(key, { bucket: g.bucket, type: g.type, count: n })
  }
  for (const a of actorTallies) {
    if (a.events <= 0) continue // every entry of the actor in that hour was removed by retention
    const u = users.get(a.actor) ?? { score: 0, events: 0 }
    u.score += a.score
    u.events += a.events
    users.set(a.actor, u)
  }
  const clients = clientMetrics(db, from, to)
  const top = (m: Map<string, { score: number; events: number }>) =>
    [...m]
      .map(([name, v]) => ({ name, ...v }))
      .sort((a, b) => b.score - a.score || b.events - a.events || (a.name < b.name ? -1 : 1))
      .slice(0, 10)
  return {
    total,
    authentication,
    authorizationFailures,
    dataAccess,
    highOrCritical,
    failures,
    uniqueUsers: users.size,
    uniqueClients: clients.unique,
    byType: [...byType].map(([type, count]) => ({ type, count })).sort((a, b) => b.count - a.count),
    byRisk: [...byRisk].map(([risk, count]) => ({ risk, count })).sort((a, b) => (a.risk < b.risk ? -1 : 1)),
    topUsers: top(users),
    topClients: clients.top,
    timeline: [...timeline.values()].sort((a, b) =>
      a.bucket === b.bucket ? (a.type < b.type ? -1 : 1) : a.bucket < b.bucket ? -1 : 1,
    ),
  }
}

/** The risk weight of an entry from its kind (risk code = kind / 2 mod 4), readable from the client index. */
const WEIGHT_OF_KIND = `CASE (${KIND_SQL} >> 1) & 3 WHEN 3 THEN 10 WHEN 2 THEN 5 WHEN 1 THEN 3 ELSE 1 END`

function clientMetrics(
  db: Db,
  from: string | undefined,
  to: string | undefined,
): { unique: number; top: { name: string; score: number; events: number }[] } {
  const range = seqRange(db, from, to)
  if (!range) return { unique: 0, top: [] }
  const exact =
    prepared(db, `SELECT 1 FROM meta WHERE key = 'audit_time_disorder'`).pluck().get() === undefined
  const params: Params = { lo: range.lo, hi: range.hi }
  let source: string
  if (exact) {
    // The seq range is the period: read only the client index (covering: the kind holds the risk).
    source = `audit_log INDEXED BY audit_client_kind_seq WHERE seq BETWEEN @lo AND @hi`
  } else {
    source = `audit_log WHERE seq BETWEEN @lo AND @hi${from === undefined ? '' : ' AND time >= @from'}${to === undefined ? '' : ' AND time < @to'}`
    if (from !== undefined) params.from = from
    if (to !== undefined) params.to = to
  }
  const rows = prepared(
    db,
    `SELECT name, score, events, count(*) OVER () AS unique_count FROM (
       SELECT client AS name, sum(${WEIGHT_OF_KIND}) AS score, count(*) AS events FROM ${source} GROUP BY client)
     ORDER BY score DESC, events DESC, name LIMIT 10`,
  ).all(params) as { name: string; score: number; events: number; unique_count: number }[]
  return {
    unique: rows[0]?.unique_count ?? 0,
    top: rows.map(({ name, score, events }) => ({ name, score, events })),
  }
}

/** A page of entries after a sequence number, oldest first (exports and forwarding). */
export function pageAudit(
  db: Db,
  f: AuditFilter,
  afterSeq: number,
  limit: number,
): { entries: AuditRow[]; hasMore: boolean } {
  const range = seqRange(
    db,
    f.from === undefined ? undefined : logTime(f.from),
    f.to === undefined ? undefined : logTime(f.to),
  )
  if (!range) return NOTHING
  const w = where(f)
  const rows = db
    .prepare(
      `SELECT * FROM audit_log ${w.sql ? `${w.sql} AND` : 'WHERE'} seq > ? AND seq BETWEEN ? AND ? ORDER BY seq LIMIT ?`,
    )
    .all(...w.params, afterSeq, range.lo, range.hi, limit + 1) as AuditRow[]
  return { entries: rows.slice(0, limit), hasMore: rows.length > limit }
}
