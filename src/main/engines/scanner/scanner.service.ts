import { randomUUID } from 'node:crypto'
import { resolve } from 'node:path'
import type { Db } from '../../db/connection'
import { DomainError } from '../../domain-error'
import type { Clock } from '../../platform/clock'
import type { WaivableFinding, WaiverService } from '../waivers/waivers'
import { AdvisoryDb, type ImportResult } from './advisory-db'
import { MemoryAdvisorySource, type AdvisorySource } from './advisory-source'
import { riskScore, SEVERITIES, type Finding, type FindingKind, type FindingStatus } from './findings'
import { render, type ReportFormat } from './formats'
import { remediationPlan } from './remediation'
import type { Severity } from './osv'
import { readBaseline, scanProject, type ScanProgress, type ScanReport } from './scan'

/** What a finding offers to the console's waivers. */
export const waivable = (f: Finding): WaivableFinding =>
  f.kind === 'dependency'
    ? {
        ids: f.ids,
        package: f.package,
        version: f.version,
        path: f.lockfile,
        fingerprint: f.fingerprint,
        ruleId: f.ruleId,
      }
    : { path: f.file, fingerprint: f.fingerprint, ruleId: f.ruleId }

export interface ScanSummaryRow {
  id: string
  root: string
  startedAt: string
  finishedAt: string
  user: string | null
  riskScore: number
  /** Open (not accepted) findings by severity and kind. */
  bySeverity: Record<Severity, number>
  byKind: Record<FindingKind, number>
  new: number
  open: number
  fixed: number
  accepted: number
  total: number
}

/**
 * A recorded scan as it stands now: the findings' accepted state re-evaluated against the console's current
 * waivers (and ignore-file expiry dates), so a waiver created after the scan shows at once and an expired one
 * resurfaces its findings without a rescan. The stored record is not changed.
 */
export interface ScanView extends ScanReport {
  /** When the acceptance was evaluated (the console's clock). */
  acceptanceAsOf: string
  /** The risk score of every finding, accepted ones included (`riskScore` leaves accepted ones out). */
  riskScoreWithAccepted: number
  /** What was stored when the scan ran. */
  recorded: { riskScore: number; accepted: number }
}

interface ScanRow {
  id: string
  root: string
  started_at: string
  finished_at: string
  risk_score: number
  summary: string
  report: string
}

export interface RunScanOptions {
  /** Scan against this folder or zip of OSV records instead of the imported database. */
  advisoriesPath?: string
  /** Accept the findings of an earlier JSON report. */
  baselinePath?: string
  signal?: AbortSignal
  /** Listing (files found so far, the folder being read), then scanning (files done of total). */
  onProgress?: (p: ScanProgress) => void
  /** Record the scan (history and tracking) under this account; null runs it without recording. */
  recordAs: { userId: string; userName: string } | null
}

/**
 * The scanner in the console: the imported advisory database, scans accepted by the console's waivers, recorded
 * with tracking (new, still open, fixed since the last scan of the same folder, accepted), history and exports.
 */
