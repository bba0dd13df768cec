import { randomUUID } from 'node:crypto'
import type { Db } from '../../db/connection'
import { DomainError } from '../../domain-error'
import type { Clock } from '../../platform/clock'
import { iso } from '../../platform/clock'
import { severityRank, type Category, type Finding, type Severity } from './threat-types'

export const THREAT_STATUSES = ['active', 'acknowledged', 'resolved'] as const
export type ThreatStatus = (typeof THREAT_STATUSES)[number]

export interface ThreatNote {
  at: string
  by: string
  text: string
}

export interface StoredFinding extends Finding {
  at: string
  /** The console call or `file:line` it came from. */
  context: string
}

export interface Threat {
  id: string
  source: string
  client: string
  user: string | null
  status: ThreatStatus
  decision: 'alert' | 'block'
  risk: number
  maxSeverity: Severity
  categories: Category[]
  findings: StoredFinding[]
  findingCount: number
  firstSeen: string
  lastSeen: string
  assignee: string | null
  notes: ThreatNote[]
  updatedAt: string
}

interface Row {
  id: string
  source: string
  client: string
  user_name: string | null
  status: ThreatStatus
  decision: 'alert' | 'block'
  risk: number
  max_severity: Severity
  categories: string
  findings: string
  finding_count: number
  first_seen: string
  last_seen: string
  assignee: string | null
  notes: string
  updated_at: string
}

const KEEP_FINDINGS = 25
const KEEP_NOTES = 50

const toThreat = (r: Row): Threat => ({
  id: r.id,
  source: r.source,
  client: r.client,
  user: r.user_name,
  status: r.status,
  decision: r.decision,
  risk: r.risk,
  maxSeverity: r.max_severity,
  categories: JSON.parse(r.categories) as Category[],
  findings: JSON.parse(r.findings) as StoredFinding[],
  findingCount: r.finding_count,
  firstSeen: r.first_seen,
  lastSeen: r.last_seen,
  assignee: r.assignee,
  notes: JSON.parse(r.notes) as ThreatNote[],
  updatedAt: r.updated_at,
})

/** Allowed status moves: forward only (active → acknowledged → resolved; active → resolved). */
const NEXT: Readonly<Record<ThreatStatus, readonly ThreatStatus[]>> = {
  active: ['acknowledged', 'resolved'],
  acknowledged: ['resolved'],
  resolved: [],
}

/**
 * Threats in SQLite: one open threat per (source, client) collects further detections until it is resolved; then a
 * new one opens. Findings kept per threat are the newest KEEP_FINDINGS (the count keeps going).
 */
export class ThreatStore {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  record(d: {
    source: string
    client: string
    user: string | null
    findings: StoredFinding[]
    risk: number
    decision: 'alert' | 'block'
  }): { threat: Threat; created: boolean } {
    return this.db
      .transaction(() => {
        const now = iso(this.clock.now())
        const open = this.db
          .prepare(
            `SELECT * FROM threats WHERE source = ? AND client = ? AND status != 'resolved' ORDER BY last_seen DESC LIMIT 1`,
          )
          .get(d.source, d.client) as Row | undefined
        const maxSev = (list: readonly Finding[], start: Severity): Severity =>
          list.reduce<Severity>(
            (m, f) => (severityRank(f.severity) > severityRank(m) ? f.severity : m),
            start,
          )
        if (open) {
          const t = toThreat(open)
          const findings = [...t.findings, ...d.findings].slice(-KEEP_FINDINGS)
          const categories = [...new Set([...t.categories, ...d.findings.map((f) => f.category)])]
          this.db
            .prepare(
              `UPDATE threats SET risk = ?, max_severity = ?, decision = ?, categories = ?, findings = ?, finding_count = ?,
                 last_seen = ?, user_name = coalesce(?, user_name), updated_at = ? WHERE id = ?`,
            )
            .run(
              Math.max(t.risk, d.risk),
              maxSev(d.findings, t.maxSeverity),
              t.decision === 'block' || d.decision === 'block' ? 'block' : 'alert',
              JSON.stringify(categories),
              JSON.stringify(findings),
              t.findingCount + d.findings.length,
              now,
              d.user,
              now,
              t.id,
            )
          return { threat: this.get(t.id), created: false }
        }
        const id = randomUUID()
        this.db
          .prepare(
            `INSERT INTO threats (id, source, client, user_name, status, decision, risk, max_severity, categories, findings,
               finding_count, first_seen, last_seen, assignee, notes, updated_at)
             VALUES (?, ?, ?, ?, 'active', ?, ?, ?, ?, ?, ?, ?, ?, NULL, '[]', ?)`,
          )
          .run(
            id,
            d.source,
            d.client,
            d.user,
            d.decision,
            d.risk,
            maxSev(d.findings, 'low'),
            JSON.stringify([...new Set(d.findings.map((f) => f.category))]),
            JSON.stringify(d.findings.slice(-KEEP_FINDINGS)),
            d.findings.length,
            now,
            now,
            now,
          )
        return { threat: this.get(id), created: true }
      })
      .immediate()
  }

