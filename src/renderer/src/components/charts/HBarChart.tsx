import { Text } from '@mantine/core'
import type { ReactNode } from 'react'
import { ChartFrame } from './ChartFrame'

export interface HBarRow {
  label: string
  value: number
  fill: string
  /** Shown after the number (e.g. a severity word or "12 events"). */
  note?: ReactNode
  noteText?: string
  href?: string
}

interface Props {
  title: string
  subtitle?: string
  rows: readonly HBarRow[]
  valueLabel: string
  empty?: string
  testId?: string
}

/** Horizontal bars: one row per item with its label, an SVG bar scaled to the largest value, and the number. */
export function HBarChart({
  title,
  subtitle,
  rows,
  valueLabel,
  empty = 'Nothing in this period.',
  testId,
}: Props) {
  const max = Math.max(1, ...rows.map((r) => r.value))
  return (
    <ChartFrame
      title={title}
      subtitle={subtitle}
      testId={testId}
      table={{
        columns: ['Item', valueLabel, ''],
        rows: rows.map((r) => ({ label: r.label, values: [r.value, r.noteText ?? ''] })),
      }}
    >
      {rows.length === 0 ? (
        <Text size="xs" c="dimmed" mt={6}>
          {empty}
        </Text>
      ) : (
        <div
          aria-hidden
          style={{
            display: 'grid',
            gridTemplateColumns: 'minmax(60px, 38%) 1fr auto',
            gap: '3px 8px',
            alignItems: 'center',
            marginTop: 6,
            fontSize: 'var(--mantine-font-size-xs)',
          }}
        >
          {rows.map((r) => (
            <Row key={r.label} row={r} max={max} />
          ))}
        </div>
      )}
      <Text size="xs" c="dimmed" mt={4} aria-hidden>
        Bar length: {valueLabel}
      </Text>
    </ChartFrame>
  )
}

function Row({ row, max }: { row: HBarRow; max: number }) {
  const pct = (row.value / max) * 100
  return (
    <>
      <span
        className="qq-mono"
        title={row.label}
        style={{ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}
      >
        {row.href ? (
          <a href={row.href} tabIndex={-1} style={{ color: 'inherit' }}>
            {row.label}
          </a>
        ) : (
          row.label
        )}
      </span>
      <svg width="100%" height="12" preserveAspectRatio="none" viewBox="0 0 100 12">
        {row.value > 0 && (
          <rect x="0" y="1" width={Math.max(0.8, pct)} height="10" rx="1.5" fill={row.fill} />
        )}
      </svg>
      <span style={{ whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' }}>
        {row.value.toLocaleString()}
        {row.note && <> {row.note}</>}
      </span>
    </>
  )
}
