import type { CallOutput } from '../../../../shared/contract'
import { SEVERITY_LABEL } from '../../lib/severity'
import { utcTime } from '../../lib/time'

export type ComplianceReport = CallOutput<'compliance.report'>

const esc = (s: string): string =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  )

/**
 * Printed colours of the severity words: the same hues as the app's severity map (Mantine red, orange,
 * yellow, blue) at print-safe shades; the word is always printed next to the colour.
 */
const PRINT_HUE: Record<string, string> = {
  critical: '#c92a2a',
  high: '#d9480f',
  medium: '#e67700',
  low: '#1971c2',
}

export const STANDARD_LABEL: Record<ComplianceReport['standard'], string> = {
  gdpr: 'GDPR',
  sox: 'SOX',
  hipaa: 'HIPAA',
  console: 'Console controls',
  all: 'All standards',
}

/** A self-contained, printable HTML file of a compliance report: inline CSS, no scripts, no external resources. */
export function complianceHtml(r: ComplianceReport): string {
  const rules = r.rules
    .map(
      (rule) => `<tr>
<td class="mono">${esc(rule.id)}</td><td>${esc(rule.title)}<div class="dim">${esc(rule.requirement)}</div></td>
<td><span class="sev" style="border-color:${PRINT_HUE[rule.severity] ?? '#555'};color:${PRINT_HUE[rule.severity] ?? '#555'}">${SEVERITY_LABEL[rule.severity]}</span></td>
<td class="num">${rule.checked}</td><td class="num ${rule.violations > 0 ? 'bad' : ''}">${rule.violations}</td>
<td>${rule.controls.map(esc).join(', ')}</td></tr>`,
    )
    .join('\n')
  const violations = r.rules
    .filter((rule) => rule.violations > 0)
    .map(
      (
        rule,
      ) => `<section><h3>${esc(rule.id)} — ${esc(rule.title)} (${SEVERITY_LABEL[rule.severity]}, ${rule.violations})</h3>
<ul>${rule.evidence
        .map(
          (e) =>
            `<li><span class="mono">${esc(e.ref)}</span> ${e.time ? esc(utcTime(e.time)) : ''} — ${esc(e.summary)}</li>`,
        )
        .join(
          '',
        )}</ul>${rule.recommendation ? `<p><b>Do:</b> ${esc(rule.recommendation)}</p>` : ''}</section>`,
    )
    .join('\n')
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>Compliance report — ${esc(STANDARD_LABEL[r.standard])}</title>
<style>
body{font:13px/1.45 system-ui,sans-serif;margin:24px;color:#1a1b1e}
h1{font-size:20px;margin:0 0 4px}h2{font-size:15px;margin:20px 0 6px}h3{font-size:13px;margin:12px 0 4px}
table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #ddd;padding:4px 6px;text-align:left;vertical-align:top}
.mono{font-family:ui-monospace,monospace;font-size:12px}.num{text-align:right}.dim{color:#666;font-size:12px}
.bad{color:#c92a2a;font-weight:600}.sev{border:1px solid;border-radius:3px;padding:0 4px;font-size:12px}
.score{font-size:28px;font-weight:700}
</style></head><body>
<h1>Compliance report — ${esc(STANDARD_LABEL[r.standard])}</h1>
<p class="dim">Period ${esc(utcTime(r.from))} to ${esc(utcTime(r.to))} · generated ${esc(utcTime(r.generatedAt))} by the QQ-Verse Security Console</p>
<p><span class="score">${Math.round(r.score)}%</span> · ${r.totals.entries} audit entries checked · ${r.rules.length} rules · ${r.rules.filter((x) => x.violations > 0).length} with violations</p>
<h2>Rules</h2>
<table><thead><tr><th>Id</th><th>Rule</th><th>Severity</th><th class="num">Checked</th><th class="num">Violations</th><th>Controls</th></tr></thead>
<tbody>${rules}</tbody></table>
<h2>Violations and evidence</h2>${violations || '<p>No violations in this period.</p>'}
<h2>Recommendations</h2>${r.recommendations.length ? `<ul>${r.recommendations.map((x) => `<li>${esc(x)}</li>`).join('')}</ul>` : '<p>None.</p>'}
</body></html>
`
}
