import { Anchor, Paper, SimpleGrid, Skeleton, Stack, Text } from '@mantine/core'
import { useMemo, useState, type ReactNode } from 'react'
import type { CallOutput } from '../../../../shared/contract'
import { categoryFill, severityFill } from '../../components/charts/chart-colors'
import { HBarChart } from '../../components/charts/HBarChart'
import { Sparkline } from '../../components/charts/Sparkline'
import { StackedBarChart } from '../../components/charts/StackedBarChart'
import { ErrorAlert } from '../../components/ErrorAlert'
import { hrefFor } from '../../lib/hash-router'
import { SEVERITY_LABEL } from '../../lib/severity'
import { useCall } from '../../lib/use-call'
import { auditPath, type AuditFilters } from '../audit/audit-filters'

type Metrics = CallOutput<'audit.metrics'>
const WEEK = 7 * 86_400_000
const RISK_ORDER = ['critical', 'high', 'medium', 'low'] as const

/** The last seven days of the audit trail: tiles that link to the entries behind them, and four charts. */
export function MetricsSection() {
  const [period] = useState(() => {
    const to = Date.now()
    return { from: new Date(to - WEEK).toISOString(), to: new Date(to + 60_000).toISOString() }
  })
  const { state, reload } = useCall('audit.metrics', period)
  if (state.status === 'loading')
    return (
      <Stack gap="sm" aria-busy="true" aria-label="Loading the week's metrics">
        <SimpleGrid cols={6} spacing="sm">
          {Array.from({ length: 6 }, (_, i) => (
            <Skeleton key={i} height={74} radius="sm" />
          ))}
        </SimpleGrid>
        <SimpleGrid cols={2} spacing="sm">
          <Skeleton height={230} radius="sm" />
          <Skeleton height={230} radius="sm" />
        </SimpleGrid>
      </Stack>
    )
  if (state.status === 'error')
    return <ErrorAlert error={state.error} title="The week's metrics could not be read" onRetry={reload} />
  return <Metrics metrics={state.value} period={period} />
}

function Tile({
  label,
  value,
  href,
  linkText,
  tone,
  extra,
}: {
  label: string
  value: number
  href: string
  linkText: string
  tone?: string
  extra?: ReactNode
}) {
  return (
    <Paper
      withBorder
      p="sm"
      data-testid={`metric-${label}`}
      style={{ display: 'flex', flexDirection: 'column' }}
    >
      <Text size="xs" c="dimmed" lh={1.2}>
        {label}
      </Text>
      <Text size="xl" fw={700} c={tone} style={{ fontVariantNumeric: 'tabular-nums' }} lh={1.3}>
        {value.toLocaleString()}
      </Text>
      {extra}
      <Anchor href={href} size="xs" mt="auto" pt={4} aria-label={`${linkText} in the audit view`}>
        {linkText}
      </Anchor>
    </Paper>
  )
}

