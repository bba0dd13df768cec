import { join } from 'node:path'
import type { AuditRow } from '../../engines/audit/audit-log'
import { AuditArchiver, readRetention, writeRetention } from '../../engines/audit/audit-archive'
import { buildBundle, keyFingerprint } from '../../engines/audit/evidence-bundle'
import { complianceReportHtml } from '../../engines/compliance/report-html'
import { DomainError } from '../../domain-error'
import { iso } from '../../platform/clock'
import { auditMetrics, pageAudit, searchAudit } from '../../engines/audit/audit-query'
import { formatEntry } from '../../engines/audit/audit-export'
import { me, noPathsFromBrowser, type DomainHandlers, type HandlerDeps } from './handler-deps'

const auditView = (r: AuditRow) => ({
  seq: r.seq,
  time: r.time,
  type: r.type,
  actor: r.actor,
  client: r.client,
  action: r.action,
  resource: r.resource,
  result: r.result,
  risk: r.risk,
  details: JSON.parse(r.details) as Record<string, unknown>,
  hash: r.hash,
})

export function auditHandlers(d: HandlerDeps): DomainHandlers<'audit' | 'compliance'> {
  const { audit, db, compliance, clock, jobs } = d
  const archiver = new AuditArchiver(db, clock, audit, join(d.dataDir, 'audit-archives'))
  return {
    'audit.exportBundle': (input, ctx) => {
      const signer = audit.checkpointSigner
      if (!signer) throw new DomainError('UNAVAILABLE', 'This console has no audit signing key.')
      const cut = audit.currentCut()
      // The slice must come from the live log: a period reaching back to archived entries is refused.
      if (cut && input.from <= cut.time)
        throw new DomainError(
          'INVALID_INPUT',
          `Entries up to ${cut.seq} (${cut.time}) are archived in ${cut.archiveName}; choose a period that starts after that, and check older entries with qqsec audit verify --archive.`,
        )
      audit.checkpoint(true) // a signed checkpoint at the head, so the bundle's chain can end on one
      const report = compliance.report(input.standard, input.from, input.to)
      const bundle = buildBundle({
        db,
        publicKey: signer.publicKeyPem,
        sign: (digest) => signer.signDigest(digest),
        from: input.from,
        to: input.to,
        report,
        reportHtml: complianceReportHtml(report),
        createdAt: iso(clock.now()),
      })
      const fingerprint = keyFingerprint(signer.publicKeyPem)
      ctx.audit.details = {
        standard: input.standard,
        from: input.from,
        to: input.to,
        entries: bundle.entries.length,
        key: fingerprint,
      }
      return { bundle: JSON.stringify(bundle), entries: bundle.entries.length, keyFingerprint: fingerprint }
    },
    'compliance.report': (input, ctx) => {
      const report = compliance.report(input.standard, input.from, input.to)
      ctx.audit.details = { standard: input.standard, from: input.from, to: input.to, score: report.score }
      return report
    },
    'audit.search': (input) => {
      const { limit, beforeSeq, ...filter } = input
      if (filter.text) audit.indexForSearch()
      const r = searchAudit(db, filter, limit, beforeSeq)
      return { entries: r.entries.map(auditView), hasMore: r.hasMore }
    },
    'audit.metrics': (input) => auditMetrics(db, input.from, input.to),
    'audit.export': (input, ctx) => {
      const page = pageAudit(db, { from: input.from, to: input.to }, input.afterSeq, input.limit)
      const lastSeq = page.entries.at(-1)?.seq ?? input.afterSeq
      ctx.audit.details = {
        format: input.format,
        entries: page.entries.length,
        fromSeq: input.afterSeq + 1,
        toSeq: lastSeq,
      }
      return {
        text: page.entries.map((r) => formatEntry(r, input.format)).join(''),
        entries: page.entries.length,
        lastSeq,
        hasMore: page.hasMore,
      }
    },
    'audit.verify': async (_input, ctx) => {
      const report = await audit.verifyAsync()
      ctx.audit.details = {
        ok: report.ok,
        entries: report.entries,
        firstProblem: report.problems[0]?.message ?? null,
      }
      return report
    },
    'audit.retention': (input) => {
      const { days } = readRetention(db)
      const plan = archiver.plan(input.olderThanDays ?? days ?? 365)
      return {
        days,
        cuts: audit.cuts().map((c) => ({
          firstSeq: c.firstSeq,
          seq: c.seq,
          time: c.time,
          archiveName: c.archiveName,
          archiveSha256: c.archiveDigest,
        })),
        eligible: plan ? { firstSeq: plan.from + 1, lastSeq: plan.to, before: plan.cutoff } : null,
      }
    },
    'audit.setRetention': (input, ctx) => {
      const before = readRetention(db).days
      writeRetention(db, clock, { days: input.days }, me(ctx).userName)
      ctx.audit.details = { before, after: input.days }
      return { days: input.days }
    },
    'audit.archive': (input, ctx) => {
      const s = me(ctx)
      noPathsFromBrowser(ctx, input.output, 'the archive goes to the console’s data folder')
      const days = input.olderThanDays ?? readRetention(db).days
      if (days === null || days === undefined)
        throw new DomainError(
          'INVALID_INPUT',
          'Audit retention is off: give an age in days (or set the retention setting) to archive.',
        )
      const plan = archiver.plan(days)
      ctx.audit.details = {
        olderThanDays: days,
        firstSeq: plan ? plan.from + 1 : null,
        lastSeq: plan?.to ?? null,
        output: input.output ?? 'data dir',
      }
      const client = ctx.caller.client
      return jobs.start(
        'audit.archive',
        s.userId,
        async (job) => {
          const r = await archiver.archive({
            olderThanDays: days,
            output: input.output,
            actor: s.userName,
            client,
            signal: job.signal,
            onProgress: (done, total) => job.progress({ done, total }),
          })
          return r ? { ...r } : { entries: 0, olderThanDays: days }
        },
        'entries',
      )
    },
    'audit.treeHeads': () => ({
      heads: audit.treeHeads.list().map((h) => ({ count: h.count, root: h.root, time: h.time })),
      unavailable: audit.treeHeads.unavailableReason,
    }),
    'audit.inclusionProof': (input, ctx) => {
      const signer = audit.checkpointSigner
      if (!signer) throw new DomainError('UNAVAILABLE', 'This console has no audit signing key.')
      ctx.audit.resource = `audit:${input.seq}`
      const proof = audit.treeHeads.inclusion(input.seq, input.treeHead, signer.publicKeyPem)
      ctx.audit.details = { seq: input.seq, treeHead: proof.treeHead.count }
      return { proof: JSON.stringify(proof, null, 2), treeHead: proof.treeHead.count }
    },
    'audit.consistencyProof': (input, ctx) => {
      const signer = audit.checkpointSigner
      if (!signer) throw new DomainError('UNAVAILABLE', 'This console has no audit signing key.')
      ctx.audit.details = { from: input.from, to: input.to }
      return {
        proof: JSON.stringify(
          audit.treeHeads.consistency(input.from, input.to, signer.publicKeyPem),
          null,
          2,
        ),
      }
    },
    'audit.recent': (input) => {
      const { entries, total } = audit.recent(input.limit, input.beforeSeq)
      return { entries: entries.map(auditView), total }
    },
  }
}
