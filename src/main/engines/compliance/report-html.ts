import { APP_VERSION } from '../../../shared/version'
import type { ComplianceReport } from './compliance.service'

const esc = (s: string): string =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')

/** Severity shown as colour and word, the same five colours as the console. */
const SEVERITY_COLOUR: Record<string, string> = {
  critical: '#b3261e',
  high: '#c2410c',
  medium: '#a16207',
  low: '#1d4ed8',
  info: '#4b5563',
}

/** A self-contained, printable HTML compliance report: no scripts, no external resources. */
export function complianceReportHtml(r: ComplianceReport): string {
  const title = `Compliance report — ${r.standard === 'all' ? 'GDPR, SOX, HIPAA' : r.standard.toUpperCase()} — ${r.from.slice(0, 10)} to ${r.to.slice(0, 10)}`
  const rows = r.rules
    .map(
      (x) => `<tr>
  <td><strong>${esc(x.id)}</strong><br>${esc(x.title)}</td>
  <td><span class="sev" style="background:${SEVERITY_COLOUR[x.severity] ?? '#4b5563'}">${esc(x.severity)}</span></td>
  <td class="num">${x.checked}</td>
  <td class="num ${x.violations ? 'bad' : 'ok'}">${x.violations}</td>
  <td>${esc(x.controls.join('; '))}</td>
</tr>`,
    )
    .join('\n')
  const details = r.rules
    .filter((x) => x.violations > 0)
    .map(
      (x) => `<section class="rule">
  <h3>${esc(x.id)} — ${esc(x.title)}</h3>
  <p class="req">${esc(x.requirement)}</p>
  <p><strong>${x.violations}</strong> of ${x.checked} checked ${x.violations === 1 ? 'fails' : 'fail'}. ${x.recommendation ? `Recommendation: ${esc(x.recommendation)}` : ''}</p>
  <table><thead><tr><th>Evidence</th><th>Time (UTC)</th><th>What</th></tr></thead><tbody>
  ${x.evidence.map((e) => `<tr><td>${esc(e.ref)}</td><td>${esc(e.time ?? '—')}</td><td>${esc(e.summary)}</td></tr>`).join('\n  ')}
  </tbody></table>
  ${x.violations > x.evidence.length ? `<p class="muted">First ${x.evidence.length} of ${x.violations} shown; the JSON report and the audit export have all.</p>` : ''}
</section>`,
    )
    .join('\n')
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${esc(title)}</title>
<style>
  body { font: 13px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #111827; margin: 32px; }
  h1 { font-size: 20px; margin: 0 0 4px; } h2 { font-size: 16px; margin: 24px 0 8px; } h3 { font-size: 14px; margin: 16px 0 4px; }
  .muted, .req { color: #4b5563; } table { border-collapse: collapse; width: 100%; margin: 8px 0; }
  th, td { border-bottom: 1px solid #e5e7eb; padding: 6px 8px; text-align: left; vertical-align: top; }
  th { background: #f3f4f6; font-weight: 600; } .num { text-align: right; font-variant-numeric: tabular-nums; }
  .bad { color: #b3261e; font-weight: 600; } .ok { color: #166534; }
  .sev { color: #fff; border-radius: 3px; padding: 1px 6px; font-size: 11px; text-transform: uppercase; }
  .tiles { display: flex; gap: 12px; } .tile { border: 1px solid #e5e7eb; border-radius: 6px; padding: 10px 14px; min-width: 120px; }
  .tile b { display: block; font-size: 22px; } section.rule { break-inside: avoid; }
  @media print { body { margin: 12mm; } }
</style></head><body>
<h1>${esc(title)}</h1>
<p class="muted">Period ${esc(r.from)} to ${esc(r.to)} (UTC, end exclusive) · generated ${esc(r.generatedAt)} (UTC+00:00) by QQ-Verse Security Console ${esc(APP_VERSION)}</p>
<div class="tiles">
  <div class="tile"><b>${r.score}</b>score (% of checks passed)</div>
  <div class="tile"><b>${r.totals.entries}</b>audit entries in the period</div>
  <div class="tile"><b>${r.rules.reduce((n, x) => n + x.violations, 0)}</b>violations</div>
</div>
<h2>Rules</h2>
<table><thead><tr><th>Rule</th><th>Severity</th><th class="num">Checked</th><th class="num">Violations</th><th>Controls</th></tr></thead>
<tbody>
${rows}
</tbody></table>
${r.totals.byDataType.length ? `<p class="muted">Entries by data type: ${r.totals.byDataType.map((d) => `${esc(d.dataType)} ${d.count}`).join(', ')}</p>` : ''}
<h2>Violations</h2>
${details || '<p>None in this period.</p>'}
<h2>Recommendations</h2>
${r.recommendations.length ? `<ul>${r.recommendations.map((x) => `<li>${esc(x)}</li>`).join('')}</ul>` : '<p>None.</p>'}
</body></html>
`
}
