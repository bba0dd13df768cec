import { Paper, Stack, Text } from '@mantine/core'
import { useEffect, useRef, type ReactNode } from 'react'
import { ErrorAlert } from '../../components/ErrorAlert'
import { TableSkeleton } from '../../components/TableSkeleton'
import { useCall } from '../../lib/use-call'
import { FindingFiltersBar, FindingsTable, type FindingFilters } from './FindingsTable'
import { ScanSummary } from './ScanSummary'
import type { ScanDetail } from './scan-types'

interface Props {
  scanId: string
  filters: FindingFilters
  onFilters: (next: FindingFilters) => void
  onOpen: (fingerprint: string) => void
  /** Bumped when a waiver is created or revoked: acceptance is read live, so the scan is read again. */
  waiverVersion: number
  /** The detail of the scan shown, for the drawer and the export menu. */
  children: (scan: ScanDetail) => ReactNode
}

/** The summary of one recorded scan and its findings, filtered as the address says. */
export function ResultsTab({ scanId, filters, onFilters, onOpen, waiverVersion, children }: Props) {
  const { state, reload, refreshing } = useCall('scans.get', {
    scanId,
    ...(filters.kind ? { kind: filters.kind } : {}),
    ...(filters.severity ? { severity: filters.severity } : {}),
    ...(filters.status ? { status: filters.status } : {}),
    ...(filters.text.trim() ? { text: filters.text.trim() } : {}),
  })
  const seenVersion = useRef(waiverVersion)
  useEffect(() => {
    if (seenVersion.current === waiverVersion) return
    seenVersion.current = waiverVersion
    reload()
  }, [waiverVersion, reload])
  if (state.status === 'loading')
    return (
      <Stack gap="xs">
        <TableSkeleton rows={3} label="Loading the scan summary" />
        <TableSkeleton rows={8} label="Loading the findings" />
      </Stack>
    )
  if (state.status === 'error')
    return <ErrorAlert error={state.error} title="This scan could not be read" onRetry={reload} />
  const scan = state.value
  const total = scan.summary.bySeverity
  const anyFindings = total.critical + total.high + total.medium + total.low + scan.summary.accepted > 0
  return (
    <Stack gap="sm">
      <ScanSummary scan={scan} />
      <div>
        <FindingFiltersBar filters={filters} onChange={onFilters} />
        <Text size="xs" c="dimmed" mb={4} aria-live="polite">
          {refreshing ? 'Updating…' : `${scan.matched} matching finding${scan.matched === 1 ? '' : 's'}`}
        </Text>
        {scan.findings.length > 0 ? (
          <FindingsTable findings={scan.findings} matched={scan.matched} onOpen={onOpen} />
        ) : (
          <Paper withBorder p="lg">
            <Text size="sm">
              {anyFindings
                ? 'No finding matches these filters. Clear a filter to see more.'
                : 'Nothing found: no vulnerable dependency, no secret and no risky Electron setting in this folder.'}
            </Text>
          </Paper>
        )}
      </div>
      {children(scan)}
    </Stack>
  )
}