function Metrics({ metrics: m, period }: { metrics: Metrics; period: { from: string; to: string } }) {
  const link = (f: Partial<AuditFilters>) => hrefFor(auditPath({ from: period.from, ...f }))
  const { buckets, series, perBucket } = useMemo(() => {
    const types = [...new Set(m.timeline.map((t) => t.type))].sort()
    const byBucket = new Map<string, Record<string, number>>()
    for (const t of m.timeline) {
      const b = byBucket.get(t.bucket) ?? {}
      b[t.type] = (b[t.type] ?? 0) + t.count
      byBucket.set(t.bucket, b)
    }
    // Buckets are UTC days (hours for short periods); days without events are drawn as empty slots.
    const keys = [...byBucket.keys()].sort()
    const first = keys[0]
    if (first && first.length === 10) {
      for (let t = Date.parse(period.from); t <= Date.parse(period.to); t += 86_400_000) {
        const day = new Date(t).toISOString().slice(0, 10)
        if (!byBucket.has(day)) byBucket.set(day, {})
      }
    }
    const all = [...byBucket.keys()].sort()
    return {
      series: types.map((t, i) => ({ key: t, label: t, fill: categoryFill(i) })),
      buckets: all.map((k) => ({
        label: k.length === 10 ? k.slice(5) : `${k.slice(5, 10)} ${k.slice(11)}h`,
        title: k.length === 10 ? `${k} (UTC day)` : `${k.slice(0, 10)} ${k.slice(11)}:00 UTC`,
        values: byBucket.get(k) ?? {},
      })),
      perBucket: all.map((k) => Object.values(byBucket.get(k) ?? {}).reduce((a, b) => a + b, 0)),
    }
  }, [m.timeline, period])

  if (m.total === 0)
    return (
      <Paper withBorder p="md" data-testid="metrics-empty">
        <Text size="sm">
          Nothing was recorded in the last 7 days. Sign-ins and every call will show up here.
        </Text>
      </Paper>
    )

  return (
    <Stack gap="sm" data-testid="metrics">
      <SimpleGrid cols={{ base: 3, lg: 6 }} spacing="sm">
        <Tile
          label="Events (7 days)"
          value={m.total}
          href={link({})}
          linkText="All events"
          extra={
            <Sparkline
              values={perBucket}
              label={`Events per bucket: ${perBucket.join(', ')}`}
              width={110}
              height={18}
            />
          }
        />
        <Tile
          label="Authentication"
          value={m.authentication}
          href={link({ type: 'authentication' })}
          linkText="Sign-ins and sessions"
        />
        <Tile
          label="Authorization failures"
          value={m.authorizationFailures}
          href={link({ type: 'authorization', result: 'failure' })}
          linkText="Refused calls"
          tone={m.authorizationFailures > 0 ? 'orange' : undefined}
        />
        <Tile
          label="High or critical"
          value={m.highOrCritical}
          href={link({ risk: 'high' })}
          linkText="High-risk events"
          tone={m.highOrCritical > 0 ? 'red' : undefined}
        />
        <Tile label="Unique users" value={m.uniqueUsers} href={link({})} linkText="By actor" />
        <Tile label="Unique clients" value={m.uniqueClients} href={link({})} linkText="By client" />
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="sm">
        <StackedBarChart
          title="Events over time by type"
          subtitle="last 7 days, per UTC day"
          series={series}
          buckets={buckets}
          xLabel="Day (UTC)"
          yLabel="Events"
          testId="chart-events-by-type"
        />
        <HBarChart
          title="Risk distribution"
          subtitle="events by risk"
          valueLabel="events"
          testId="chart-risk"
          rows={RISK_ORDER.map((r) => ({
            label: SEVERITY_LABEL[r],
            value: m.byRisk.find((x) => x.risk === r)?.count ?? 0,
            fill: severityFill(r),
            href: link({ risk: r }),
          }))}
        />
        <HBarChart
          title="Top risky users"
          subtitle="risk score"
          valueLabel="risk score"
          testId="chart-top-users"
          rows={m.topUsers.slice(0, 8).map((u) => ({
            label: u.name,
            value: Math.round(u.score),
            fill: 'var(--mantine-color-grape-6)',
            note: (
              <Text span size="xs" c="dimmed">
                · {u.events} events
              </Text>
            ),
            noteText: `${u.events} events`,
            href: link({ actor: u.name }),
          }))}
        />
        <HBarChart
          title="Top risky clients"
          subtitle="risk score"
          valueLabel="risk score"
          testId="chart-top-clients"
          rows={m.topClients.slice(0, 8).map((c) => ({
            label: c.name,
            value: Math.round(c.score),
            fill: 'var(--mantine-color-cyan-6)',
            note: (
              <Text span size="xs" c="dimmed">
                · {c.events} events
              </Text>
            ),
            noteText: `${c.events} events`,
            href: link({ client: c.name }),
          }))}
        />
      </SimpleGrid>
    </Stack>
  )
}
