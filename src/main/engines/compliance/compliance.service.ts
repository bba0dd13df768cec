import type { Db } from '../../db/connection'
import { DomainError } from '../../domain-error'
import type { Clock } from '../../platform/clock'
import { iso } from '../../platform/clock'
import type { AuditLog } from '../audit/audit-log'
import { logTime, periodSeqRange } from '../audit/audit-query'
import type { UsersService } from '../users/users.service'
import { COMPLIANCE_RULES, type ComplianceRule, type Standard } from './compliance-rules'

export interface RuleResult {
  id: string
  standard: Standard
  title: string
  requirement: string
  controls: string[]
  severity: ComplianceRule['severity']
  checked: number
  violations: number
  /** The entries (or accounts, or problems) behind the violations, at most 25. */
  evidence: { ref: string; time: string | null; summary: string }[]
  recommendation: string | null
}

export interface ComplianceReport {
  standard: Standard | 'all'
  from: string
  to: string
  generatedAt: string
  totals: { entries: number; byDataType: { dataType: string; count: number }[] }
  /** Share of checks that passed, 0–100 (100 when nothing applied). */
  score: number
  rules: RuleResult[]
  recommendations: string[]
}

const EVIDENCE_MAX = 25

/** Compliance reports from rules as data over the audit trail and the console's own controls. */
export class ComplianceService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
    private readonly users: UsersService,
  ) {}

  report(standard: Standard | 'all', from: string, to: string): ComplianceReport {
    if (Date.parse(from) >= Date.parse(to))
      throw new DomainError('INVALID_INPUT', 'The period must end after it starts.')
    const rules = COMPLIANCE_RULES.filter(
      (r) => standard === 'all' || r.standard === standard || r.standard === 'console',
    )
    // The period as the log writes times, and the seq range holding it (entries are still tested on their time).
    const period = {
      from: logTime(from),
      to: logTime(to),
      ...(periodSeqRange(this.db, from, to) ?? { lo: 1, hi: 0 }),
    }
    const results = rules.map((r) => (r.kind === 'entry' ? this.entryRule(r, period) : this.stateRule(r)))
    const checked = results.reduce((n, r) => n + r.checked, 0)
    const failed = results.reduce((n, r) => n + r.violations, 0)
    const inPeriod = `seq BETWEEN @lo AND @hi AND time >= @from AND time < @to`
    const entries = (
      this.db.prepare(`SELECT count(*) AS n FROM audit_log WHERE ${inPeriod}`).get(period) as { n: number }
    ).n
    const byDataType = this.db
      .prepare(
        `SELECT data_type AS dataType, count(*) AS count FROM audit_log WHERE data_type IS NOT NULL AND ${inPeriod} GROUP BY data_type ORDER BY count DESC`,
      )
      .all(period) as { dataType: string; count: number }[]
    return {
      standard,
      from,
      to,
      generatedAt: iso(this.clock.now()),
      totals: { entries, byDataType },
      score: checked === 0 ? 100 : Math.round(((checked - failed) / checked) * 1000) / 10,
      rules: results,
      recommendations: results
        .filter((r) => r.violations > 0 && r.recommendation)
        .map((r) => `${r.id}: ${r.recommendation}`),
    }
  }

  private base(
    r: ComplianceRule,
  ): Omit<RuleResult, 'checked' | 'violations' | 'evidence' | 'recommendation'> {
    return {
      id: r.id,
      standard: r.standard,
      title: r.title,
      requirement: r.requirement,
      controls: r.controls,
      severity: r.severity,
    }
  }

  private entryRule(
    r: Extract<ComplianceRule, { kind: 'entry' }>,
    period: { from: string; to: string; lo: number; hi: number },
  ): RuleResult {
    // applies/complies are fixed SQL from the rule data, never input; the period is bound. One pass counts both
    // (the data_type index and the seq range narrow it to the rule's entries of the period).
    const scope = `seq BETWEEN @lo AND @hi AND time >= @from AND time < @to AND (${r.applies})`
    const counts = this.db
      .prepare(
        `SELECT count(*) AS checked, coalesce(sum(CASE WHEN NOT (${r.complies}) THEN 1 ELSE 0 END), 0) AS violations FROM audit_log WHERE ${scope}`,
      )
      .get(period) as { checked: number; violations: number }
    const { checked, violations } = counts
    const bad = `${scope} AND NOT (${r.complies})`
    const evidence = (
      this.db
        .prepare(
          `SELECT seq, time, actor, action, resource FROM audit_log WHERE ${bad} ORDER BY seq LIMIT @max`,
        )
        .all({ ...period, max: EVIDENCE_MAX }) as {
        seq: number
        time: string
        actor: string | null
        action: string
        resource: string | null
      }[]
    ).map((e) => ({
      ref: `audit#${e.seq}`,
      time: e.time,
      summary: `${e.actor ?? 'system'} ${e.action}${e.resource ? ` ${e.resource}` : ''}`,
    }))
    return {
      ...this.base(r),
      checked,
      violations,
      evidence,
      recommendation: violations > 0 ? r.recommendation : null,
    }
  }

  private stateRule(r: Extract<ComplianceRule, { kind: 'state' }>): RuleResult {
    if (r.check === 'admins-without-mfa') {
      const admins = this.users.list().filter((u) => u.roles.includes('admin'))
      const without = admins.filter((u) => !u.mfaEnabled)
      return {
        ...this.base(r),
        checked: admins.length,
        violations: without.length,
        evidence: without.slice(0, EVIDENCE_MAX).map((u) => ({
          ref: `user:${u.name}`,
          time: null,
          summary: `${u.name} is an administrator without MFA`,
        })),
        recommendation: without.length > 0 ? r.recommendation : null,
      }
    }
    const v = this.audit.verify()
    return {
      ...this.base(r),
      checked: 1,
      violations: v.ok ? 0 : 1,
      evidence: v.problems.slice(0, EVIDENCE_MAX).map((p) => ({
        ref: p.seq === null ? 'audit' : `audit#${p.seq}`,
        time: null,
        summary: `${p.kind}: ${p.message}`,
      })),
      recommendation: v.ok ? null : r.recommendation,
    }
  }
}
