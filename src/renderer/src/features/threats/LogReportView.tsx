import {
  Alert,
  Badge,
  CloseButton,
  Code,
  Group,
  Paper,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core'
import { useMemo } from 'react'
import { severityFill } from '../../components/charts/chart-colors'
import { HBarChart } from '../../components/charts/HBarChart'
import { StackedBarChart } from '../../components/charts/StackedBarChart'
import { ErrorAlert } from '../../components/ErrorAlert'
import { LocalTime } from '../../components/LocalTime'
import { SeverityBadge } from '../../components/SeverityBadge'
import { TableSkeleton } from '../../components/TableSkeleton'
import { localTime, utcTime } from '../../lib/time'
import { useCall } from '../../lib/use-call'
import { categoryColor, categoryLabel, logReportSchema, type LogReport } from './log-report'

/** The report of one log analysis, loaded with threats.report. */
export function LogReportPanel({ analysisId, onClose }: { analysisId: string; onClose: () => void }) {
  const { state, reload } = useCall('threats.report', { analysisId })
  const parsed = useMemo(
    () => (state.status === 'ready' ? logReportSchema.safeParse(state.value.report) : null),
    [state],
  )
  return (
    <Paper withBorder p="sm" mb="md" data-testid="log-report">
      <Group justify="space-between" mb="xs" wrap="nowrap">
        <div>
          <Title order={3} size="h5">
            Log analysis report
          </Title>
          {state.status === 'ready' && (
            <Text size="xs" c="dimmed" className="qq-mono" style={{ wordBreak: 'break-all' }}>
              {state.value.files.join(', ')} · <LocalTime iso={state.value.createdAt} />
            </Text>
          )}
        </div>
        <CloseButton aria-label="Close the report" onClick={onClose} />
      </Group>
      {state.status === 'loading' && <TableSkeleton label="Loading the report" rows={6} />}
      {state.status === 'error' && (
        <ErrorAlert error={state.error} title="The report could not be read" onRetry={reload} />
      )}
      {parsed && !parsed.success && (
        <Alert color="red" variant="light" title="The report has an unexpected shape">
          <Text size="sm">{parsed.error.issues[0]?.message ?? 'Unknown difference'}</Text>
        </Alert>
      )}
      {parsed?.success && <Report r={parsed.data} />}
    </Paper>
  )
}

/** Empty buckets between the first and last one, so time runs evenly along the axis (at most 240 bars). */
function fillBuckets(
  buckets: LogReport['timeline']['buckets'],
  minutes: number,
): LogReport['timeline']['buckets'] {
  const first = buckets[0]
  const last = buckets.at(-1)
  if (!first || !last) return buckets
  const step = minutes * 60_000
  const start = Date.parse(first.start)
  const end = Date.parse(last.start)
  if (!(step > 0) || (end - start) / step > 240) return buckets
  const byTime = new Map(buckets.map((b) => [Date.parse(b.start), b]))
  const out: LogReport['timeline']['buckets'] = []
  for (let t = start; t <= end; t += step)
    out.push(byTime.get(t) ?? { start: new Date(t).toISOString(), counts: {} })
  return out
}

function Stat({ label, value, tone }: { label: string; value: string; tone?: string }) {
  return (
    <div>
      <Text size="xs" c="dimmed" lh={1.2}>
        {label}
      </Text>
      <Text fw={700} c={tone} style={{ fontVariantNumeric: 'tabular-nums' }}>
        {value}
      </Text>
    </div>
  )
}

function Report({ r }: { r: LogReport }) {
  const categories = Object.keys(r.byCategory).sort((a, b) => (r.byCategory[b] ?? 0) - (r.byCategory[a] ?? 0))
  const series = categories.map((c) => ({ key: c, label: categoryLabel(c), fill: categoryColor(c) }))
  const buckets = fillBuckets(r.timeline.buckets, r.timeline.bucketMinutes).map((b) => ({
    label: localTime(b.start).slice(11, 16),
    title: `${localTime(b.start)} (${utcTime(b.start)})`,
    values: b.counts,
  }))
  const succeededRequests = new Set(r.successfulAttacks.map((a) => `${a.file}:${a.line}`)).size
  const statuses = Object.entries(r.statusMix).sort(([a], [b]) => a.localeCompare(b))
  const statusTotal = statuses.reduce((s, [, n]) => s + n, 0)
  return (
    <Stack gap="sm">
      {r.successfulAttacks.length > 0 && (
        <Alert
          color="red"
          variant="filled"
          role="alert"
          title={`${succeededRequests} attack request(s) answered with 2xx (${r.successfulAttacks.length} findings)`}
        >
          <Text size="sm" mb={4}>
            The server said yes to these. Check whether they reached data or code:
          </Text>
          <Stack gap={2}>
            {r.successfulAttacks.slice(0, 8).map((a, i) => (
              <Text
                key={`${a.file}:${a.line}:${a.rule}:${i}`}
                size="xs"
                className="qq-mono"
                style={{ wordBreak: 'break-all' }}
              >
                {a.client} · {a.method} {a.path} → {a.status} · {categoryLabel(a.category)} ({a.rule}) ·{' '}
                {a.file}:{a.line}
              </Text>
            ))}
          </Stack>
        </Alert>
      )}
      <SimpleGrid cols={{ base: 3, md: 7 }} spacing="xs">
        <Stat label="Lines read" value={r.linesRead.toLocaleString()} />
        <Stat label="Parsed" value={r.linesParsed.toLocaleString()} />
        <Stat
          label="Unparsable"
          value={r.unparsable.count.toLocaleString()}
          tone={r.unparsable.count ? 'yellow' : undefined}
        />
        <Stat
          label="Attack requests"
          value={r.attackRequests.toLocaleString()}
          tone={r.attackRequests ? 'red' : undefined}
        />
        <Stat label="Findings" value={r.findingsTotal.toLocaleString()} />
        <Stat label="Blocked / alerted" value={`${r.blocked} / ${r.alerted}`} />
        <Stat label="Speed" value={`${r.linesPerSecond.toLocaleString()} lines/s`} />
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="sm">
        <StackedBarChart
          title="Attack requests by category over time"
          subtitle={`per ${r.timeline.bucketMinutes} min`}
          series={series}
          buckets={buckets}
          xLabel="Time (local)"
          yLabel="Requests"
          testId="chart-attacks-over-time"
        />
        <HBarChart
          title="Top clients"
          subtitle="risk score"
          valueLabel="risk score"
          testId="chart-top-clients"
          rows={r.topClients.slice(0, 8).map((c) => ({
            label: c.client,
            value: c.risk,
            fill: severityFill(c.maxSeverity),
            note: <SeverityBadge level={c.maxSeverity} />,
            noteText: `${c.maxSeverity}, ${c.requests} requests, ${c.findings} findings`,
          }))}
        />
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="sm">
        <Paper withBorder p="sm">
          <Text size="sm" fw={600} mb={4}>
            Top paths
          </Text>
          <Table fz="xs" verticalSpacing={2} aria-label="Top paths">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Path</Table.Th>
                <Table.Th ta="right">Requests</Table.Th>
                <Table.Th>Categories</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {r.topPaths.slice(0, 8).map((p) => (
                <Table.Tr key={p.path}>
                  <Table.Td className="qq-mono" style={{ wordBreak: 'break-all' }}>
                    {p.path}
                  </Table.Td>
                  <Table.Td ta="right">{p.requests}</Table.Td>
                  <Table.Td>{p.categories.map(categoryLabel).join(', ') || '—'}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Paper>
        <Paper withBorder p="sm">
          <Text size="sm" fw={600} mb={4}>
            Status mix
          </Text>
          <Group gap={6}>
            {statuses.map(([code, n]) => (
              <Badge
                key={code}
                variant="light"
                radius="sm"
                tt="none"
                color={
                  code.startsWith('2')
                    ? 'teal'
                    : code.startsWith('3')
                      ? 'gray'
                      : code.startsWith('4')
                        ? 'yellow'
                        : 'red'
                }
                title={`${Math.round((n / Math.max(1, statusTotal)) * 100)}% of requests`}
              >
                {code}: {n}
              </Badge>
            ))}
          </Group>
          <Text size="sm" fw={600} mt="sm" mb={4}>
            Client timelines
          </Text>
          <Stack gap={4}>
            {r.clientTimelines.slice(0, 5).map((t) => (
              <div key={t.client}>
                <Text size="xs" fw={600} className="qq-mono">
                  {t.client}
                </Text>
                {t.events.slice(0, 4).map((e) => (
                  <Text
                    key={`${e.line}`}
                    size="xs"
                    className="qq-mono"
                    c="dimmed"
                    style={{ whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis' }}
                    title={`${e.method} ${e.path}`}
                  >
                    {e.time ? localTime(e.time).slice(11) : '—'} {e.method} {e.path} → {e.status ?? '—'} [
                    {e.rules.join(', ')}]
                  </Text>
                ))}
                {t.events.length > 4 && (
                  <Text size="xs" c="dimmed">
                    +{t.events.length - 4} more
                  </Text>
                )}
              </div>
            ))}
          </Stack>
        </Paper>
      </SimpleGrid>
      <Paper withBorder p="sm">
        <Text size="sm" fw={600} mb={4}>
          Sample evidence
        </Text>
        <Stack gap={6}>
          {r.samples.slice(0, 10).map((s) => (
            <div key={s.rule}>
              <Group gap={6}>
                <SeverityBadge level={s.severity} />
                <Text size="xs" fw={600}>
                  {s.name}
                </Text>
                <Text size="xs" c="dimmed" className="qq-mono">
                  {s.rule} · {categoryLabel(s.category)}
                </Text>
              </Group>
              {s.evidence.slice(0, 2).map((e, i) => (
                <Code key={i} block fz="xs" mt={2} style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>
                  {e}
                </Code>
              ))}
            </div>
          ))}
        </Stack>
      </Paper>
    </Stack>
  )
}
