import { Alert, Anchor, Button, Group, Loader, Paper, Text } from '@mantine/core'
import { Archive, RefreshCw } from 'lucide-react'
import { useEffect, useMemo, useState, type KeyboardEvent } from 'react'
import type { AuditEntryView } from '../../../../shared/contract'
import { ErrorAlert } from '../../components/ErrorAlert'
import { LocalTime } from '../../components/LocalTime'
import { MissingPermission } from '../../components/MissingPermission'
import { OutcomeBadge } from '../../components/OutcomeBadge'
import { SeverityBadge } from '../../components/SeverityBadge'
import { TableSkeleton } from '../../components/TableSkeleton'
import { ViewHeader } from '../../components/ViewHeader'
import { VirtualRows } from '../../components/VirtualRows'
import { hrefFor, useHashLocation } from '../../lib/hash-router'
import { useAppStore } from '../../store'
import { useCan } from '../../lib/permissions'
import { ArchiveDialog } from './ArchiveDialog'
import { AuditDetailDrawer } from './AuditDetailDrawer'
import { AuditFilterBar } from './AuditFilterBar'
import { auditPath, filtersFromQuery, hasFilters, searchInput } from './audit-filters'
import { ChainBanner } from './ChainBanner'
import { ExportMenu } from './ExportMenu'
import { useAuditSearch } from './use-audit-search'

const ROW_HEIGHT = 30
const COLUMNS = '72px 150px 112px 110px minmax(120px, 1fr) minmax(160px, 1.4fr) 84px 92px'

export function AuditView() {
  const allowed = useAppStore((s) => s.session?.permissions.includes('system:monitor') ?? false)
  const { query } = useHashLocation()
  const filters = useMemo(() => filtersFromQuery(query), [query])
  const canArchive = useCan('system:configure')
  const [archiving, setArchiving] = useState(false)
  // Remounts the log (table and chain banner) after an archive, so both show the live log from the cut.
  const [generation, setGeneration] = useState(0)
  return (
    <>
      <ViewHeader
        title="Audit"
        description="Every call to the console, allowed or refused, in a hash chain. Newest first; local time (UTC on hover). Search covers the live log: archived entries are in their archive files."
        actions={
          allowed ? (
            <Group gap="xs" wrap="nowrap">
              {canArchive && (
                <Button
                  size="xs"
                  variant="default"
                  leftSection={<Archive size={14} aria-hidden />}
                  onClick={() => setArchiving(true)}
                  data-testid="audit-archive"
                >
                  Archive…
                </Button>
              )}
              <ExportMenu from={filters.from} to={filters.to} />
            </Group>
          ) : undefined
        }
      />
      {allowed ? (
        <AuditLog key={generation} />
      ) : (
        <MissingPermission permission="system:monitor" what="The audit trail" />
      )}
      <ArchiveDialog
        opened={archiving}
        onClose={() => setArchiving(false)}
        onArchived={() => setGeneration((g) => g + 1)}
      />
    </>
  )
}

