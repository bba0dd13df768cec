import { createHash } from 'node:crypto'
import type { Finding } from './findings'
import type { ScanReport } from './scan'

export const FORMATS = ['table', 'json', 'sarif', 'cyclonedx', 'html'] as const
export type ReportFormat = (typeof FORMATS)[number]

const where = (f: Finding): string =>
  f.kind === 'dependency' ? `${f.lockfile} ${f.package}@${f.version}` : `${f.file}:${f.line}:${f.column}`

/** "CVSS:4.0 8.7" for a computed score, else where the severity came from ("database", "unrated"…). */
const scoreText = (f: Finding): string =>
  f.kind !== 'dependency'
    ? ''
    : f.score !== null
      ? `${f.severitySource} ${f.score.toFixed(1)}`
      : f.severitySource

const what = (f: Finding): string =>
  f.kind === 'dependency'
    ? `${f.ids.join(', ')} [${scoreText(f)}]${f.fixedVersions.length ? ` (fixed in ${f.fixedVersions.join(', ')})` : ' (no fix)'}${f.dev ? ' [dev]' : ''}`
    : f.kind === 'secret'
      ? `${f.title}: ${f.redacted}`
      : f.title

/** Human table for terminals: summary, findings grouped by category and severity, top actions. */
export function toTable(r: ScanReport): string {
  const lines: string[] = []
  lines.push(
    `Scanned ${r.root}: ${r.summary.files} files, ${r.summary.packages} packages in ${r.summary.lockfiles.length} lockfile(s)`,
  )
  lines.push(
    `Risk score ${r.riskScore}/100 — critical ${r.summary.bySeverity.critical}, high ${r.summary.bySeverity.high}, medium ${r.summary.bySeverity.medium}, low ${r.summary.bySeverity.low}; accepted ${r.summary.accepted}`,
  )
  for (const w of r.warnings) lines.push(`warning: ${w}`)
  for (const kind of ['dependency', 'secret', 'config'] as const) {
    const fs = r.findings.filter((f) => f.kind === kind)
    if (fs.length === 0) continue
    lines.push(
      '',
      `${kind === 'dependency' ? 'Dependencies' : kind === 'secret' ? 'Secrets' : 'Configuration'} (${fs.length})`,
    )
    const rows = fs.map((f) => [f.severity, f.status, where(f), what(f)])
    const w = [0, 1, 2].map((i) => Math.max(...rows.map((x) => x[i]!.length)))
    for (const x of rows)
      lines.push(`  ${x[0]!.padEnd(w[0]!)}  ${x[1]!.padEnd(w[1]!)}  ${x[2]!.padEnd(w[2]!)}  ${x[3]}`)
  }
  if (r.remediation.length > 0) {
    lines.push('', 'Remediation plan')
    r.remediation
      .slice(0, 20)
      .forEach((a, i) =>
        lines.push(
          `  ${i + 1}. [${a.severity}, effort ${a.effort}] ${a.title}${a.dependsOn.length ? ' (after rotating)' : ''}`,
        ),
      )
    if (r.remediation.length > 20)
      lines.push(`  … ${r.remediation.length - 20} more (use --format json or html)`)
  }
  if (r.findings.length === 0) lines.push('', 'No findings.')
  return lines.join('\n') + '\n'
}

export const toJson = (r: ScanReport): string => JSON.stringify(r, null, 2) + '\n'

const SARIF_LEVEL = { low: 'note', medium: 'warning', high: 'error', critical: 'error' } as const
const SEC_SCORE = { low: '3.0', medium: '5.5', high: '8.0', critical: '9.5' } as const

