import {
  Alert,
  Button,
  Code,
  Group,
  Modal,
  NativeSelect,
  Progress,
  Stack,
  Text,
  Textarea,
} from '@mantine/core'
import { useEffect, useState } from 'react'
import type { JobView } from '../../../../shared/contract'
import type { CallError } from '../../../../shared/result'
import { ErrorAlert } from '../../components/ErrorAlert'
import { transport } from '../../lib/api'
import { callApi } from '../../store/call'
import { useJob } from './use-job'

type Format = 'auto' | 'combined' | 'common' | 'json'
const FORMATS: { value: Format; label: string }[] = [
  { value: 'auto', label: 'Detect (auto)' },
  { value: 'combined', label: 'Combined (Apache / nginx)' },
  { value: 'common', label: 'Common Log Format' },
  { value: 'json', label: 'JSON lines' },
]

interface Props {
  opened: boolean
  onClose: () => void
  /** The analysis finished: open its report. */
  onReport: (analysisId: string) => void
}

/** Paths and format → a job with progress, rate, current file and cancel → a summary and the report. */
export function AnalyzeLogDialog({ opened, onClose, onReport }: Props) {
  const [started, setStarted] = useState<JobView | null>(null)
  const close = () => {
    setStarted(null)
    onClose()
  }
  return (
    <Modal opened={opened} onClose={close} title="Analyze a log" size="lg">
      {opened &&
        (started ? (
          <JobPanel job={started} onReport={onReport} onClose={close} onAgain={() => setStarted(null)} />
        ) : (
          <StartForm onStarted={setStarted} onCancel={close} />
        ))}
    </Modal>
  )
}

function StartForm({ onStarted, onCancel }: { onStarted: (job: JobView) => void; onCancel: () => void }) {
  const [paths, setPaths] = useState('')
  const [format, setFormat] = useState<Format>('auto')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<CallError | null>(null)

  const submit = async () => {
    const list = paths
      .split('\n')
      .map((p) => p.trim())
      .filter(Boolean)
    if (list.length === 0) {
      setError({ code: 'INVALID_INPUT', message: 'Give at least one log file (its full path).' })
      return
    }
    setBusy(true)
    setError(null)
    const r = await callApi('threats.analyzeLog', { paths: list, logFormat: format })
    setBusy(false)
    if (r.ok) onStarted(r.value)
    else setError(r.error)
  }

  return (
    <form
      onSubmit={(e) => {
        e.preventDefault()
        void submit()
      }}
    >
      <Stack gap="sm">
        <Textarea
          label="Log files (one absolute path a line)"
          description={
            transport === 'browser'
              ? 'Browser mode: these are paths on the machine running `qqsec serve`, not on the machine of this browser.'
              : 'Paths on this machine. Gzip-compressed files are read as they are.'
          }
          placeholder="/var/log/nginx/access.log"
          autosize
          minRows={2}
          maxRows={6}
          value={paths}
          onChange={(e) => setPaths(e.currentTarget.value)}
          styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
          data-autofocus
        />
        <NativeSelect
          label="Log format"
          data={FORMATS}
          value={format}
          onChange={(e) => setFormat(e.currentTarget.value as Format)}
          w={260}
        />
        {error && <ErrorAlert error={error} title="The analysis did not start" />}
        <Group justify="flex-end" gap="xs">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" loading={busy}>
            Analyze
          </Button>
        </Group>
      </Stack>
    </form>
  )
}

const num = (v: unknown): number => (typeof v === 'number' ? v : 0)

function JobPanel({
  job: initial,
  onReport,
  onClose,
  onAgain,
}: {
  job: JobView
  onReport: (analysisId: string) => void
  onClose: () => void
  onAgain: () => void
}) {
  const { job, error, cancel } = useJob(initial)
  const result = job?.result ?? null
  const analysisId = typeof result?.analysisId === 'string' ? result.analysisId : null
  // The report opens behind the dialog as soon as it exists; the summary stays in front until closed.
  useEffect(() => {
    if (analysisId) onReport(analysisId)
  }, [analysisId, onReport])
  if (!job) return null
  const p = job.progress
  const pct = p.total ? Math.min(100, (p.done / p.total) * 100) : 100
  return (
    <Stack gap="sm" data-testid="analysis-job" data-state={job.state}>
      <Progress
        value={pct}
        striped={job.state === 'running'}
        animated={job.state === 'running' && p.total === null}
        color={
          job.state === 'failed'
            ? 'red'
            : job.state === 'done'
              ? 'teal'
              : job.state === 'cancelled'
                ? 'gray'
                : undefined
        }
        aria-label={
          p.total === null ? 'Analysis progress (total unknown)' : `Analysis progress ${Math.round(pct)}%`
        }
      />
      <Group justify="space-between" gap="xs">
        <Text size="sm" aria-live="polite" style={{ fontVariantNumeric: 'tabular-nums' }}>
          {p.done.toLocaleString()}
          {p.total !== null && ` of ${p.total.toLocaleString()}`} {p.unit} ·{' '}
          {Math.round(p.rate).toLocaleString()} {p.unit}/s
        </Text>
        <Text size="xs" c="dimmed">
          {job.state === 'running'
            ? 'Running'
            : job.state === 'done'
              ? 'Done'
              : job.state === 'cancelled'
                ? 'Cancelled'
                : 'Failed'}
        </Text>
      </Group>
      {p.current && (
        <Text size="xs" c="dimmed" className="qq-mono" style={{ wordBreak: 'break-all' }}>
          {p.current}
        </Text>
      )}
      {error && <ErrorAlert error={error} title="The progress could not be read" />}
      {job.error && (
        <Alert color="red" variant="light" title="The analysis failed" role="alert">
          <Text size="sm">{job.error.message}</Text>
          <Code>{job.error.code}</Code>
        </Alert>
      )}
      {job.state === 'cancelled' && <Text size="sm">Cancelled: nothing was recorded.</Text>}
      {job.state === 'done' && result && (
        <Alert color="teal" variant="light" title="Analysis finished" data-testid="analysis-summary">
          <Text size="sm">
            {num(result.linesRead).toLocaleString()} lines read, {num(result.linesParsed).toLocaleString()}{' '}
            parsed
            {num(result.unparsable) > 0 && `, ${num(result.unparsable)} unparsable`}.{' '}
            <b>{num(result.attackRequests).toLocaleString()} attack requests</b>, {num(result.findings)}{' '}
            findings, {num(result.threatsRaised)} threat(s) raised or updated.
          </Text>
        </Alert>
      )}
      <Group justify="flex-end" gap="xs">
        {job.state === 'running' ? (
          <Button variant="default" color="red" onClick={() => void cancel()}>
            Cancel analysis
          </Button>
        ) : (
          <>
            <Button variant="default" onClick={onAgain}>
              Analyze another
            </Button>
            <Button variant="default" onClick={onClose}>
              Close
            </Button>
            {analysisId && <Button onClick={onClose}>Show the report</Button>}
          </>
        )}
      </Group>
    </Stack>
  )
}
