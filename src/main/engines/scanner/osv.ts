import { compareVersions } from './semver'
import { cvss3BaseScore, cvss4BaseScore, type SeverityLabel } from './cvss'

/** The parts of an OSV record (https://ossf.github.io/osv-schema/) the scanner uses. */
export interface OsvEvent {
  introduced?: string
  fixed?: string
  last_affected?: string
  limit?: string
}
export interface OsvRange {
  type: string
  events: OsvEvent[]
}
export interface OsvAffected {
  package: { ecosystem: string; name: string; purl?: string }
  ranges: OsvRange[]
  versions: string[]
  databaseSeverity: string | null
}
export interface OsvRecord {
  id: string
  modified: string
  published: string | null
  withdrawn: string | null
  aliases: string[]
  summary: string
  details: string
  severity: { type: string; score: string }[]
  databaseSeverity: string | null
  references: { type: string; url: string }[]
  affected: OsvAffected[]
}

const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null)
const strs = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []
const dbSeverity = (v: unknown): string | null =>
  isObj(v) ? (str(v['severity'])?.toUpperCase() ?? null) : null

/** Read an OSV record from parsed JSON; null (with the reason) when it is not one. */
export function readOsv(raw: unknown): { record: OsvRecord } | { error: string } {
  if (!isObj(raw)) return { error: 'not a JSON object' }
  const id = str(raw['id'])
  const modified = str(raw['modified'])
  if (!id || !/^[A-Za-z0-9][A-Za-z0-9._:-]{0,199}$/.test(id)) return { error: 'missing or malformed "id"' }
  if (!modified) return { error: `${id}: missing "modified"` }
  const affected: OsvAffected[] = []
  for (const a of Array.isArray(raw['affected']) ? raw['affected'] : []) {
    if (!isObj(a) || !isObj(a['package'])) continue
    const eco = str(a['package']['ecosystem'])
    const name = str(a['package']['name'])
    if (!eco || !name) continue
    const ranges: OsvRange[] = []
    for (const r of Array.isArray(a['ranges']) ? a['ranges'] : []) {
      if (!isObj(r) || typeof r['type'] !== 'string' || !Array.isArray(r['events'])) continue
      const events: OsvEvent[] = []
      for (const e of r['events']) {
        if (!isObj(e)) continue
        const ev: OsvEvent = {}
        for (const k of ['introduced', 'fixed', 'last_affected', 'limit'] as const) {
          const v = str(e[k])
          if (v !== null) ev[k] = v
        }
        if (Object.keys(ev).length === 1) events.push(ev)
      }
      ranges.push({ type: r['type'], events })
    }
    const purl = str(a['package']['purl'])
    affected.push({
      package: { ecosystem: eco, name, ...(purl ? { purl } : {}) },
      ranges,
      versions: strs(a['versions']),
      databaseSeverity: dbSeverity(a['database_specific']) ?? dbSeverity(a['ecosystem_specific']),
    })
  }
  const severity = (Array.isArray(raw['severity']) ? raw['severity'] : []).flatMap((s) =>
    isObj(s) && typeof s['type'] === 'string' && typeof s['score'] === 'string'
      ? [{ type: s['type'], score: s['score'] }]
      : [],
  )
  const references = (Array.isArray(raw['references']) ? raw['references'] : []).flatMap((r) =>
    isObj(r) && typeof r['url'] === 'string' ? [{ type: str(r['type']) ?? 'WEB', url: r['url'] }] : [],
  )
  return {
    record: {
      id,
      modified,
      published: str(raw['published']),
      withdrawn: str(raw['withdrawn']),
      aliases: strs(raw['aliases']),
      summary: str(raw['summary']) ?? '',
      details: str(raw['details']) ?? '',
      severity,
      databaseSeverity: dbSeverity(raw['database_specific']),
      references,
      affected,
    },
  }
}

const MIN = '0'
const cmp = (a: string, b: string): number => {
  if (a === b) return 0
  if (a === MIN) return -1
  if (b === MIN) return 1
  return compareVersions(a, b)
}
const eventVersion = (e: OsvEvent): string => e.introduced ?? e.fixed ?? e.last_affected ?? e.limit ?? MIN

/**
 * OSV's evaluation of one SEMVER or ECOSYSTEM range: walk the events in version order; `introduced` opens,
 * `fixed` (at or above) and `last_affected` (strictly above) close; `limit` events cap the range ("*" = none).
 */
