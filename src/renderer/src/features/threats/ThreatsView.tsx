import { Button, Group, Paper, SegmentedControl, Table, Text, UnstyledButton } from '@mantine/core'
import { FileSearch, RefreshCw } from 'lucide-react'
import { useCallback, useMemo, useState } from 'react'
import { ErrorAlert } from '../../components/ErrorAlert'
import { LocalTime } from '../../components/LocalTime'
import { MissingPermission } from '../../components/MissingPermission'
import { SeverityBadge } from '../../components/SeverityBadge'
import { TableSkeleton } from '../../components/TableSkeleton'
import { ViewHeader } from '../../components/ViewHeader'
import { navigate, pathWithQuery, useHashLocation } from '../../lib/hash-router'
import { useCall } from '../../lib/use-call'
import { useAppStore } from '../../store'
import { AnalyzeLogDialog } from './AnalyzeLogDialog'
import { categoryLabel } from './log-report'
import { LogReportPanel } from './LogReportView'
import { StatusBadge } from './StatusBadge'
import { ThreatDrawer } from './ThreatDrawer'

type StatusFilter = 'all' | 'active' | 'acknowledged' | 'resolved'
const STATUSES: { value: StatusFilter; label: string }[] = [
  { value: 'active', label: 'Active' },
  { value: 'acknowledged', label: 'Acknowledged' },
  { value: 'resolved', label: 'Resolved' },
  { value: 'all', label: 'All' },
]

interface ThreatsQuery {
  status: StatusFilter
  threat: string | null
  analysis: string | null
}

function readQuery(q: URLSearchParams): ThreatsQuery {
  const s = q.get('status')
  return {
    status: STATUSES.some((x) => x.value === s) ? (s as StatusFilter) : 'all',
    threat: q.get('threat'),
    analysis: q.get('analysis'),
  }
}

const go = (q: ThreatsQuery, replace = false) =>
  navigate(
    pathWithQuery('threats', {
      status: q.status === 'all' ? null : q.status,
      threat: q.threat,
      analysis: q.analysis,
    }),
    { replace },
  )

export function ThreatsView() {
  const allowed = useAppStore((s) => s.session?.permissions.includes('system:monitor') ?? false)
  const canAnalyze = useAppStore((s) => s.session?.permissions.includes('system:configure') ?? false)
  const [analyzeOpen, setAnalyzeOpen] = useState(false)
  const { query } = useHashLocation()
  const queryText = query.toString()
  const q = useMemo(() => readQuery(new URLSearchParams(queryText)), [queryText])
  const openReport = useCallback(
    (analysisId: string) =>
      go(
        { ...readQuery(new URLSearchParams(window.location.hash.split('?')[1] ?? '')), analysis: analysisId },
        true,
      ),
    [],
  )
  return (
    <>
      <ViewHeader
        title="Threats"
        description="Detections from threat rules over web-server logs and the console's own calls, newest activity first."
        actions={
          canAnalyze ? (
            <Button
              size="xs"
              leftSection={<FileSearch size={14} aria-hidden />}
              onClick={() => setAnalyzeOpen(true)}
            >
              Analyze a log…
            </Button>
          ) : undefined
        }
      />
      {allowed ? (
        <>
          {q.analysis && (
            <LogReportPanel analysisId={q.analysis} onClose={() => go({ ...q, analysis: null })} />
          )}
          <ThreatList key={q.analysis ?? 'none'} q={q} />
        </>
      ) : (
        <MissingPermission permission="system:monitor" what="The threats list" />
      )}
      <AnalyzeLogDialog opened={analyzeOpen} onClose={() => setAnalyzeOpen(false)} onReport={openReport} />
    </>
  )
}

