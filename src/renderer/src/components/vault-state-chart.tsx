/** One basis state of the chart summary: |index⟩ with its probability and phase (radians). */
export interface StateBar {
  index: number
  probability: number
  phase: number
}

const ROW = 22
const BAR_W = 340
/** Bars, percentages and the phase dials right of the labels. */
const RIGHT_W = 544
const DIAL = 8

const ket = (index: number, qubits: number): string =>
  `|${index.toString(2).padStart(Math.max(1, qubits), '0')}⟩`

/**
 * The top basis-state probabilities as horizontal bars, each with a small phase dial (the needle's angle is the
 * phase). Inline SVG with title, axis labels and a table of the same numbers as the text alternative.
 */
export function VaultStateChart({
  bars: all,
  rest,
  qubits,
}: {
  bars: StateBar[]
  rest: number
  qubits: number
}) {
  // Basis states with no amplitude say nothing; the text below the chart gives the non-zero count.
  const bars = all.filter((b) => b.probability > 0)
  // |0…0⟩ needs a column as wide as its qubits (12 px monospace ≈ 7.3 px a character): up to 36 characters at n = 34.
  const LABEL_W = Math.max(96, Math.ceil((Math.max(1, qubits) + 2) * 7.3) + 14)
  const W = LABEL_W + RIGHT_W
  const max = Math.max(1e-12, ...bars.map((b) => b.probability))
  const H = 28 + ROW * bars.length + 24
  const x = (p: number) => LABEL_W + (p / max) * BAR_W
  const title = `Top ${bars.length} basis states by probability, with their phases`
  return (
    <figure style={{ margin: 0 }} data-testid="vault-state-chart">
      <svg
        viewBox={`0 0 ${W} ${H}`}
        width="100%"
        role="img"
        aria-labelledby="vault-chart-title vault-chart-desc"
      >
        <title id="vault-chart-title">{title}</title>
        <desc id="vault-chart-desc">
          {bars
            .slice(0, 3)
            .map((b) => `${ket(b.index, qubits)} ${(b.probability * 100).toFixed(1)} %`)
            .join(', ')}
          {rest > 0 ? `; the other states together ${(rest * 100).toFixed(1)} %` : ''}. The table below gives
          every number.
        </desc>
        <text x={LABEL_W} y={14} fontSize="11" fill="var(--mantine-color-dimmed)">
          probability (bar) · phase (dial, 0 points right, counter-clockwise)
        </text>
        {bars.map((b, i) => {
          const y = 28 + i * ROW
          const cx = LABEL_W + BAR_W + 90
          const cy = y + ROW / 2 - 2
          return (
            <g key={b.index}>
              <text
                x={LABEL_W - 8}
                y={y + 13}
                fontSize="12"
                textAnchor="end"
                fontFamily="monospace"
                fill="currentColor"
              >
                {ket(b.index, qubits)}
              </text>
              <rect
                x={LABEL_W}
                y={y + 2}
                width={Math.max(1, x(b.probability) - LABEL_W)}
                height={ROW - 8}
                rx={2}
                fill="var(--mantine-primary-color-filled)"
              />
              <text x={x(b.probability) + 6} y={y + 13} fontSize="11" fill="currentColor">
                {(b.probability * 100).toFixed(2)} %
              </text>
              <circle cx={cx} cy={cy} r={DIAL} fill="none" stroke="var(--mantine-color-dimmed)" />
              <line
                x1={cx}
                y1={cy}
                x2={cx + DIAL * Math.cos(b.phase)}
                y2={cy - DIAL * Math.sin(b.phase)}
                stroke="var(--mantine-color-orange-filled)"
                strokeWidth={2}
              />
              <text x={cx + DIAL + 6} y={y + 13} fontSize="11" fill="var(--mantine-color-dimmed)">
                {((b.phase / Math.PI) * 180).toFixed(0)}°
              </text>
            </g>
          )
        })}
        <line
          x1={LABEL_W}
          x2={LABEL_W}
          y1={24}
          y2={28 + ROW * bars.length}
          stroke="var(--mantine-color-default-border)"
        />
        <text x={LABEL_W} y={H - 6} fontSize="11" fill="var(--mantine-color-dimmed)">
          basis state (left) · bar length relative to the largest probability ({(max * 100).toFixed(2)} %)
        </text>
      </svg>
      <table className="qq-sr-only">
        <caption>{title}</caption>
        <thead>
          <tr>
            <th>Basis state</th>
            <th>Probability</th>
            <th>Phase (degrees)</th>
          </tr>
        </thead>
        <tbody>
          {bars.map((b) => (
            <tr key={b.index}>
              <td>{ket(b.index, qubits)}</td>
              <td>{(b.probability * 100).toFixed(4)} %</td>
              <td>{((b.phase / Math.PI) * 180).toFixed(1)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  )
}