export function rangeIncludes(version: string, range: OsvRange): boolean {
  if (range.type !== 'SEMVER' && range.type !== 'ECOSYSTEM') return false
  const limits = range.events.filter((e) => e.limit !== undefined).map((e) => e.limit!)
  if (limits.length > 0 && !limits.some((l) => l === '*' || cmp(version, l) < 0)) return false
  const events = range.events
    .filter((e) => e.limit === undefined)
    .slice()
    .sort((a, b) => cmp(eventVersion(a), eventVersion(b)))
  let affected = false
  for (const e of events) {
    if (e.introduced !== undefined && cmp(e.introduced, version) <= 0) affected = true
    else if (e.fixed !== undefined && cmp(e.fixed, version) <= 0) affected = false
    else if (e.last_affected !== undefined && cmp(e.last_affected, version) < 0) affected = false
  }
  return affected
}

/** Whether one `affected` entry covers the version: listed explicitly, or inside one of its ranges. */
export function affectedIncludes(version: string, a: OsvAffected): boolean {
  if (a.versions.includes(version) || a.versions.some((v) => compareVersions(v, version) === 0 && v !== MIN))
    return true
  return a.ranges.some((r) => rangeIncludes(version, r))
}

/** The versions that fix the ranges covering `version` (for the remediation plan). */
export function fixedVersionsFor(version: string, a: OsvAffected): string[] {
  const out = new Set<string>()
  for (const r of a.ranges) {
    if (!rangeIncludes(version, r)) continue
    for (const e of r.events) if (e.fixed !== undefined && cmp(e.fixed, version) > 0) out.add(e.fixed)
  }
  return [...out].sort(compareVersions)
}

export type Severity = Exclude<SeverityLabel, 'none'>

/** One CVSS rating of an advisory, scored from its vector (v4.0: CVSS-B, the base metric group). */
export interface CvssRating {
  version: '3.0' | '3.1' | '4.0'
  vector: string
  score: number
  label: SeverityLabel
}

export interface SeverityInfo {
  severity: Severity
  score: number | null
  /** Where the rating came from: 'CVSS:4.0', 'CVSS:3.1', 'database' (GitHub's label), 'malicious', 'unrated'. */
  source: string
  vector: string | null
  /** Every valid CVSS vector of the advisory with its computed score: v4.0 first, then v3.x, highest first. */
  ratings: CvssRating[]
}

const DB_LABEL: Record<string, Severity> = {
  LOW: 'low',
  MODERATE: 'medium',
  MEDIUM: 'medium',
  HIGH: 'high',
  CRITICAL: 'critical',
}

/**
 * Severity of an advisory: the CVSS base score computed from its vector, v4.0 (CVSS-B) preferred over v3.x when
 * the advisory has both (the newer rating, and the "v4.0 where present"; the v3.x one stays in
 * `ratings`); the highest score when a version has several vectors. Without a valid vector, the database's label
 * (GitHub's `database_specific.severity`); malicious-package records (`MAL-`) are critical; anything else is
 * rated medium and says it is unrated.
 */
export function severityOf(r: OsvRecord, a?: OsvAffected): SeverityInfo {
  const ratings: CvssRating[] = []
  for (const s of r.severity) {
    if (s.type === 'CVSS_V4') {
      const c = cvss4BaseScore(s.score)
      if (c) ratings.push({ version: c.version, vector: s.score.trim(), score: c.score, label: c.label })
    } else if (s.type === 'CVSS_V3') {
      const c = cvss3BaseScore(s.score)
      if (c) ratings.push({ version: c.version, vector: s.score.trim(), score: c.score, label: c.label })
    }
  }
  ratings.sort((x, y) => (x.version === '4.0' ? 0 : 1) - (y.version === '4.0' ? 0 : 1) || y.score - x.score)
  const best = ratings[0]
  if (best)
    return {
      severity: best.label === 'none' ? 'low' : best.label,
      score: best.score,
      source: `CVSS:${best.version}`,
      vector: best.vector,
      ratings,
    }
  const db = a?.databaseSeverity ?? r.databaseSeverity
  if (db && DB_LABEL[db])
    return { severity: DB_LABEL[db], score: null, source: 'database', vector: null, ratings }
  if (r.id.startsWith('MAL-'))
    return { severity: 'critical', score: null, source: 'malicious', vector: null, ratings }
  return { severity: 'medium', score: null, source: 'unrated', vector: null, ratings }
}
