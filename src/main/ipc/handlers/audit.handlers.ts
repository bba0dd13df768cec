import type { AuditRow } from '../../engines/audit/audit-log'
import type { DomainHandlers, HandlerDeps } from './handler-deps'

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

export function auditHandlers(d: HandlerDeps): DomainHandlers<'audit'> {
  const { audit } = d
  return {
    'audit.verify': (_input, ctx) => {
      const report = audit.verify()
      ctx.audit.details = {
        ok: report.ok,
        entries: report.entries,
        firstProblem: report.problems[0]?.message ?? null,
      }
      return report
    },
    'audit.recent': (input) => {
      const { entries, total } = audit.recent(input.limit, input.beforeSeq)
      return { entries: entries.map(auditView), total }
    },
  }
}
