import { useElementSize } from '@mantine/hooks'
import { ChartFrame, ChartLegend } from './ChartFrame'

export interface StackSeries {
  key: string
  label: string
  fill: string
}

export interface StackBucket {
  /** Short axis label (e.g. `12-04 14:00`). */
  label: string
  /** Full label for the tooltip (e.g. with UTC). */
  title: string
  values: Readonly<Record<string, number>>
}

interface Props {
  title: string
  subtitle?: string
  series: readonly StackSeries[]
  buckets: readonly StackBucket[]
  xLabel: string
  yLabel: string
  height?: number
  testId?: string
}

const PAD = { left: 44, right: 8, top: 8, bottom: 34 }

const niceMax = (n: number): number => {
  if (n <= 5) return Math.max(1, n)
  const p = 10 ** Math.floor(Math.log10(n))
  const m = n / p
  return (m <= 2 ? 2 : m <= 5 ? 5 : 10) * p
}

/** Vertical stacked bars over time, drawn in inline SVG at the container's own width. */
export function StackedBarChart({
  title,
  subtitle,
  series,
  buckets,
  xLabel,
  yLabel,
  height = 170,
  testId,
}: Props) {
  const { ref, width } = useElementSize()
  const totals = buckets.map((b) => series.reduce((s, x) => s + (b.values[x.key] ?? 0), 0))
  const max = niceMax(Math.max(0, ...totals))
  const w = Math.max(200, width)
  const plotW = w - PAD.left - PAD.right
  const plotH = height - PAD.top - PAD.bottom
  const slot = buckets.length > 0 ? plotW / buckets.length : plotW
  const barW = Math.max(1, Math.min(28, slot * 0.75))
  const y = (v: number) => PAD.top + plotH - (v / max) * plotH
  const labelEvery = Math.max(1, Math.ceil(buckets.length / Math.max(1, Math.floor(plotW / 70))))
  const used = series.filter((s) => buckets.some((b) => (b.values[s.key] ?? 0) > 0))

  return (
    <ChartFrame
      title={title}
      subtitle={subtitle}
      testId={testId}
      table={{
        columns: [xLabel, ...used.map((s) => s.label), 'Total'],
        rows: buckets.map((b, i) => ({
          label: b.title,
          values: [...used.map((s) => b.values[s.key] ?? 0), totals[i] ?? 0],
        })),
      }}
      legend={<ChartLegend items={used.map((s) => ({ label: s.label, fill: s.fill }))} />}
    >
      <div ref={ref} style={{ width: '100%' }}>
        <svg
          width={w}
          height={height}
          role="img"
          aria-label={`${title}: ${yLabel} per ${xLabel}`}
          style={{ display: 'block' }}
        >
          {[0, 0.5, 1].map((f) => (
            <g key={f}>
              <line
                x1={PAD.left}
                x2={w - PAD.right}
                y1={y(max * f)}
                y2={y(max * f)}
                stroke="var(--mantine-color-default-border)"
                strokeDasharray={f === 0 ? undefined : '2 3'}
              />
              <text
                x={PAD.left - 4}
                y={y(max * f) + 3}
                textAnchor="end"
                fontSize="10"
                fill="var(--mantine-color-dimmed)"
              >
                {Math.round(max * f)}
              </text>
            </g>
          ))}
          <text
            x={10}
            y={PAD.top + plotH / 2}
            fontSize="10"
            fill="var(--mantine-color-dimmed)"
            textAnchor="middle"
            transform={`rotate(-90 10 ${PAD.top + plotH / 2})`}
          >
            {yLabel}
          </text>
          {buckets.map((b, i) => {
            let acc = 0
            const x = PAD.left + i * slot + (slot - barW) / 2
            return (
              <g key={`${b.label}-${i}`}>
                <title>{`${b.title}: ${totals[i] ?? 0}`}</title>
                {series.map((s) => {
                  const v = b.values[s.key] ?? 0
                  if (v <= 0) return null
                  const top = y(acc + v)
                  const h = y(acc) - top
                  acc += v
                  return (
                    <rect key={s.key} x={x} y={top} width={barW} height={Math.max(0.5, h)} fill={s.fill} />
                  )
                })}
                {i % labelEvery === 0 && (
                  <text
                    x={PAD.left + i * slot + slot / 2}
                    y={height - PAD.bottom + 12}
                    fontSize="10"
                    textAnchor="middle"
                    fill="var(--mantine-color-dimmed)"
                  >
                    {b.label}
                  </text>
                )}
              </g>
            )
          })}
          <text
            x={PAD.left + plotW / 2}
            y={height - 4}
            fontSize="10"
            textAnchor="middle"
            fill="var(--mantine-color-dimmed)"
          >
            {xLabel}
          </text>
        </svg>
      </div>
    </ChartFrame>
  )
}
