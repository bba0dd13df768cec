import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { COMPLIANCE_RULES } from '../../src/main/engines/compliance/compliance-rules'
import { complianceReportHtml } from '../../src/main/engines/compliance/report-html'
import type { AuditEvent } from '../../src/main/engines/audit/audit-log'
import { STRONG_PASSWORD, signedInAdmin, tempConsole, type TestConsole } from '../support/temp-console'

let t: TestConsole
beforeEach(async () => {
  t = await tempConsole()
})
afterEach(() => t.cleanup())

const FROM = '2025-12-01T00:00:00.000Z'
const TO = '2026-02-01T00:00:00.000Z'
const ev = (e: Partial<AuditEvent>): AuditEvent => ({
  type: 'data_access',
  actor: 'alice',
  client: 'ipc:1',
  action: 'records.read',
  result: 'success',
  ...e,
})
const rule = (id: string) => {
  const r = t.core.compliance.report('all', FROM, TO).rules.find((x) => x.id === id)
  if (!r) throw new Error(`no result for ${id}`)
  return r
}

describe('compliance rules as data', () => {
  it('has a requirement, controls and a recommendation for every rule, and unique ids', () => {
    expect(new Set(COMPLIANCE_RULES.map((r) => r.id)).size).toBe(COMPLIANCE_RULES.length)
    for (const r of COMPLIANCE_RULES) {
      expect(r.requirement.length, r.id).toBeGreaterThan(20)
      expect(r.controls.length, r.id).toBeGreaterThan(0)
      expect(r.recommendation.length, r.id).toBeGreaterThan(20)
    }
  })

  it('GDPR: personal data read needs consent and purpose', () => {
    t.core.audit.recordMany([
      ev({ dataType: 'personal', details: { consent: 'contract', purpose: 'support ticket 17' } }),
      ev({ dataType: 'personal', details: { purpose: 'curiosity' } }),
      ev({ dataType: 'personal', result: 'failure' }), // a refused read is not a read
      ev({ dataType: null }),
    ])
    expect(rule('GDPR-ACCESS-CONSENT')).toMatchObject({
      checked: 2,
      violations: 1,
      evidence: [{ ref: 'audit#2' }],
    })
  })

  it('SOX: financial changes need an authorizer and a different approver', () => {
    t.core.audit.recordMany([
      ev({
        type: 'configuration',
        action: 'ledger.update',
        dataType: 'financial',
        details: { authorizedBy: 'alice', approver: 'bob' },
      }),
      ev({
        type: 'configuration',
        action: 'ledger.update',
        dataType: 'financial',
        details: { authorizedBy: 'alice', approver: 'alice' },
      }),
      ev({ type: 'configuration', action: 'ledger.update', dataType: 'financial', details: {} }),
      ev({ action: 'ledger.list', dataType: 'financial' }), // reading is not a change
    ])
    expect(rule('SOX-FIN-AUTHORIZATION')).toMatchObject({ checked: 3, violations: 2 })
  })

  it('HIPAA: health data encrypted, and reads limited to the minimum necessary', () => {
    t.core.audit.recordMany([
      ev({ dataType: 'health', details: { encrypted: true, minimumNecessary: true, purpose: 'treatment' } }),
      ev({ dataType: 'health', details: { encrypted: false, minimumNecessary: true, purpose: 'treatment' } }),
      ev({ dataType: 'health', details: { encrypted: true } }),
    ])
    expect(rule('HIPAA-PHI-ENCRYPTED')).toMatchObject({ checked: 3, violations: 1 })
    expect(rule('HIPAA-MINIMUM-NECESSARY')).toMatchObject({ checked: 3, violations: 1 })
  })

  it('console: admins without MFA and a broken audit chain are violations', async () => {
    await t.core.users.setupAdmin('alice', STRONG_PASSWORD)
    expect(rule('CONSOLE-ADMIN-MFA')).toMatchObject({
      checked: 1,
      violations: 1,
      evidence: [{ ref: 'user:alice' }],
    })
    t.core.mfa.enrollNow(t.core.users.idOf('alice'), 'alice')
    expect(rule('CONSOLE-ADMIN-MFA').violations).toBe(0)
    expect(rule('CONSOLE-AUDIT-INTEGRITY').violations).toBe(0)
    t.core.audit.record(ev({}))
    t.core.db.exec(`DROP TRIGGER audit_log_no_update; UPDATE audit_log SET actor = 'mallory' WHERE seq = 1`)
    expect(rule('CONSOLE-AUDIT-INTEGRITY')).toMatchObject({ violations: 1, evidence: [{ ref: 'audit#1' }] })
  })

  it('scores the share of passed checks, per standard, and limits entries to the period', () => {
    t.core.audit.recordMany([
      ev({ dataType: 'personal', details: {} }),
      ev({ dataType: 'personal', details: { consent: 'x', purpose: 'y' } }),
    ])
    const gdpr = t.core.compliance.report('gdpr', FROM, TO)
    expect(gdpr.rules.map((r) => r.standard).every((s) => s === 'gdpr' || s === 'console')).toBe(true)
    expect(gdpr.score).toBe(66.7) // 2 GDPR checks (1 fails) + the audit chain check
    expect(
      t.core.compliance.report('gdpr', '2026-06-01T00:00:00.000Z', '2026-07-01T00:00:00.000Z').totals.entries,
    ).toBe(0)
    expect(() => t.core.compliance.report('all', TO, FROM)).toThrow(/end after it starts/)
  })

  it('renders a self-contained HTML report that escapes what it quotes', async () => {
    t.core.audit.record(ev({ actor: '<script>alert(1)</script>', dataType: 'personal' }))
    const html = complianceReportHtml(t.core.compliance.report('all', FROM, TO))
    expect(html).not.toContain('<script>alert(1)')
    expect(html).toContain('&lt;script&gt;')
    expect(html).not.toMatch(/<script|src=|href="http/)
    expect(html).toContain('GDPR-ACCESS-CONSENT')
  })

  it('is reachable through the pipeline with system:monitor, and audited as an export', async () => {
    const admin = await signedInAdmin(t)
    const r = await t.core.invoke(admin, 'compliance.report', { standard: 'hipaa', from: FROM, to: TO })
    expect(r.ok).toBe(true)
    expect(t.core.audit.recent(1).entries[0]).toMatchObject({ action: 'compliance.report', type: 'export' })
  })
})
