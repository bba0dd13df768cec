/**
 * Compliance rules as data. Entry rules test every audit entry of a period that they select with SQL; state rules
 * test the console's own controls once. Control ids name the framework requirements a rule gives evidence for.
 */
export type Standard = 'gdpr' | 'sox' | 'hipaa' | 'console'

export interface EntryRule {
  kind: 'entry'
  id: string
  standard: Standard
  title: string
  requirement: string
  controls: string[]
  severity: 'low' | 'medium' | 'high' | 'critical'
  /** SQL condition (fixed text, no input) choosing the entries the rule applies to. */
  applies: string
  /** SQL condition an applicable entry must meet to comply. */
  complies: string
  recommendation: string
}

export interface StateRule {
  kind: 'state'
  id: string
  standard: Standard
  title: string
  requirement: string
  controls: string[]
  severity: 'low' | 'medium' | 'high' | 'critical'
  check: 'admins-without-mfa' | 'audit-chain-intact'
  recommendation: string
}

export type ComplianceRule = EntryRule | StateRule

const has = (path: string) => `coalesce(json_extract(details, '$.${path}'), '') <> ''`

export const COMPLIANCE_RULES: readonly ComplianceRule[] = [
  {
    kind: 'entry',
    id: 'GDPR-ACCESS-CONSENT',
    standard: 'gdpr',
    title: 'Personal data read with a recorded consent basis and purpose',
    requirement:
      'GDPR Art. 5(1)(b) purpose limitation and Art. 6(1) lawfulness: each access to personal data states its purpose and legal basis.',
    controls: ['GDPR Art. 5(1)(b)', 'GDPR Art. 6(1)', 'GDPR Art. 30'],
    severity: 'high',
    applies: `data_type = 'personal' AND type = 'data_access' AND result = 'success'`,
    complies: `${has('consent')} AND ${has('purpose')}`,
    recommendation:
      'Record the legal basis (consent) and purpose with every read of personal data; refuse reads without them.',
  },
  {
    kind: 'entry',
    id: 'SOX-FIN-AUTHORIZATION',
    standard: 'sox',
    title: 'Changes to financial data authorized and approved',
    requirement:
      'SOX §404 internal control over financial reporting: each change to financial data names who authorized it and who approved it.',
    controls: ['SOX §404', 'NIST SP 800-53 AC-3', 'NIST SP 800-53 CM-3'],
    severity: 'high',
    applies: `data_type = 'financial' AND type IN ('configuration', 'data_access') AND result = 'success' AND action NOT LIKE '%.list' AND action NOT LIKE '%.get'`,
    complies: `${has('authorizedBy')} AND ${has('approver')} AND json_extract(details, '$.authorizedBy') <> json_extract(details, '$.approver')`,
    recommendation:
      'Require a second person to approve changes to financial data, and record both names (four-eyes principle).',
  },
  {
    kind: 'entry',
    id: 'HIPAA-PHI-ENCRYPTED',
    standard: 'hipaa',
    title: 'Health data handled encrypted',
    requirement:
      'HIPAA §164.312(a)(2)(iv) and (e)(2)(ii): electronic protected health information is encrypted at rest and in transit.',
    controls: ['HIPAA §164.312(a)(2)(iv)', 'HIPAA §164.312(e)(2)(ii)', 'NIST SP 800-53 SC-28'],
    severity: 'critical',
    applies: `data_type = 'health' AND result = 'success'`,
    complies: `json_extract(details, '$.encrypted') = 1`,
    recommendation: 'Store and move health data only through encrypted channels (the vault), and record it.',
  },
  {
    kind: 'entry',
    id: 'HIPAA-MINIMUM-NECESSARY',
    standard: 'hipaa',
    title: 'Health data access limited to the minimum necessary',
    requirement:
      'HIPAA §164.502(b) minimum necessary: uses of protected health information are limited to what the purpose needs.',
    controls: ['HIPAA §164.502(b)', 'HIPAA §164.514(d)', 'NIST SP 800-53 AC-6'],
    severity: 'medium',
    applies: `data_type = 'health' AND type = 'data_access' AND result = 'success'`,
    complies: `json_extract(details, '$.minimumNecessary') = 1 AND ${has('purpose')}`,
    recommendation:
      'Scope health-data reads to the fields the stated purpose needs, and record that they were.',
  },
  {
    kind: 'state',
    id: 'CONSOLE-ADMIN-MFA',
    standard: 'console',
    title: 'Every administrator uses multi-factor authentication',
    requirement: 'Privileged accounts authenticate with more than one factor.',
    controls: ['NIST SP 800-53 IA-2(1)', 'ISO/IEC 27001 A.8.5', 'OWASP ASVS V6.3'],
    severity: 'high',
    check: 'admins-without-mfa',
    recommendation:
      'Have each administrator enroll an authenticator (Users → account → two-factor), or revoke the admin role.',
  },
  {
    kind: 'state',
    id: 'CONSOLE-AUDIT-INTEGRITY',
    standard: 'console',
    title: 'The audit trail is complete and unaltered',
    requirement:
      'Audit records are protected from modification and deletion, and their integrity can be proven.',
    controls: ['NIST SP 800-53 AU-9', 'NIST SP 800-53 AU-10', 'ISO/IEC 27001 A.8.15'],
    severity: 'critical',
    check: 'audit-chain-intact',
    recommendation:
      'Investigate the damage `qqsec audit verify` names; restore the database from a backup that verifies.',
  },
]