  get(id: string): Threat {
    const r = this.db.prepare(`SELECT * FROM threats WHERE id = ?`).get(id) as Row | undefined
    if (!r) throw new DomainError('NOT_FOUND', 'No threat with this id. Reload the threats list.')
    return toThreat(r)
  }

  list(q: { status?: ThreatStatus; limit: number; offset: number }): { threats: Threat[]; total: number } {
    const where = q.status ? `WHERE status = ?` : ''
    const params: unknown[] = q.status ? [q.status] : []
    const rows = this.db
      .prepare(`SELECT * FROM threats ${where} ORDER BY last_seen DESC, id LIMIT ? OFFSET ?`)
      .all(...params, q.limit, q.offset) as Row[]
    const total = (
      this.db.prepare(`SELECT count(*) AS n FROM threats ${where}`).get(...params) as { n: number }
    ).n
    return { threats: rows.map(toThreat), total }
  }

  update(
    id: string,
    change: { status?: ThreatStatus; assignee?: string | null; note?: string },
    actor: string,
  ): { before: Threat; after: Threat } {
    return this.db
      .transaction(() => {
        const before = this.get(id)
        if (
          change.status &&
          change.status !== before.status &&
          !NEXT[before.status].includes(change.status)
        ) {
          throw new DomainError(
            'CONFLICT',
            `This threat is ${before.status}; it can move to ${NEXT[before.status].join(' or ') || 'nothing else (resolved is final)'}, not back to ${change.status}.`,
          )
        }
        const now = iso(this.clock.now())
        const notes = change.note
          ? [...before.notes, { at: now, by: actor, text: change.note }].slice(-KEEP_NOTES)
          : before.notes
        this.db
          .prepare(`UPDATE threats SET status = ?, assignee = ?, notes = ?, updated_at = ? WHERE id = ?`)
          .run(
            change.status ?? before.status,
            change.assignee === undefined ? before.assignee : change.assignee,
            JSON.stringify(notes),
            now,
            id,
          )
        return { before, after: this.get(id) }
      })
      .immediate()
  }

  saveAnalysis(a: { createdBy: string; files: string[]; report: unknown }): string {
    const id = randomUUID()
    this.db
      .prepare(
        `INSERT INTO threat_analyses (id, created_at, created_by, files, report) VALUES (?, ?, ?, ?, ?)`,
      )
      .run(id, iso(this.clock.now()), a.createdBy, JSON.stringify(a.files), JSON.stringify(a.report))
    return id
  }

  analysis(id: string): {
    id: string
    createdAt: string
    createdBy: string
    files: string[]
    report: unknown
  } {
    const r = this.db.prepare(`SELECT * FROM threat_analyses WHERE id = ?`).get(id) as
      { id: string; created_at: string; created_by: string; files: string; report: string } | undefined
    if (!r) throw new DomainError('NOT_FOUND', 'No log analysis with this id. Run the analysis again.')
    return {
      id: r.id,
      createdAt: r.created_at,
      createdBy: r.created_by,
      files: JSON.parse(r.files) as string[],
      report: JSON.parse(r.report) as unknown,
    }
  }

  loadProfile(subject: string): string | null {
    const r = this.db.prepare(`SELECT data FROM threat_profiles WHERE subject = ?`).get(subject) as
      { data: string } | undefined
    return r?.data ?? null
  }

  saveProfiles(entries: Array<[string, string]>): void {
    const now = iso(this.clock.now())
    const stmt = this.db.prepare(
      `INSERT INTO threat_profiles (subject, data, updated_at) VALUES (?, ?, ?)
       ON CONFLICT(subject) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at`,
    )
    this.db.transaction(() => {
      for (const [s, d] of entries) stmt.run(s, d, now)
    })()
  }
}
