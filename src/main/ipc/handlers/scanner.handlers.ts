import { basename } from 'node:path'
import type { CallOutput } from '../../../shared/contract'
import type { ReportFormat } from '../../engines/scanner/formats'
import type { Finding } from '../../engines/scanner/findings'
import { me, type DomainHandlers, type HandlerDeps } from './handler-deps'

const MEDIA: Record<ReportFormat, { type: string; ext: string }> = {
  table: { type: 'text/plain', ext: 'txt' },
  json: { type: 'application/json', ext: 'json' },
  sarif: { type: 'application/sarif+json', ext: 'sarif' },
  cyclonedx: { type: 'application/vnd.cyclonedx+json', ext: 'cdx.json' },
  html: { type: 'text/html', ext: 'html' },
}

const matchesText = (f: Finding, text: string): boolean => {
  const t = text.toLowerCase()
  const hay =
    f.kind === 'dependency'
      ? [f.title, f.package, f.version, f.lockfile, ...f.ids]
      : [f.title, f.file, f.ruleId, f.kind === 'config' ? f.message : f.redacted]
  return hay.some((h) => h.toLowerCase().includes(t))
}

/** Scans (as jobs, history, detail, remediation, export) and the offline advisory database. */
export function scannerHandlers(d: HandlerDeps): DomainHandlers<'scans' | 'advisories'> {
  const { scanner, jobs, audit } = d
  return {
    'scans.start': (input, ctx) => {
      const s = me(ctx)
      ctx.audit.resource = `folder:${input.root}`
      ctx.audit.details = {
        advisories: input.advisoriesPath ? 'path' : 'database',
        baseline: !!input.baselinePath,
      }
      const client = ctx.caller.client
      return jobs.start(
        'scans.start',
        s.userId,
        async (job) => {
          const { scanId, report } = await scanner.scan(input.root, {
            advisoriesPath: input.advisoriesPath,
            baselinePath: input.baselinePath,
            signal: job.signal,
            // listing: files found so far (no total yet), unit "files found"; then files scanned of all
            onProgress: (p) =>
              job.progress(
                p.phase === 'listing'
                  ? { done: p.done, total: null, unit: 'files found', current: p.current }
                  : { done: p.done, total: p.total, unit: 'files', current: p.current },
              ),
            recordAs: { userId: s.userId, userName: s.userName },
          })
          const open = report.summary.bySeverity
          audit.record({
            type: 'scan',
            actor: s.userName,
            client,
            action: 'scan.completed',
            resource: `scan:${scanId}`,
            result: 'success',
            risk: open.critical > 0 ? 'high' : open.high > 0 ? 'medium' : 'low',
            details: {
              root: report.root,
              riskScore: report.riskScore,
              open,
              new: report.tracking.new,
              fixed: report.tracking.fixed.length,
              accepted: report.tracking.accepted,
            },
          })
          return {
            scanId,
            root: report.root,
            riskScore: report.riskScore,
            files: report.summary.files,
            packages: report.summary.packages,
            open,
            new: report.tracking.new,
            stillOpen: report.tracking.open,
            fixed: report.tracking.fixed.length,
            accepted: report.tracking.accepted,
            warnings: report.warnings,
          }
        },
        'files',
      )
    },
    'scans.list': (input) => scanner.list(input),
    'scans.get': (input, ctx) => {
      ctx.audit.resource = `scan:${input.scanId}`
      const r = scanner.view(input.scanId)
      const matched = r.findings.filter(
        (f) =>
          (!input.kind || f.kind === input.kind) &&
          (!input.severity || f.severity === input.severity) &&
          (!input.status || f.status === input.status) &&
          (!input.text || matchesText(f, input.text)),
      )
      const out: CallOutput<'scans.get'> = {
        id: input.scanId,
        root: r.root,
        startedAt: r.startedAt,
        finishedAt: r.finishedAt,
        riskScore: r.riskScore,
        riskScoreWithAccepted: r.riskScoreWithAccepted,
        acceptanceAsOf: r.acceptanceAsOf,
        recorded: r.recorded,
        summary: r.summary,
        advisoryDb: r.advisoryDb,
        warnings: r.warnings,
        tracking: r.tracking,
        findings: matched.slice(0, input.limit),
        matched: matched.length,
      }
      return out
    },
    'scans.remediation': (input, ctx) => {
      ctx.audit.resource = `scan:${input.scanId}`
      return { scanId: input.scanId, actions: scanner.view(input.scanId).remediation }
    },
    'scans.export': (input, ctx) => {
      ctx.audit.resource = `scan:${input.scanId}`
      ctx.audit.details = { format: input.format }
      const r = scanner.report(input.scanId)
      const m = MEDIA[input.format]
      return {
        format: input.format,
        mediaType: m.type,
        fileName: `qqsec-scan-${basename(r.root) || 'root'}-${r.finishedAt.slice(0, 10)}.${m.ext}`,
        text: scanner.export(input.scanId, input.format),
      }
    },
    'advisories.import': (input, ctx) => {
      const s = me(ctx)
      ctx.audit.resource = `advisories:${input.path}`
      const client = ctx.caller.client
      return jobs.start(
        'advisories.import',
        s.userId,
        async (job) => {
          const r = await scanner.importAdvisories(input.path, {
            signal: job.signal,
            onProgress: (done, total, current) => job.progress({ done, total, current }),
          })
          audit.record({
            type: 'configuration',
            actor: s.userName,
            client,
            action: 'advisories.imported',
            resource: `advisories:${input.path}`,
            result: 'success',
            risk: 'low',
            details: {
              files: r.files,
              added: r.added,
              updated: r.updated,
              unchanged: r.unchanged,
              skipped: r.skipped.length,
            },
          })
          return {
            source: r.source,
            files: r.files,
            added: r.added,
            updated: r.updated,
            unchanged: r.unchanged,
            skipped: r.skipped.length,
            skippedSample: r.skipped.slice(0, 20),
          }
        },
        'files',
      )
    },
    'advisories.status': () => {
      const st = scanner.advisories.status()
      const warning =
        st.count === 0
          ? 'No advisories imported: run `qqsec db import PATH` (a folder of OSV .json files or an OSV all.zip).'
          : st.stale
            ? `The newest advisory is ${st.ageDays} days old (over 30): import a fresh copy.`
            : null
      return { ...st, warning }
    },
  }
}
