import { Alert, Button, Group, Paper, Stack, Text, TextInput } from '@mantine/core'
import { CircleCheck, CircleX, FolderSearch } from 'lucide-react'
import { useState, type FormEvent } from 'react'
import type { JobView } from '../../../../shared/contract'
import { absolutePath } from '../../../../shared/scanner-schemas'
import type { CallError } from '../../../../shared/result'
import { ErrorAlert } from '../../components/ErrorAlert'
import { transport } from '../../lib/api'
import { fieldError } from '../../lib/field-error'
import { plural } from '../../lib/words'
import { useNow } from '../../lib/use-now'
import { JobProgress } from './JobProgress'
import { useJob } from './use-job'

export interface ScanRun {
  job: JobView
  root: string
}

interface Props {
  run: ScanRun | null
  onStart: (root: string) => Promise<CallError | null>
  onFinished: (scanId: string) => void
}

const num = (v: unknown): number => (typeof v === 'number' ? v : 0)

/** "Scan a folder": the path, the running job with progress and Cancel, and how the last run ended. */
export function ScanStarter({ run, onStart, onFinished }: Props) {
  const [root, setRoot] = useState(run?.root ?? '')
  const [error, setError] = useState<string | null>(null)
  const [failure, setFailure] = useState<CallError | null>(null)
  const [busy, setBusy] = useState(false)
  const tracker = useJob(run?.job ?? null, (job) => {
    const scanId = job.result?.scanId
    if (job.state === 'done' && typeof scanId === 'string') onFinished(scanId)
  })
  const now = useNow(1000)
  const job = tracker.job

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    const problem = fieldError(absolutePath, root.trim())
    setError(problem)
    if (problem) return
    setBusy(true)
    setFailure(await onStart(root.trim()))
    setBusy(false)
  }

  const running = job?.state === 'running'
  return (
    <Paper withBorder p="sm" mb="md">
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Group align="flex-start" gap="xs" wrap="nowrap">
          <TextInput
            style={{ flex: 1 }}
            size="sm"
            label="Scan a folder"
            description={
              transport === 'browser'
                ? 'The full path of a project folder on the machine running the console server (browser mode: not a folder on your own computer).'
                : 'The full path of a project folder on this machine: dependencies, secrets and Electron settings.'
            }
            placeholder="/home/you/projects/app"
            classNames={{ input: 'qq-mono' }}
            value={root}
            onChange={(e) => setRoot(e.currentTarget.value)}
            error={error}
            disabled={running}
          />
          <Button
            type="submit"
            mt={42}
            leftSection={<FolderSearch size={16} aria-hidden />}
            loading={busy}
            disabled={running}
          >
            Scan
          </Button>
        </Group>
      </form>
      {failure && (
        <Stack mt="xs">
          <ErrorAlert error={failure} title="The scan did not start" />
        </Stack>
      )}
      {tracker.error && (
        <Stack mt="xs">
          <ErrorAlert error={tracker.error} title="The scan's progress could not be read" />
        </Stack>
      )}
      {job && run && (
        <Stack mt="sm" gap="xs">
          {running && (
            <JobProgress
              job={job}
              label={`Scanning ${run.root}`}
              cancelling={tracker.cancelling}
              onCancel={() => void tracker.cancel()}
              now={now}
            />
          )}
          {job.state === 'done' && job.result && (
            <Alert
              color="teal"
              variant="light"
              icon={<CircleCheck size={18} aria-hidden />}
              data-testid="scan-done"
              p="xs"
            >
              <Text size="sm">
                <b>Scan finished.</b> {plural(num(job.result.files), 'file')} and{' '}
                {plural(num(job.result.packages), 'package')} in {run.root}: risk score{' '}
                {num(job.result.riskScore)}, {num(job.result.new)} new, {num(job.result.stillOpen)} still
                open, {num(job.result.fixed)} fixed, {num(job.result.accepted)} accepted. The results are
                below.
              </Text>
            </Alert>
          )}
          {(job.state === 'failed' || job.state === 'cancelled') && (
            <Alert
              color={job.state === 'failed' ? 'red' : 'gray'}
              variant="light"
              icon={<CircleX size={18} aria-hidden />}
              title={job.state === 'failed' ? 'The scan failed' : 'The scan was cancelled'}
              data-testid="scan-stopped"
            >
              <Text size="sm">
                {job.error?.message ??
                  `Stopped after ${job.progress.done} of ${job.progress.total ?? '?'} files; nothing was recorded.`}
              </Text>
              {job.error && (
                <Text size="xs" className="qq-mono" opacity={0.8}>
                  {job.error.code}
                </Text>
              )}
            </Alert>
          )}
        </Stack>
      )}
    </Paper>
  )
}