function AuditLog() {
  const { query } = useHashLocation()
  const queryText = query.toString()
  const filters = useMemo(() => filtersFromQuery(new URLSearchParams(queryText)), [queryText])
  const input = useMemo(() => searchInput(filters), [filters])
  const search = useAuditSearch(input, filters.seq !== null ? filters.seq + 1 : null)
  const detailSeq = useAppStore((s) => s.auditDetailSeq)
  const showAuditDetail = useAppStore((s) => s.showAuditDetail)
  const detail = detailSeq === null ? null : (search.entries.find((e) => e.seq === detailSeq) ?? null)
  const previous = detailSeq === null ? null : (search.entries.find((e) => e.seq === detailSeq - 1) ?? null)

  // A link to one entry (from a compliance report) opens it once it is loaded.
  const linked = filters.seq
  useEffect(() => {
    if (linked !== null) showAuditDetail(linked)
  }, [linked, showAuditDetail])

  const onKey = (event: KeyboardEvent<HTMLDivElement>, seq: number) => {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault()
      showAuditDetail(seq)
    } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault()
      const wrapper = event.currentTarget.parentElement
      const sibling =
        event.key === 'ArrowDown' ? wrapper?.nextElementSibling : wrapper?.previousElementSibling
      const target = sibling?.querySelector<HTMLElement>('[role="row"]')
      target?.focus()
    }
  }

  let body
  if (search.entries.length === 0 && search.loading)
    body = <TableSkeleton label="Loading audit entries" rows={14} />
  else if (search.entries.length === 0 && search.error)
    body = (
      <ErrorAlert error={search.error} title="The audit trail could not be read" onRetry={search.retry} />
    )
  else if (search.entries.length === 0)
    body = (
      <Paper withBorder p="lg" data-testid="audit-empty">
        <Text size="sm">
          {hasFilters(filters)
            ? 'No entry matches these filters. Widen the period or clear a filter.'
            : 'The audit trail is empty. Every sign-in and every call will appear here.'}
        </Text>
      </Paper>
    )
  else
    body = (
      <Paper
        withBorder
        role="table"
        aria-label="Audit entries, newest first"
        aria-rowcount={search.entries.length + 1}
      >
        <div
          role="row"
          className="qq-vrow qq-vhead"
          style={{ gridTemplateColumns: COLUMNS, height: ROW_HEIGHT }}
        >
          {['Seq', 'Time', 'Type', 'Actor', 'Client', 'Action', 'Result', 'Risk'].map((h) => (
            <span role="columnheader" key={h}>
              {h}
            </span>
          ))}
        </div>
        <VirtualRows
          rows={search.entries}
          rowHeight={ROW_HEIGHT}
          height="calc(100vh - 340px)"
          label="Audit entries"
          rowKey={(e) => e.seq}
          onNearEnd={search.loadMore}
          scrollToIndex={null}
          renderRow={(e, i) => <EntryRow entry={e} index={i} onOpen={showAuditDetail} onKey={onKey} />}
        />
      </Paper>
    )

  return (
    <>
      <ChainBanner />
      <AuditFilterBar filters={filters} />
      {filters.seq !== null && (
        <Alert color="blue" variant="light" py={4} mb="xs">
          <Text size="sm">
            Starting at entry #{filters.seq} (linked from a report).{' '}
            <Anchor href={hrefFor(auditPath({ ...filters, seq: null }))} size="sm">
              Show from the newest
            </Anchor>
          </Text>
        </Alert>
      )}
      <Group justify="space-between" mb={6}>
        <Text size="xs" c="dimmed" aria-live="polite" data-testid="audit-count">
          {search.entries.length.toLocaleString()} entries loaded
          {search.hasMore ? ' · scroll for older' : ' · start of the matching log reached'}
        </Text>
        <Group gap="xs">
          {search.loading && search.entries.length > 0 && (
            <Loader size="xs" aria-label="Loading older entries" />
          )}
          <Button
            size="compact-xs"
            variant="default"
            leftSection={<RefreshCw size={12} aria-hidden />}
            onClick={search.reload}
          >
            Refresh
          </Button>
        </Group>
      </Group>
      {body}
      {search.error && search.entries.length > 0 && (
        <ErrorAlert error={search.error} title="Older entries could not be read" onRetry={search.retry} />
      )}
      <AuditDetailDrawer entry={detail} previous={previous} onClose={() => showAuditDetail(null)} />
    </>
  )
}

function EntryRow({
  entry: e,
  index,
  onOpen,
  onKey,
}: {
  entry: AuditEntryView
  index: number
  onOpen: (seq: number) => void
  onKey: (event: KeyboardEvent<HTMLDivElement>, seq: number) => void
}) {
  return (
    <div
      role="row"
      tabIndex={0}
      aria-rowindex={index + 2}
      aria-label={`Audit entry ${e.seq}: ${e.action}, ${e.result}, risk ${e.risk}`}
      className="qq-vrow"
      data-seq={e.seq}
      data-focus-ring
      data-clickable-row
      data-odd={index % 2 === 1 || undefined}
      style={{ gridTemplateColumns: COLUMNS, height: ROW_HEIGHT }}
      onClick={() => onOpen(e.seq)}
      onKeyDown={(event) => onKey(event, e.seq)}
    >
      <span role="cell" className="qq-mono">
        {e.seq}
      </span>
      <span role="cell" className="qq-mono">
        <LocalTime iso={e.time} />
      </span>
      <span role="cell">{e.type}</span>
      <span role="cell">
        {e.actor ?? (
          <Text span c="dimmed" size="xs">
            none
          </Text>
        )}
      </span>
      <span role="cell" className="qq-mono" title={e.client}>
        {e.client}
      </span>
      <span role="cell" className="qq-mono" title={e.action}>
        {e.action}
      </span>
      <span role="cell">
        <OutcomeBadge result={e.result} />
      </span>
      <span role="cell">
        <SeverityBadge level={e.risk} />
      </span>
    </div>
  )
}
