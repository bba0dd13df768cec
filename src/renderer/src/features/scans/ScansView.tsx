import { Paper, Tabs, Text } from '@mantine/core'
import { ClipboardList, Database, History, ListChecks, ShieldCheck } from 'lucide-react'
import { useState } from 'react'
import { ErrorAlert } from '../../components/ErrorAlert'
import { MissingPermission } from '../../components/MissingPermission'
import { TableSkeleton } from '../../components/TableSkeleton'
import { ViewHeader } from '../../components/ViewHeader'
import { navigate, pathWithQuery, useHashLocation } from '../../lib/hash-router'
import { useCan } from '../../lib/permissions'
import { useCall } from '../../lib/use-call'
import { callApi } from '../../store/call'
import { AcceptRiskDialog } from './AcceptRiskDialog'
import { AdvisoriesTab } from './AdvisoriesTab'
import { ExportMenu } from './ExportMenu'
import { FindingDrawer } from './FindingDrawer'
import type { FindingFilters } from './FindingsTable'
import { HistoryTab } from './HistoryTab'
import { RemediationTab } from './RemediationTab'
import { ResultsTab } from './ResultsTab'
import { ScanStarter, type ScanRun } from './ScanStarter'
import { isOneOf, KINDS, SCAN_SEVERITIES, STATUSES, type Finding } from './scan-types'
import { WaiversTab } from './WaiversTab'

const TABS = ['results', 'plan', 'history', 'waivers', 'advisories'] as const
type Tab = (typeof TABS)[number]

/** Scans: a folder scanned as a job, its findings, the plan, the history, waivers and the advisory database. */
export function ScansView() {
  const allowed = useCan('system:monitor')
  return allowed ? (
    <ScansBody />
  ) : (
    <>
      <ViewHeader title="Scans" />
      <MissingPermission permission="system:monitor" what="Scanning projects" />
    </>
  )
}