/** SARIF 2.1.0 for code-scanning tools: one rule per rule id, partialFingerprints set on every result. */
export function toSarif(r: ScanReport): string {
  const rules = new Map<
    string,
    { id: string; shortDescription: { text: string }; properties: Record<string, string> }
  >()
  const results = r.findings.map((f) => {
    if (!rules.has(f.ruleId))
      rules.set(f.ruleId, {
        id: f.ruleId,
        shortDescription: {
          text: f.kind === 'dependency' ? `${f.ids[0]}: ${f.summary || f.title}`.slice(0, 1000) : f.title,
        },
        properties: {
          'security-severity':
            f.kind === 'dependency' && f.score !== null ? f.score.toFixed(1) : SEC_SCORE[f.severity],
        },
      })
    const file = f.kind === 'dependency' ? f.lockfile : f.file
    const region = f.kind === 'dependency' ? { startLine: 1 } : { startLine: f.line, startColumn: f.column }
    const text =
      f.kind === 'dependency'
        ? `${f.package}@${f.version} is affected by ${f.ids.join(', ')} (${f.severity}, ${scoreText(f)}${f.vector ? ` ${f.vector}` : ''}). ${f.fixedVersions.length ? `Upgrade to ${f.fixedVersions.join(' or ')}.` : 'No fixed version.'} Path: ${f.path.join(' > ')}`
        : f.kind === 'secret'
          ? `${f.title} (${f.redacted}). Rotate it, then remove it from the file.`
          : `${f.title}. ${f.fix}`
    return {
      ruleId: f.ruleId,
      level: SARIF_LEVEL[f.severity],
      message: { text },
      locations: [{ physicalLocation: { artifactLocation: { uri: file, uriBaseId: 'SRCROOT' }, region } }],
      partialFingerprints: { 'qqsecFingerprint/v1': f.fingerprint },
      ...(f.status === 'accepted'
        ? {
            suppressions: [
              { kind: 'external', status: 'accepted', justification: f.accepted?.reason ?? 'accepted' },
            ],
          }
        : {}),
      properties: {
        kind: f.kind,
        severity: f.severity,
        status: f.status,
        ...(f.kind === 'dependency' && f.score !== null
          ? { cvssVersion: f.severitySource.replace('CVSS:', ''), cvssScore: f.score, cvssVector: f.vector }
          : {}),
      },
    }
  })
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'qqsec',
            version: r.tool.version,
            informationUri: 'https://example.invalid/qqsec',
            rules: [...rules.values()],
          },
        },
        originalUriBaseIds: { SRCROOT: { uri: `file://${r.root.endsWith('/') ? r.root : `${r.root}/`}` } },
        results,
      },
    ],
  }
  return JSON.stringify(log, null, 2) + '\n'
}

const CDX_SEVERITY = { low: 'low', medium: 'medium', high: 'high', critical: 'critical' } as const
const CDX_METHOD = { '4.0': 'CVSSv4', '3.1': 'CVSSv31', '3.0': 'CVSSv3' } as const
const CDX_LABEL = { none: 'none', low: 'low', medium: 'medium', high: 'high', critical: 'critical' } as const
const purl = (name: string, version: string): string =>
  `pkg:npm/${name.startsWith('@') ? `%40${name.slice(1)}` : name}@${encodeURIComponent(version)}`

