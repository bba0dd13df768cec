import { localTime, utcTime } from '../lib/time'
import { SEVERITY_COLOR, SEVERITY_LABEL } from '../lib/severity'

type Sev = 'critical' | 'high' | 'medium' | 'low'
const ORDER: readonly Sev[] = ['low', 'medium', 'high', 'critical']

export interface HistoryPoint {
  id: string
  at: string
  bySeverity: Record<Sev, number>
}

const W = 760
const H = 200
const PAD = { left: 40, right: 12, top: 12, bottom: 36 }

/**
 * Open findings over time as stacked bars by severity, oldest left. Inline SVG with a title, axis labels and
 * a table of the same numbers for screen readers (and anyone who prefers numbers).
 */
export function ScanHistoryChart({ points, title }: { points: HistoryPoint[]; title: string }) {
  const totals = points.map((p) => ORDER.reduce((n, s) => n + p.bySeverity[s], 0))
  const max = Math.max(1, ...totals)
  const plotW = W - PAD.left - PAD.right
  const plotH = H - PAD.top - PAD.bottom
  const slot = plotW / Math.max(1, points.length)
  const barW = Math.max(4, Math.min(28, slot * 0.6))
  const y = (v: number) => PAD.top + plotH - (v / max) * plotH
  const ticks = [0, Math.round(max / 2), max].filter((v, i, a) => a.indexOf(v) === i)
  const labelEvery = Math.ceil(points.length / 8)
  return (
    <figure style={{ margin: 0 }} data-testid="scan-history-chart">
      <svg
        viewBox={`0 0 ${W} ${H}`}
        width="100%"
        role="img"
        aria-labelledby="scan-history-title scan-history-desc"
        style={{ maxHeight: 220, display: 'block' }}
      >
        <title id="scan-history-title">{title}</title>
        <desc id="scan-history-desc">
          {points.length} scans; open findings from {Math.min(...totals, 0)} to {max}. The table below gives
          the numbers.
        </desc>
        {ticks.map((t) => (
          <g key={t}>
            <line
              x1={PAD.left}
              x2={W - PAD.right}
              y1={y(t)}
              y2={y(t)}
              stroke="var(--mantine-color-default-border)"
              strokeDasharray={t === 0 ? undefined : '2 3'}
            />
            <text
              x={PAD.left - 6}
              y={y(t) + 4}
              textAnchor="end"
              fontSize="11"
              fill="var(--mantine-color-dimmed)"
            >
              {t}
            </text>
          </g>
        ))}
        <text
          x={10}
          y={PAD.top + plotH / 2}
          fontSize="11"
          textAnchor="middle"
          fill="var(--mantine-color-dimmed)"
          transform={`rotate(-90 10 ${PAD.top + plotH / 2})`}
        >
          open findings
        </text>
        <text
          x={PAD.left + plotW / 2}
          y={H - 2}
          fontSize="11"
          textAnchor="middle"
          fill="var(--mantine-color-dimmed)"
        >
          scan finished (local time, oldest left)
        </text>
        {points.map((p, i) => {
          const cx = PAD.left + slot * i + slot / 2
          let acc = 0
          return (
            <g key={p.id}>
              <title>{`${localTime(p.at)} (${utcTime(p.at)}): ${ORDER.slice()
                .reverse()
                .map((s) => `${p.bySeverity[s]} ${s}`)
                .join(', ')}`}</title>
              {ORDER.map((s) => {
                const v = p.bySeverity[s]
                if (v === 0) return null
                const top = y(acc + v)
                const h = y(acc) - top
                acc += v
                return (
                  <rect
                    key={s}
                    x={cx - barW / 2}
                    y={top}
                    width={barW}
                    height={Math.max(1, h)}
                    fill={`var(--mantine-color-${SEVERITY_COLOR[s]}-filled)`}
                  />
                )
              })}
              {i % labelEvery === 0 && (
                <text
                  x={cx}
                  y={H - PAD.bottom + 14}
                  fontSize="10"
                  textAnchor="middle"
                  fill="var(--mantine-color-dimmed)"
                >
                  {localTime(p.at).slice(5, 16)}
                </text>
              )}
            </g>
          )
        })}
      </svg>
      <figcaption style={{ display: 'flex', gap: 12, fontSize: 12, flexWrap: 'wrap' }}>
        {ORDER.slice()
          .reverse()
          .map((s) => (
            <span key={s} style={{ display: 'inline-flex', alignItems: 'center', gap: 4 }}>
              <svg width="10" height="10" aria-hidden>
                <rect
                  width="10"
                  height="10"
                  rx="2"
                  fill={`var(--mantine-color-${SEVERITY_COLOR[s]}-filled)`}
                />
              </svg>
              {SEVERITY_LABEL[s]}
            </span>
          ))}
      </figcaption>
      <table className="qq-sr-only">
        <caption>{title}</caption>
        <thead>
          <tr>
            <th>Finished</th>
            <th>Critical</th>
            <th>High</th>
            <th>Medium</th>
            <th>Low</th>
          </tr>
        </thead>
        <tbody>
          {points.map((p) => (
            <tr key={p.id}>
              <td>{localTime(p.at)}</td>
              <td>{p.bySeverity.critical}</td>
              <td>{p.bySeverity.high}</td>
              <td>{p.bySeverity.medium}</td>
              <td>{p.bySeverity.low}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  )
}
