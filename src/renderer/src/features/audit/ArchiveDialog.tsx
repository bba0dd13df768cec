import {
  Alert,
  Button,
  Checkbox,
  Code,
  Group,
  Loader,
  Modal,
  NumberInput,
  Progress,
  Stack,
  Text,
} from '@mantine/core'
import { useState } from 'react'
import type { JobView } from '../../../../shared/contract'
import type { CallError } from '../../../../shared/result'
import { ErrorAlert } from '../../components/ErrorAlert'
import { LocalTime } from '../../components/LocalTime'
import { useCall } from '../../lib/use-call'
import { callApi } from '../../store/call'
import { useJob } from '../scans/use-job'

interface Props {
  opened: boolean
  onClose: () => void
  /** After an archive is made (the table and the chain banner reload). */
  onArchived: () => void
}

/**
 * Retention: move entries older than an age to a signed, compressed archive in the data dir's audit-archives
 * folder. Two steps (the age, then a confirmation naming the entries that leave the live log), then the job's
 * progress and the file it wrote.
 */
export function ArchiveDialog({ opened, onClose, onArchived }: Props) {
  return (
    <Modal opened={opened} onClose={onClose} title="Archive old audit entries" size="lg">
      {opened && <ArchiveForm onClose={onClose} onArchived={onArchived} />}
    </Modal>
  )
}

function ArchiveForm({ onClose, onArchived }: Omit<Props, 'opened'>) {
  const retention = useCall('audit.retention', {})
  const [days, setDays] = useState<number | null>(null)
  const [remember, setRemember] = useState(false)
  const [confirming, setConfirming] = useState<{ firstSeq: number; lastSeq: number; before: string } | null>(
    null,
  )
  const [error, setError] = useState<CallError | null>(null)
  const [busy, setBusy] = useState(false)
  const [started, setStarted] = useState<JobView | null>(null)
  const tracker = useJob(started, (j) => {
    if (j.state === 'done') onArchived()
  })

  if (retention.state.status === 'loading') return <Loader size="sm" />
  if (retention.state.status === 'error') return <ErrorAlert error={retention.state.error} />
  const r = retention.state.value
  const age = days ?? r.days ?? 365

  const preview = async () => {
    setError(null)
    setBusy(true)
    if (remember) {
      const saved = await callApi('audit.setRetention', { days: age })
      if (!saved.ok) {
        setBusy(false)
        setError(saved.error)
        return
      }
    }
    const now = await callApi('audit.retention', { olderThanDays: age })
    setBusy(false)
    if (!now.ok) return setError(now.error)
    if (!now.value.eligible)
      return setError({ code: 'NOT_FOUND', message: `No audit entries are older than ${age} days.` })
    setConfirming(now.value.eligible)
  }

  const start = async () => {
    setError(null)
    setBusy(true)
    const job = await callApi('audit.archive', { olderThanDays: age })
    setBusy(false)
    if (!job.ok) return setError(job.error)
    setStarted(job.value)
  }

  const job = tracker.job
  if (job) {
    const p = job.progress
    const result = job.result as Record<string, unknown> | null
    return (
      <Stack gap="sm" data-testid="archive-job">
        {job.state === 'running' && (
          <>
            <Text size="sm">
              Writing the archive: {p.done.toLocaleString()}
              {p.total !== null ? ` of ${p.total.toLocaleString()}` : ''} entries…
            </Text>
            <Progress value={p.total ? (100 * p.done) / p.total : 0} animated />
            <Group justify="flex-end">
              <Button variant="default" onClick={() => void tracker.cancel()} loading={tracker.cancelling}>
                Cancel
              </Button>
            </Group>
          </>
        )}
        {job.state === 'done' && result && typeof result.file === 'string' && (
          <Alert color="teal" variant="light" title="Archived" data-testid="archive-done">
            <Text size="sm">
              Entries {String(result.firstSeq)}–{String(result.lastSeq)} (
              {Number(result.entries).toLocaleString()}) are in <Code>{result.file}</Code> and left the live
              log; the chain continues from the signed cut.
            </Text>
            <Text size="xs" mt={6}>
              Keep the file with your records. Check it anywhere with{' '}
              <Code>qqsec audit verify --archive FILE</Code>; its SHA-256 is{' '}
              <Code style={{ wordBreak: 'break-all' }}>{String(result.digest)}</Code>.
            </Text>
          </Alert>
        )}
        {job.state === 'done' && result && typeof result.file !== 'string' && (
          <Alert color="gray" variant="light">
            Nothing was old enough to archive.
          </Alert>
        )}
        {job.state === 'failed' && job.error && (
          <ErrorAlert error={{ code: job.error.code as CallError['code'], message: job.error.message }} />
        )}
        {job.state === 'cancelled' && <Alert color="gray">Cancelled: nothing left the live log.</Alert>}
        {tracker.error && <ErrorAlert error={tracker.error} />}
        {job.state !== 'running' && (
          <Group justify="flex-end">
            <Button onClick={onClose}>Close</Button>
          </Group>
        )}
      </Stack>
    )
  }

  if (confirming) {
    return (
      <Stack gap="sm" data-testid="archive-confirm">
        <Alert color="orange" variant="light" title="Entries will leave the live log">
          <Text size="sm">
            Entries {confirming.firstSeq.toLocaleString()}–{confirming.lastSeq.toLocaleString()} (
            {(confirming.lastSeq - confirming.firstSeq + 1).toLocaleString()}, older than{' '}
            <LocalTime iso={confirming.before} />) will be written to a signed archive in the data dir&apos;s{' '}
            <Code>audit-archives</Code> folder, checked, and then removed from the database. Search, metrics
            and compliance reports cover only the live log afterwards; the archive can be checked on its own
            with <Code>qqsec audit verify --archive</Code>.
          </Text>
        </Alert>
        {error && <ErrorAlert error={error} title="Nothing was archived" />}
        <Group justify="flex-end" gap="xs">
          <Button variant="default" onClick={() => setConfirming(null)}>
            Back
          </Button>
          <Button color="orange" onClick={() => void start()} loading={busy} data-testid="archive-start">
            Archive and remove from the live log
          </Button>
        </Group>
      </Stack>
    )
  }

  return (
    <form
      onSubmit={(e) => {
        e.preventDefault()
        void preview()
      }}
    >
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          Retention is {r.days === null ? 'off' : `set to ${r.days} days`}.{' '}
          {r.cuts.length > 0
            ? `${r.cuts.length} archive(s) so far; the live log starts at entry ${(r.cuts.at(-1)!.seq + 1).toLocaleString()}.`
            : 'Nothing has been archived yet.'}
        </Text>
        <NumberInput
          label="Archive entries older than (days)"
          min={0}
          max={36_500}
          allowDecimal={false}
          value={age}
          onChange={(v) => setDays(typeof v === 'number' ? v : null)}
        />
        <Checkbox
          label="Keep archiving entries older than this automatically (the retention setting)"
          checked={remember}
          onChange={(e) => setRemember(e.currentTarget.checked)}
        />
        {error && <ErrorAlert error={error} title="Nothing was archived" />}
        <Group justify="flex-end" gap="xs">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={busy}>
            Continue…
          </Button>
        </Group>
      </Stack>
    </form>
  )
}
