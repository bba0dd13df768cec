import { Button, Group, Paper, Text } from '@mantine/core'
import { History, RefreshCw } from 'lucide-react'
import { ErrorAlert } from '../../components/ErrorAlert'
import { MissingPermission } from '../../components/MissingPermission'
import { TableSkeleton } from '../../components/TableSkeleton'
import { ViewHeader } from '../../components/ViewHeader'
import { useAppStore } from '../../store'
import { AuditDetailDrawer } from './AuditDetailDrawer'
import { AuditTable } from './AuditTable'
import { useAuditPages } from './use-audit-pages'

export function AuditView() {
  const allowed = useAppStore((s) => s.session?.permissions.includes('system:monitor') ?? false)
  return (
    <>
      <ViewHeader
        title="Audit"
        description="Every call to the console, allowed or refused, in a hash chain. Newest first; times in your local time (UTC on hover)."
      />
      {allowed ? <AuditLog /> : <MissingPermission permission="system:monitor" what="The audit trail" />}
    </>
  )
}

function AuditLog() {
  const { state, entries, total, hasOlder, loadOlder, loadingOlder, olderError, reload } = useAuditPages()
  const detailSeq = useAppStore((s) => s.auditDetailSeq)
  const showAuditDetail = useAppStore((s) => s.showAuditDetail)
  const detail = entries.find((e) => e.seq === detailSeq) ?? null

  if (state.status === 'loading') return <TableSkeleton label="Loading the audit trail" rows={12} />
  if (state.status === 'error')
    return <ErrorAlert error={state.error} title="The audit trail could not be read" onRetry={reload} />
  if (entries.length === 0) {
    return (
      <Paper withBorder p="lg">
        <Text size="sm">The audit trail is empty. Every sign-in and every call will appear here.</Text>
      </Paper>
    )
  }
  return (
    <>
      <Group justify="space-between" mb="xs">
        <Text size="sm" c="dimmed" aria-live="polite">
          Showing {entries.length} of {total} entries
        </Text>
        <Button
          size="xs"
          variant="default"
          leftSection={<RefreshCw size={14} aria-hidden />}
          onClick={reload}
        >
          Refresh
        </Button>
      </Group>
      <Paper withBorder>
        <AuditTable entries={entries} onOpen={showAuditDetail} caption="Audit entries, newest first" />
      </Paper>
      <Group justify="center" mt="sm">
        {hasOlder ? (
          <Button
            size="xs"
            variant="default"
            leftSection={<History size={14} aria-hidden />}
            loading={loadingOlder}
            onClick={() => void loadOlder()}
          >
            Load older
          </Button>
        ) : (
          <Text size="xs" c="dimmed">
            This is the start of the audit trail.
          </Text>
        )}
      </Group>
      {olderError && <ErrorAlert error={olderError} title="Older entries could not be read" />}
      <AuditDetailDrawer entry={detail} onClose={() => showAuditDetail(null)} />
    </>
  )
}
