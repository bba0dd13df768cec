import { Alert, Button, Group, Paper, SimpleGrid, Stack, Text, TextInput } from '@mantine/core'
import type { ReactNode } from 'react'
import { CircleCheck, DatabaseZap, TriangleAlert } from 'lucide-react'
import { useState, type FormEvent } from 'react'
import type { JobView } from '../../../../shared/contract'
import type { CallError } from '../../../../shared/result'
import { absolutePath } from '../../../../shared/scanner-schemas'
import { ErrorAlert } from '../../components/ErrorAlert'
import { LocalTime } from '../../components/LocalTime'
import { TableSkeleton } from '../../components/TableSkeleton'
import { transport } from '../../lib/api'
import { fieldError } from '../../lib/field-error'
import { useCan } from '../../lib/permissions'
import { useCall } from '../../lib/use-call'
import { useNow } from '../../lib/use-now'
import { callApi } from '../../store/call'
import { JobProgress } from './JobProgress'
import { useJob } from './use-job'

const num = (v: unknown): number => (typeof v === 'number' ? v : 0)

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm" fw={500}>
        {children}
      </Text>
    </div>
  )
}

/** The offline advisory database (OSV): where it came from, how many, how fresh; import a newer copy. */
export function AdvisoriesTab() {
  const status = useCall('advisories.status', {})
  const canImport = useCan('system:configure')
  const [path, setPath] = useState('')
  const [pathError, setPathError] = useState<string | null>(null)
  const [failure, setFailure] = useState<CallError | null>(null)
  const [started, setStarted] = useState<JobView | null>(null)
  const tracker = useJob(started, () => status.reload())
  const now = useNow(1000)
  const job = tracker.job

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    const problem = fieldError(absolutePath, path.trim())
    setPathError(problem)
    if (problem) return
    setFailure(null)
    const r = await callApi('advisories.import', { path: path.trim() })
    if (!r.ok) return setFailure(r.error)
    setStarted(r.value)
    if (r.value.state !== 'running') status.reload()
  }

  return (
    <Stack gap="sm">
      {status.state.status === 'loading' && (
        <TableSkeleton rows={2} label="Loading the advisory database status" />
      )}
      {status.state.status === 'error' && (
        <ErrorAlert
          error={status.state.error}
          title="The advisory database could not be read"
          onRetry={status.reload}
        />
      )}
      {status.state.status === 'ready' && (
        <Paper withBorder p="sm" data-testid="advisory-status">
          <SimpleGrid cols={{ base: 2, md: 5 }} spacing="sm">
            <Fact label="Advisories">{status.state.value.count.toLocaleString()}</Fact>
            <Fact label="Withdrawn (ignored)">{status.state.value.withdrawn.toLocaleString()}</Fact>
            <Fact label="Newest record">
              {status.state.value.newestModified ? (
                <LocalTime iso={status.state.value.newestModified} />
              ) : (
                '—'
              )}
              {status.state.value.ageDays !== null && ` (${status.state.value.ageDays} days old)`}
            </Fact>
            <Fact label="Imported">
              {status.state.value.importedAt ? <LocalTime iso={status.state.value.importedAt} /> : 'never'}
            </Fact>
            <Fact label="Source">
              <span className="qq-mono" style={{ wordBreak: 'break-all' }}>
                {status.state.value.source ?? '—'}
              </span>
            </Fact>
          </SimpleGrid>
          {status.state.value.warning && (
            <Alert
              mt="sm"
              color={status.state.value.count === 0 ? 'orange' : 'yellow'}
              variant="light"
              icon={<TriangleAlert size={18} aria-hidden />}
              title={status.state.value.count === 0 ? 'No advisories yet' : 'The advisories are stale'}
            >
              <Text size="sm">{status.state.value.warning}</Text>
            </Alert>
          )}
        </Paper>
      )}
      {canImport ? (
        <Paper withBorder p="sm">
          <form onSubmit={(e) => void submit(e)} noValidate>
            <Group align="flex-start" gap="xs" wrap="nowrap">
              <TextInput
                style={{ flex: 1 }}
                label="Import advisories"
                description={`A folder of OSV .json files or an OSV all.zip${
                  transport === 'browser' ? ', as a full path on the machine running the console server' : ''
                }. Re-importing updates records in place.`}
                placeholder="/data/osv/npm/all.zip"
                classNames={{ input: 'qq-mono' }}
                value={path}
                onChange={(e) => setPath(e.currentTarget.value)}
                error={pathError}
                disabled={job?.state === 'running'}
              />
              <Button
                type="submit"
                mt={42}
                leftSection={<DatabaseZap size={16} aria-hidden />}
                disabled={job?.state === 'running'}
              >
                Import
              </Button>
            </Group>
          </form>
          {failure && <ErrorAlert error={failure} title="The import did not start" />}
          {tracker.error && (
            <ErrorAlert error={tracker.error} title="The import's progress could not be read" />
          )}
          {job && (
            <Stack mt="sm">
              {job.state === 'running' && (
                <JobProgress
                  job={job}
                  label="Importing advisories"
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
                  title="Advisories imported"
                  data-testid="advisories-imported"
                >
                  <Text size="sm">
                    {num(job.result.files)} files: {num(job.result.added)} added, {num(job.result.updated)}{' '}
                    updated, {num(job.result.unchanged)} unchanged, {num(job.result.skipped)} skipped.
                  </Text>
                </Alert>
              )}
              {(job.state === 'failed' || job.state === 'cancelled') && (
                <Alert
                  color={job.state === 'failed' ? 'red' : 'gray'}
                  variant="light"
                  title={`Import ${job.state}`}
                >
                  <Text size="sm">{job.error?.message ?? 'The import stopped before it finished.'}</Text>
                  {job.error && (
                    <Text size="xs" className="qq-mono">
                      {job.error.code}
                    </Text>
                  )}
                </Alert>
              )}
            </Stack>
          )}
        </Paper>
      ) : (
        <Text size="xs" c="dimmed">
          Importing advisories needs the permission system:configure.
        </Text>
      )}
    </Stack>
  )
}