/** CycloneDX 1.5 JSON: the vulnerable components, and the vulnerabilities that affect them. */
export function toCycloneDx(r: ScanReport): string {
  const deps = r.findings.filter((f) => f.kind === 'dependency')
  const components = new Map<
    string,
    { type: 'library'; 'bom-ref': string; name: string; version: string; purl: string }
  >()
  for (const f of deps) {
    const ref = purl(f.package, f.version)
    components.set(ref, { type: 'library', 'bom-ref': ref, name: f.package, version: f.version, purl: ref })
  }
  const serial = createHash('sha256')
    .update(r.root + r.startedAt)
    .digest('hex')
  const bom = {
    bomFormat: 'CycloneDX',
    specVersion: '1.5',
    serialNumber: `urn:uuid:${serial.slice(0, 8)}-${serial.slice(8, 12)}-4${serial.slice(13, 16)}-8${serial.slice(17, 20)}-${serial.slice(20, 32)}`,
    version: 1,
    metadata: {
      timestamp: r.finishedAt,
      tools: { components: [{ type: 'application', name: 'qqsec', version: r.tool.version }] },
      component: { type: 'application', 'bom-ref': 'project', name: r.root.split('/').pop() || 'project' },
    },
    components: [...components.values()],
    vulnerabilities: deps.map((f) => ({
      'bom-ref': `vuln-${f.fingerprint}`,
      id: f.ids[0],
      source: { name: f.ids[0]!.startsWith('GHSA') ? 'GitHub Advisory Database' : 'OSV' },
      references: f.ids
        .slice(1)
        .map((id) => ({ id, source: { name: id.startsWith('CVE') ? 'NVD' : 'OSV' } })),
      // every CVSS rating scored from its vector (v4.0 first, the one the severity comes from); else the label
      ratings: f.ratings?.length
        ? f.ratings.map((x) => ({
            score: x.score,
            severity: CDX_LABEL[x.label],
            method: CDX_METHOD[x.version],
            vector: x.vector,
          }))
        : [
            {
              severity: CDX_SEVERITY[f.severity],
              ...(f.score !== null ? { score: f.score } : {}),
              ...(f.severitySource.startsWith('CVSS:3') && f.vector
                ? { method: 'CVSSv31' as const, vector: f.vector }
                : { method: 'other' as const }),
            },
          ],
      description: f.summary || undefined,
      recommendation: f.fixedVersions.length
        ? `Upgrade to ${f.fixedVersions.join(' or ')}`
        : 'No fixed version: replace or remove',
      ...(f.status === 'accepted'
        ? { analysis: { state: 'exploitable', response: ['will_not_fix'], detail: f.accepted?.reason } }
        : {}),
      affects: [{ ref: purl(f.package, f.version) }],
    })),
  }
  return JSON.stringify(bom, null, 2) + '\n'
}

const esc = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)

/** One self-contained HTML file (inline CSS, no scripts, no external resources). */
export function toHtml(r: ScanReport): string {
  const rows = r.findings
    .map(
      (f) =>
        `<tr class="${f.severity}"><td>${esc(f.severity)}</td><td>${esc(f.kind)}</td><td>${esc(f.status)}</td><td>${esc(where(f))}</td><td>${esc(what(f))}${f.kind === 'dependency' && f.path.length > 1 ? `<br><small>path: ${esc(f.path.join(' › '))}</small>` : ''}${f.kind === 'dependency' ? (f.ratings ?? []).map((x) => `<br><small>CVSS ${esc(x.version)} ${x.score.toFixed(1)}: ${esc(x.vector)}</small>`).join('') : ''}</td></tr>`,
    )
    .join('\n')
  const plan = r.remediation
    .map(
      (a) =>
        `<li><b>[${esc(a.severity)}, effort ${esc(a.effort)}]</b> ${esc(a.title)}${a.dependsOn.length ? ` <small>(after: ${esc(a.dependsOn.join(', '))})</small>` : ''}</li>`,
    )
    .join('\n')
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>qqsec scan report — ${esc(r.root)}</title>
<style>body{font:14px system-ui,sans-serif;margin:2rem;color:#222}table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:4px 6px;text-align:left;vertical-align:top}.critical td:first-child{background:#b00020;color:#fff}.high td:first-child{background:#e65100;color:#fff}.medium td:first-child{background:#f9a825}.low td:first-child{background:#cfd8dc}</style>
</head><body>
<h1>Scan report</h1>
<p>${esc(r.root)} — ${esc(r.finishedAt)}</p>
<p><b>Risk score ${r.riskScore}/100</b> · critical ${r.summary.bySeverity.critical} · high ${r.summary.bySeverity.high} · medium ${r.summary.bySeverity.medium} · low ${r.summary.bySeverity.low} · accepted ${r.summary.accepted}</p>
${r.warnings.map((w) => `<p>⚠ ${esc(w)}</p>`).join('\n')}
<h2>Findings</h2>
<table><thead><tr><th>Severity</th><th>Kind</th><th>Status</th><th>Where</th><th>What</th></tr></thead><tbody>
${rows}
</tbody></table>
<h2>Remediation plan</h2>
<ol>${plan}</ol>
</body></html>
`
}

export function render(r: ScanReport, format: ReportFormat): string {
  switch (format) {
    case 'table':
      return toTable(r)
    case 'json':
      return toJson(r)
    case 'sarif':
      return toSarif(r)
    case 'cyclonedx':
      return toCycloneDx(r)
    case 'html':
      return toHtml(r)
  }
}
