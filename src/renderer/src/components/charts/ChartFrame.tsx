import { Paper, Text } from '@mantine/core'
import type { ReactNode } from 'react'

export interface ChartTableRow {
  label: string
  values: (string | number)[]
}

interface Props {
  title: string
  subtitle?: string
  /** The text alternative: the same numbers as a table, for screen readers. */
  table: { columns: string[]; rows: ChartTableRow[] }
  legend?: ReactNode
  children: ReactNode
  testId?: string
}

/** A chart's frame: title, the drawing, a legend and a visually hidden table with the same numbers. */
export function ChartFrame({ title, subtitle, table, legend, children, testId }: Props) {
  return (
    <Paper withBorder p="sm" component="figure" m={0} data-testid={testId}>
      <Text component="figcaption" size="sm" fw={600}>
        {title}
        {subtitle && (
          <Text span size="xs" c="dimmed" fw={400} ml={6}>
            {subtitle}
          </Text>
        )}
      </Text>
      {children}
      {legend}
      <table className="qq-sr-only">
        <caption>{title}</caption>
        <thead>
          <tr>
            {table.columns.map((c) => (
              <th key={c} scope="col">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {table.rows.map((r, i) => (
            <tr key={`${r.label}-${i}`}>
              <th scope="row">{r.label}</th>
              {r.values.map((v, j) => (
                <td key={j}>{v}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </Paper>
  )
}

/** Colour swatch and word for each series. */
export function ChartLegend({ items }: { items: { label: string; fill: string }[] }) {
  return (
    <div
      aria-hidden
      style={{
        display: 'flex',
        flexWrap: 'wrap',
        gap: '4px 12px',
        marginTop: 4,
        fontSize: 'var(--mantine-font-size-xs)',
      }}
    >
      {items.map((i) => (
        <span key={i.label} style={{ display: 'inline-flex', alignItems: 'center', gap: 4 }}>
          <svg width="10" height="10" aria-hidden>
            <rect width="10" height="10" rx="2" fill={i.fill} />
          </svg>
          {i.label}
        </span>
      ))}
    </div>
  )
}