function ScansBody() {
  const { query } = useHashLocation()
  const rawTab = query.get('tab')
  const tab: Tab = isOneOf(TABS, rawTab) ? rawTab : 'results'
  const scanParam = query.get('scan')
  const filters: FindingFilters = {
    kind: isOneOf(KINDS, query.get('kind')) ? (query.get('kind') as FindingFilters['kind']) : null,
    severity: isOneOf(SCAN_SEVERITIES, query.get('severity'))
      ? (query.get('severity') as FindingFilters['severity'])
      : null,
    status: isOneOf(STATUSES, query.get('status')) ? (query.get('status') as FindingFilters['status']) : null,
    text: query.get('q') ?? '',
  }
  const findingParam = query.get('finding')
  const canConfigure = useCan('system:configure')
  const [run, setRun] = useState<ScanRun | null>(null)
  const [accepting, setAccepting] = useState<Finding | null>(null)
  const [waiverVersion, setWaiverVersion] = useState(0)

  // Without ?scan= the newest recorded scan is shown.
  const latest = useCall('scans.list', { limit: 1 }, { enabled: scanParam === null })
  const latestId = latest.state.status === 'ready' ? (latest.state.value.scans[0]?.id ?? null) : null
  const scanId = scanParam ?? latestId

  const go = (
    next: Partial<{ tab: Tab; scan: string | null; finding: string | null; filters: FindingFilters }>,
    replace = false,
  ) => {
    const f = next.filters ?? filters
    navigate(
      pathWithQuery('scans', {
        tab: (next.tab ?? tab) === 'results' ? null : (next.tab ?? tab),
        scan: next.scan === undefined ? scanParam : next.scan,
        kind: f.kind,
        severity: f.severity,
        status: f.status,
        q: f.text || null,
        finding: next.finding === undefined ? findingParam : next.finding,
      }),
      { replace },
    )
  }

  const start = async (root: string) => {
    const r = await callApi('scans.start', { root })
    if (!r.ok) return r.error
    setRun({ job: r.value, root })
    const id = r.value.result?.scanId
    if (r.value.state === 'done' && typeof id === 'string') finished(id)
    return null
  }
  const finished = (id: string) => {
    go({ scan: id, tab: 'results', finding: null })
    latest.reload()
  }

  return (
    <>
      <ViewHeader
        title="Scans"
        description="Dependencies against the offline advisory database, committed secrets and risky Electron settings. Times in your local time (UTC on hover)."
        actions={<ExportMenu scanId={scanId} />}
      />
      <ScanStarter run={run} onStart={start} onFinished={finished} />
      <Tabs
        value={tab}
        onChange={(v) => isOneOf(TABS, v) && go({ tab: v, finding: null })}
        keepMounted={false}
      >
        <Tabs.List mb="sm">
          <Tabs.Tab value="results" leftSection={<ListChecks size={14} aria-hidden />}>
            Results
          </Tabs.Tab>
          <Tabs.Tab value="plan" leftSection={<ClipboardList size={14} aria-hidden />}>
            Remediation plan
          </Tabs.Tab>
          <Tabs.Tab value="history" leftSection={<History size={14} aria-hidden />}>
            History
          </Tabs.Tab>
          <Tabs.Tab value="waivers" leftSection={<ShieldCheck size={14} aria-hidden />}>
            Waivers
          </Tabs.Tab>
          <Tabs.Tab value="advisories" leftSection={<Database size={14} aria-hidden />}>
            Advisory database
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="results">
          {scanId ? (
            <ResultsTab
              scanId={scanId}
              filters={filters}
              onFilters={(f) => go({ filters: f, finding: null }, true)}
              onOpen={(fp) => go({ finding: fp })}
              waiverVersion={waiverVersion}
            >
              {(scan) => (
                <FindingDrawer
                  finding={scan.findings.find((f) => f.fingerprint === findingParam) ?? null}
                  onAccept={
                    canConfigure
                      ? (f) => {
                          // One overlay at a time: the drawer's focus trap would fight the dialog's.
                          go({ finding: null })
                          setAccepting(f)
                        }
                      : null
                  }
                  onClose={() => go({ finding: null })}
                />
              )}
            </ResultsTab>
          ) : (
            <NoScanYet state={latest.state} reload={latest.reload} />
          )}
        </Tabs.Panel>
        <Tabs.Panel value="plan">
          {scanId ? (
            <RemediationTab scanId={scanId} />
          ) : (
            <NoScanYet state={latest.state} reload={latest.reload} />
          )}
        </Tabs.Panel>
        <Tabs.Panel value="history">
          <HistoryTab selected={scanId} onOpen={(id) => go({ scan: id, tab: 'results', finding: null })} />
        </Tabs.Panel>
        <Tabs.Panel value="waivers">
          <WaiversTab version={waiverVersion} />
        </Tabs.Panel>
        <Tabs.Panel value="advisories">
          <AdvisoriesTab />
        </Tabs.Panel>
      </Tabs>
      <AcceptRiskDialog
        finding={accepting}
        onClose={() => setAccepting(null)}
        onCreated={() => {
          setAccepting(null)
          setWaiverVersion((n) => n + 1)
          go({ finding: null })
        }}
      />
    </>
  )
}

function NoScanYet({
  state,
  reload,
}: {
  state: ReturnType<typeof useCall<'scans.list'>>['state']
  reload: () => void
}) {
  if (state.status === 'loading') return <TableSkeleton rows={6} label="Loading the newest scan" />
  if (state.status === 'error')
    return <ErrorAlert error={state.error} title="The recorded scans could not be read" onRetry={reload} />
  return (
    <Paper withBorder p="lg" data-testid="scans-empty">
      <Text size="sm" fw={600}>
        No scan yet
      </Text>
      <Text size="sm" c="dimmed">
        Give the full path of a project folder above and press Scan. Import an advisory database first (tab
        “Advisory database”) so dependencies can be checked; secrets and Electron settings are checked either
        way.
      </Text>
    </Paper>
  )
}