function ThreatList({ q }: { q: ThreatsQuery }) {
  const { state, reload, refreshing } = useCall('threats.list', {
    limit: 200,
    ...(q.status !== 'all' ? { status: q.status } : {}),
  })
  let body
  if (state.status === 'loading') body = <TableSkeleton label="Loading threats" rows={8} />
  else if (state.status === 'error')
    body = <ErrorAlert error={state.error} title="The threats could not be read" onRetry={reload} />
  else if (state.value.threats.length === 0)
    body = (
      <Paper withBorder p="lg" data-testid="threats-empty">
        <Text size="sm">
          {q.status === 'all'
            ? 'No threats yet. Analyze a web-server log (Analyze a log…) or wait for the rules to flag a console call.'
            : `No ${q.status} threats. Pick another status to see the others.`}
        </Text>
      </Paper>
    )
  else
    body = (
      <Paper withBorder>
        <Table.ScrollContainer minWidth={1000}>
          <Table fz="xs" verticalSpacing={4} striped highlightOnHover stickyHeader aria-label="Threats">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Client</Table.Th>
                <Table.Th>User</Table.Th>
                <Table.Th>Source</Table.Th>
                <Table.Th style={{ minWidth: 100 }}>Severity</Table.Th>
                <Table.Th w={50} ta="right">
                  Risk
                </Table.Th>
                <Table.Th w={70}>Decision</Table.Th>
                <Table.Th>Categories</Table.Th>
                <Table.Th w={60} ta="right">
                  Findings
                </Table.Th>
                <Table.Th>First / last seen</Table.Th>
                <Table.Th style={{ minWidth: 110 }}>Status</Table.Th>
                <Table.Th>Assignee</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {state.value.threats.map((t) => (
                <Table.Tr
                  key={t.id}
                  data-threat={t.client}
                  data-clickable-row
                  onClick={() => go({ ...q, threat: t.id })}
                >
                  <Table.Td className="qq-mono">
                    <UnstyledButton
                      className="qq-mono"
                      data-focus-ring
                      aria-label={`Details of the threat from ${t.client}`}
                      onClick={(e) => {
                        e.stopPropagation()
                        go({ ...q, threat: t.id })
                      }}
                    >
                      {t.client}
                    </UnstyledButton>
                  </Table.Td>
                  <Table.Td>
                    {t.user ?? (
                      <Text span c="dimmed" size="xs">
                        —
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td
                    className="qq-mono"
                    title={t.source}
                    style={{
                      maxWidth: 180,
                      overflow: 'hidden',
                      textOverflow: 'ellipsis',
                      whiteSpace: 'nowrap',
                    }}
                  >
                    {t.source}
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    <SeverityBadge level={t.maxSeverity} />
                  </Table.Td>
                  <Table.Td ta="right">{t.risk}</Table.Td>
                  <Table.Td>{t.decision === 'block' ? 'Block' : 'Alert'}</Table.Td>
                  <Table.Td>{t.categories.map(categoryLabel).join(', ')}</Table.Td>
                  <Table.Td ta="right">{t.findingCount}</Table.Td>
                  <Table.Td className="qq-mono" style={{ whiteSpace: 'nowrap' }}>
                    <LocalTime iso={t.firstSeen} />
                    <br />
                    <LocalTime iso={t.lastSeen} />
                  </Table.Td>
                  <Table.Td>
                    <StatusBadge status={t.status} />
                  </Table.Td>
                  <Table.Td>
                    {t.assignee ?? (
                      <Text span c="dimmed" size="xs">
                        nobody
                      </Text>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Paper>
    )
  return (
    <>
      <Group justify="space-between" mb="xs">
        <SegmentedControl
          size="xs"
          aria-label="Status"
          data={STATUSES}
          value={q.status}
          onChange={(v) => go({ ...q, status: v as StatusFilter })}
        />
        <Group gap="xs">
          {state.status === 'ready' && (
            <Text size="xs" c="dimmed">
              {state.value.threats.length} of {state.value.total}
            </Text>
          )}
          <Button
            size="compact-xs"
            variant="default"
            loading={refreshing}
            leftSection={<RefreshCw size={12} aria-hidden />}
            onClick={reload}
          >
            Refresh
          </Button>
        </Group>
      </Group>
      {body}
      <ThreatDrawer threatId={q.threat} onClose={() => go({ ...q, threat: null })} onChanged={reload} />
    </>
  )
}