export class ScannerService {
  readonly advisories: AdvisoryDb

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly waivers: WaiverService,
  ) {
    this.advisories = new AdvisoryDb(db, clock)
  }

  importAdvisories(
    path: string,
    opts: { onProgress?: (done: number, total: number, current: string) => void; signal?: AbortSignal } = {},
  ): Promise<ImportResult> {
    return this.advisories.importAsync(resolve(path), opts)
  }

  async scan(root: string, opts: RunScanOptions): Promise<{ scanId: string | null; report: ScanReport }> {
    let source: AdvisorySource = this.advisories
    if (opts.advisoriesPath) source = MemoryAdvisorySource.fromPath(resolve(opts.advisoriesPath)).source
    const baseline = opts.baselinePath ? readBaseline(resolve(opts.baselinePath)) : undefined
    const match = this.waivers.matcher('scanner')
    const expired = new Map<string, string>()
    const report = await scanProject(root, {
      advisories: source,
      baseline,
      now: this.clock.now(),
      signal: opts.signal,
      onProgress: opts.onProgress,
      accept: (f) => {
        const m = match(waivable(f))
        for (const w of m.expired) expired.set(w.id, w.expiresAt)
        return m.waiver
          ? { source: 'waiver', reason: m.waiver.reason, expires: m.waiver.expiresAt, ref: m.waiver.id }
          : null
      },
    })
    for (const [id, at] of expired)
      if (!report.findings.some((f) => f.accepted?.ref === id))
        report.warnings.push(
          `Waiver ${id} expired on ${at.slice(0, 10)}; the findings it covered are open again.`,
        )
    if (!opts.recordAs) return { scanId: null, report }
    return { scanId: this.record(report, opts.recordAs), report }
  }

  /** Mark findings new or still open against the last scan of the same root, count the fixed ones, store it. */
  private record(report: ScanReport, by: { userId: string; userName: string }): string {
    const prev = this.db
      .prepare(`SELECT id FROM scans WHERE root = ? ORDER BY finished_at DESC, rowid DESC LIMIT 1`)
      .get(report.root) as { id: string } | undefined
    const before = new Map<string, string>()
    if (prev)
      for (const r of this.db
        .prepare(`SELECT fingerprint, status FROM scan_findings WHERE scan_id = ?`)
        .all(prev.id) as { fingerprint: string; status: string }[])
        before.set(r.fingerprint, r.status)
    const now = new Set<string>()
    for (const f of report.findings) {
      now.add(f.fingerprint)
      if (f.status !== 'accepted') f.status = before.has(f.fingerprint) ? 'open' : 'new'
    }
    const count = (s: FindingStatus) => report.findings.filter((f) => f.status === s).length
    report.tracking = {
      previousScanId: prev?.id ?? null,
      new: count('new'),
      open: count('open'),
      fixed: [...before.keys()].filter((fp) => !now.has(fp)).sort(),
      accepted: count('accepted'),
    }
    const id = randomUUID()
    const summary = {
      user: by.userName,
      bySeverity: report.summary.bySeverity,
      byKind: report.summary.byKind,
      new: report.tracking.new,
      open: report.tracking.open,
      fixed: report.tracking.fixed.length,
      accepted: report.tracking.accepted,
      total: report.findings.length,
    }
    this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO scans (id, root, started_at, finished_at, user_id, risk_score, summary, report)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          id,
          report.root,
          report.startedAt,
          report.finishedAt,
          by.userId,
          report.riskScore,
          JSON.stringify(summary),
          JSON.stringify(report),
        )
      const ins = this.db.prepare(
        `INSERT OR IGNORE INTO scan_findings (scan_id, fingerprint, kind, severity, status) VALUES (?, ?, ?, ?, ?)`,
      )
      for (const f of report.findings) ins.run(id, f.fingerprint, f.kind, f.severity, f.status)
    })()
    return id
  }

  /** Recorded scans, newest first, optionally of one root: the history and the open-findings chart. */
  list(filter: { root?: string; limit: number; offset: number }): { scans: ScanSummaryRow[]; total: number } {
    const where = filter.root ? `WHERE root = ?` : ''
    const args = filter.root ? [resolve(filter.root)] : []
    const rows = this.db
      .prepare(
        `SELECT id, root, started_at, finished_at, risk_score, summary FROM scans ${where}
         ORDER BY finished_at DESC, rowid DESC LIMIT ? OFFSET ?`,
      )
      .all(...args, filter.limit, filter.offset) as Omit<ScanRow, 'report'>[]
    const total = (this.db.prepare(`SELECT count(*) AS n FROM scans ${where}`).get(...args) as { n: number })
      .n
    return {
      total,
      scans: rows.map((r) => {
        const s = JSON.parse(r.summary) as Omit<ScanSummaryRow, 'id' | 'root' | 'startedAt' | 'finishedAt'>
        return {
          id: r.id,
          root: r.root,
          startedAt: r.started_at,
          finishedAt: r.finished_at,
          user: s.user ?? null,
          riskScore: r.risk_score,
          bySeverity: Object.fromEntries(SEVERITIES.map((x) => [x, s.bySeverity?.[x] ?? 0])) as Record<
            Severity,
            number
          >,
          byKind: {
            dependency: s.byKind?.dependency ?? 0,
            secret: s.byKind?.secret ?? 0,
            config: s.byKind?.config ?? 0,
          },
          new: s.new ?? 0,
          open: s.open ?? 0,
          fixed: s.fixed ?? 0,
          accepted: s.accepted ?? 0,
          total: s.total ?? 0,
        }
      }),
    }
  }

  /** The stored report of one recorded scan, as it was recorded. */
  report(scanId: string): ScanReport {
    const r = this.db.prepare(`SELECT report FROM scans WHERE id = ?`).get(scanId) as
      { report: string } | undefined
    if (!r) throw new DomainError('NOT_FOUND', 'No such scan; list them with scans.list.')
    return JSON.parse(r.report) as ScanReport
  }

  /**
   * One recorded scan with acceptance as of now (see ScanView): console waivers are matched afresh (a waiver
   * accepted at scan time that has since expired or been revoked no longer accepts), ignore-file entries past
   * their expiry date stop accepting, baseline acceptance stays. Findings no longer accepted are new or still
   * open against the scan before this one, as the recording would have marked them.
   */
  view(scanId: string): ScanView {
    const report = this.report(scanId)
    const recorded = { riskScore: report.riskScore, accepted: report.summary.accepted }
    const match = this.waivers.matcher('scanner')
    const now = this.clock.now()
    const today = new Date(now).toISOString().slice(0, 10)
    const prevId = report.tracking?.previousScanId ?? null
    const before = new Set(
      prevId
        ? (
            this.db.prepare(`SELECT fingerprint FROM scan_findings WHERE scan_id = ?`).all(prevId) as {
              fingerprint: string
            }[]
          ).map((r) => r.fingerprint)
        : [],
    )
    const expired = new Map<string, string>()
    for (const f of report.findings) {
      const kept =
        f.accepted?.source === 'baseline' ||
        (f.accepted?.source === 'ignore-file' && (f.accepted.expires === null || f.accepted.expires >= today))
      if (kept) continue
      const m = match(waivable(f))
      for (const w of m.expired) expired.set(w.id, w.expiresAt)
      if (m.waiver) {
        f.status = 'accepted'
        f.accepted = {
          source: 'waiver',
          reason: m.waiver.reason,
          expires: m.waiver.expiresAt,
          ref: m.waiver.id,
        }
      } else {
        if (f.accepted?.source === 'ignore-file')
          report.warnings.push(
            `.qqsec-ignore.yaml: an entry expired on ${f.accepted.expires} (${f.accepted.reason}); its findings are open again.`,
          )
        f.accepted = null
        f.status = before.has(f.fingerprint) ? 'open' : 'new'
      }
    }
    for (const [id, at] of expired)
      if (!report.findings.some((f) => f.accepted?.ref === id)) {
        const line = `Waiver ${id} expired on ${at.slice(0, 10)}; the findings it covered are open again.`
        if (!report.warnings.includes(line)) report.warnings.push(line)
      }
    report.warnings = [...new Set(report.warnings)]
    const bySeverity = Object.fromEntries(SEVERITIES.map((x) => [x, 0])) as Record<Severity, number>
    const byKind: Record<FindingKind, number> = { dependency: 0, secret: 0, config: 0 }
    for (const f of report.findings)
      if (f.status !== 'accepted') {
        bySeverity[f.severity]++
        byKind[f.kind]++
      }
    const count = (st: FindingStatus) => report.findings.filter((f) => f.status === st).length
    report.summary = { ...report.summary, bySeverity, byKind, accepted: count('accepted') }
    report.tracking = {
      previousScanId: prevId,
      fixed: report.tracking?.fixed ?? [],
      new: count('new'),
      open: count('open'),
      accepted: count('accepted'),
    }
    report.riskScore = riskScore(report.findings)
    report.remediation = remediationPlan(report.findings)
    return {
      ...report,
      acceptanceAsOf: new Date(now).toISOString(),
      riskScoreWithAccepted: riskScore(report.findings.map((f) => ({ ...f, status: 'open' as const }))),
      recorded,
    }
  }

  /** A recorded scan as text, with acceptance as of now (see view). */
  export(scanId: string, format: ReportFormat): string {
    return render(this.view(scanId), format)
  }
}
