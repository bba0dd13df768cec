import type { LogReport } from './log-analyzer'
import type { Category } from './threat-types'

/** A self-contained HTML report (inline CSS and SVG, no scripts, no external resources). */

const esc = (s: unknown): string => String(s ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

const COLORS: Readonly<Record<Category, string>> = {
  sqli: '#d62728',
  xss: '#ff7f0e',
  traversal: '#9467bd',
  rfi: '#8c564b',
  'command-injection': '#e377c2',
  ssti: '#bcbd22',
  scanner: '#17becf',
  protocol: '#7f7f7f',
  'sensitive-file': '#1f77b4',
  'brute-force': '#2ca02c',
  rate: '#aec7e8',
  behaviour: '#c5b0d5',
}

function chart(r: LogReport): string {
  const buckets = r.timeline.buckets
  if (!buckets.length) return '<p>No attack traffic with a time stamp.</p>'
  const W = 900
  const H = 220
  const barW = Math.max(2, Math.floor((W - 40) / buckets.length) - 1)
  const max = Math.max(1, ...buckets.map((b) => Object.values(b.counts).reduce((a, n) => a + (n ?? 0), 0)))
  const bars = buckets
    .map((b, i) => {
      let y = H - 20
      return (Object.entries(b.counts) as Array<[Category, number]>)
        .map(([cat, n]) => {
          const h = Math.max(1, Math.round((n / max) * (H - 40)))
          y -= h
          return `<rect x="${30 + i * (barW + 1)}" y="${y}" width="${barW}" height="${h}" fill="${COLORS[cat]}"><title>${esc(b.start)} ${esc(cat)}: ${n}</title></rect>`
        })
        .join('')
    })
    .join('')
  const cats = [...new Set(buckets.flatMap((b) => Object.keys(b.counts)))] as Category[]
  const legend = cats
    .map((c) => `<span class="lg"><i style="background:${COLORS[c]}"></i>${esc(c)}</span>`)
    .join(' ')
  return `<svg viewBox="0 0 ${W} ${H}" width="100%" role="img" aria-label="Attack requests by category over time">
<line x1="28" y1="${H - 20}" x2="${W}" y2="${H - 20}" stroke="#888"/><text x="0" y="14" font-size="11">${max}</text>
<text x="30" y="${H - 5}" font-size="11">${esc(buckets[0]?.start)}</text>
<text x="${W - 170}" y="${H - 5}" font-size="11">${esc(buckets[buckets.length - 1]?.start)}</text>${bars}</svg>
<p>${legend} — one bar per ${r.timeline.bucketMinutes} min</p>`
}

const table = (headers: string[], rows: unknown[][]): string =>
  rows.length
    ? `<table><thead><tr>${headers.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows
        .map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`)
        .join('')}</tbody></table>`
    : '<p>None.</p>'

export function renderReportHtml(r: LogReport): string {
  const files = r.files.map((f) => f.file).join(', ')
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>Threat report — ${esc(files)}</title>
<style>body{font:14px system-ui,sans-serif;margin:2em;color:#222}h1{font-size:1.4em}h2{margin-top:1.6em;font-size:1.15em}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:3px 7px;text-align:left;vertical-align:top}
th{background:#f2f2f2}code,td{font-family:ui-monospace,monospace;font-size:12px}.warn{background:#fde2e2;padding:.6em;border-left:4px solid #c00}
.lg i{display:inline-block;width:10px;height:10px;margin-right:4px}.kv td:first-child{font-weight:bold}</style></head><body>
<h1>Threat report: ${esc(files)}</h1>
<p>Rules ${esc(r.ruleset)}, generated ${esc(r.generatedAt)}, alert at risk ${r.thresholds.alertAt}, block at ${r.thresholds.blockAt}.</p>
${r.successfulAttacks.length ? `<p class="warn"><b>${r.successfulAttacks.length}${r.successfulAttacks.length >= 100 ? '+' : ''} attack requests were answered with 2xx</b>: check them first (listed below).</p>` : ''}
<h2>Totals</h2>
${table(['lines read', 'parsed', 'unparsable', 'attack requests', 'alerted', 'blocked', 'findings'], [[r.linesRead, r.linesParsed, r.unparsable.count, r.attackRequests, r.alerted, r.blocked, r.findingsTotal]])}
${table(
  ['category', 'findings'],
  Object.entries(r.byCategory).sort((a, b) => (b[1] ?? 0) - (a[1] ?? 0)),
)}
<h2>Attack requests by category over time</h2>${chart(r)}
<h2>Successful attacks (2xx responses)</h2>
${table(
  ['file', 'line', 'client', 'time', 'status', 'rule', 'severity', 'evidence'],
  r.successfulAttacks.map((f) => [
    f.file,
    f.line,
    f.client,
    f.time,
    f.status,
    f.rule,
    f.severity,
    f.evidence,
  ]),
)}
<h2>Top attacking clients</h2>
${table(
  [
    'client',
    'attack requests',
    '2xx',
    'blocked',
    'findings',
    'risk',
    'max severity',
    'categories',
    'first seen',
    'last seen',
  ],
  r.topClients.map((c) => [
    c.client,
    c.requests,
    c.successes,
    c.blocked,
    c.findings,
    c.risk,
    c.maxSeverity,
    c.categories.join(', '),
    c.firstSeen,
    c.lastSeen,
  ]),
)}
<h2>Top targeted paths</h2>
${table(
  ['path', 'attack requests', 'categories'],
  r.topPaths.map((p) => [p.path, p.requests, p.categories.join(', ')]),
)}
<h2>Status codes of attack traffic</h2>
${table(['status', 'requests'], Object.entries(r.statusMix))}
<h2>Timeline per client</h2>
${r.clientTimelines
  .map(
    (t) =>
      `<h3>${esc(t.client)}</h3>${table(
        ['time', 'file:line', 'method', 'path', 'status', 'rules', 'decision'],
        t.events.map((e) => [
          e.time,
          `${e.file}:${e.line}`,
          e.method,
          e.path,
          e.status,
          e.rules.join(', '),
          e.decision,
        ]),
      )}`,
  )
  .join('')}
<h2>Sample evidence per rule</h2>
${table(
  ['rule', 'category', 'severity', 'evidence (normalized)'],
  r.samples.map((s) => [s.rule, s.category, s.severity, s.evidence.join('\n')]),
)}
<h2>Unparsable lines</h2>
<p>${r.unparsable.count} lines could not be read${r.unparsable.count ? '; samples:' : '.'}</p>
${table(
  ['file', 'line', 'reason', 'text'],
  r.unparsable.samples.map((s) => [s.file, s.line, s.reason, s.text]),
)}
<p>${r.linesRead} lines in ${r.seconds} s (${r.linesPerSecond} lines/s).</p>
</body></html>
`
}
