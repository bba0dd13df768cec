import { isAbsolute } from 'node:path'
import { DomainError } from '../../domain-error'
import { throwIfCancelled } from '../../engines/jobs/job-runner'
import { LogAnalyzer } from '../../engines/threats/log-analyzer'
import { renderReportHtml } from '../../engines/threats/report-html'
import type { LogReport } from '../../engines/threats/log-analyzer'
import { me, type DomainHandlers, type HandlerDeps } from './handler-deps'

const MAX_THREATS_PER_ANALYSIS = 50

/** Threats: log analysis as a job, the threats list and its status workflow, analysis reports. */
export function threatsHandlers(d: HandlerDeps): DomainHandlers<'threats'> {
  const { threats, jobs, audit } = d
  return {
    'threats.analyzeLog': (input, ctx) => {
      const s = me(ctx)
      for (const p of input.paths)
        if (!isAbsolute(p))
          throw new DomainError(
            'INVALID_INPUT',
            `${p} is not an absolute path. Give the full path of the log file.`,
          )
      ctx.audit.details = { files: input.paths.length, logFormat: input.logFormat }
      const caller = ctx.caller.client
      return jobs.start(
        'threats.analyzeLog',
        s.userId,
        async (job) => {
          const accepted = d.waivers.matcher('threats')
          const analyzer = new LogAnalyzer({
            allowListed: (f) => accepted({ ruleId: f.rule, client: f.client, path: f.path }).waiver !== null,
            logFormat: input.logFormat,
            jsonFields: input.fields,
            signal: job.signal,
            onProgress: (p) => job.progress({ done: p.lines, current: p.file }),
          })
          for (const p of input.paths) {
            throwIfCancelled(job.signal)
            await analyzer.analyzeFile(p)
          }
          const report: LogReport = analyzer.report()
          const files = report.files.map((f) => f.file)
          const analysisId = threats.store.saveAnalysis({ createdBy: s.userName, files: input.paths, report })
          let raised = 0
          const now = new Date(d.clock.now()).toISOString()
          for (const c of report.topClients.slice(0, MAX_THREATS_PER_ANALYSIS)) {
            const timeline = report.clientTimelines.find((t) => t.client === c.client)?.events ?? []
            const samples = report.samples.filter((x) => c.categories.includes(x.category))
            const { threat, created } = threats.store.record({
              source: `log:${files.join(',').slice(0, 200)}`,
              client: c.client,
              user: null,
              risk: c.risk,
              decision: c.blocked > 0 ? 'block' : 'alert',
              findings: samples.slice(0, 10).map((x) => ({
                rule: x.rule,
                name: x.name,
                category: x.category,
                severity: x.severity,
                action: c.blocked > 0 ? 'block' : 'alert',
                confidence: 1,
                location: 'log',
                evidence: x.evidence[0] ?? '',
                at: timeline[0]?.time ?? now,
                context: `analysis:${analysisId}`,
              })),
            })
            raised++
            audit.record({
              type: 'threat',
              actor: s.userName,
              client: caller,
              action: created ? 'threat.raised' : 'threat.updated',
              resource: `threat:${threat.id}`,
              result: 'success',
              risk: 'medium',
              details: { source: threat.source, client: c.client, riskScore: c.risk, analysisId },
            })
          }
          return {
            analysisId,
            linesRead: report.linesRead,
            linesParsed: report.linesParsed,
            unparsable: report.unparsable.count,
            attackRequests: report.attackRequests,
            findings: report.findingsTotal,
            threatsRaised: raised,
          }
        },
        'lines',
      )
    },
    'threats.list': (input) => threats.store.list(input),
    'threats.get': (input, ctx) => {
      ctx.audit.resource = `threat:${input.threatId}`
      return threats.store.get(input.threatId)
    },
    'threats.updateStatus': (input, ctx) => {
      const s = me(ctx)
      ctx.audit.resource = `threat:${input.threatId}`
      const { before, after } = threats.store.update(
        input.threatId,
        { status: input.status, assignee: input.assignee, note: input.note },
        s.userName,
      )
      ctx.audit.details = {
        from: before.status,
        to: after.status,
        assignee: after.assignee,
        noteAdded: input.note !== undefined,
      }
      return after
    },
    'threats.report': (input, ctx) => {
      ctx.audit.resource = `analysis:${input.analysisId}`
      const a = threats.store.analysis(input.analysisId)
      const report = a.report as LogReport
      return {
        analysisId: a.id,
        createdAt: a.createdAt,
        files: a.files,
        report: report as unknown as Record<string, unknown>,
        html: input.format === 'html' ? renderReportHtml(report) : null,
      }
    },
  }
}
