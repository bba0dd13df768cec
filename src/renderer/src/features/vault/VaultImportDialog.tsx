import {
  Alert,
  Button,
  Checkbox,
  FileInput,
  Group,
  Modal,
  Paper,
  Progress,
  Select,
  Stack,
  Text,
  TextInput,
} from '@mantine/core'
import { CircleCheck, CircleStop, FileUp, Upload } from 'lucide-react'
import { useEffect, useRef, useState, type FormEvent } from 'react'
import type { JobView } from '../../../../shared/contract'
import type { CallError } from '../../../../shared/result'
import { ErrorAlert } from '../../components/ErrorAlert'
import { useNow } from '../../lib/use-now'
import { callApi } from '../../store/call'
import { formatBytes, JobProgress } from '../scans/JobProgress'
import { useJob } from '../scans/use-job'
import { useFileDrop } from './use-file-drop'
import { UploadCancelled, uploadFile, type StateSummary } from './vault-files'

const CLASSES: StateSummary['classification'][] = ['public', 'internal', 'confidential', 'restricted']

interface Props {
  opened: boolean
  onClose: () => void
  onImported: (stateId: string) => void
  /** A file dropped on the vault view: the dialog opens with it picked. */
  initialFile?: File | null
}

/**
 * Import a .npy or JSON state picked or dropped in the page: sent to main in chunks (progress, Cancel), staged
 * encrypted there, then validated and encrypted into the vault as a job with its own progress.
 */
export function VaultImportDialog({ opened, onClose, onImported, initialFile }: Props) {
  return (
    <Modal opened={opened} onClose={onClose} title="Import a state" size="lg">
      {opened && <ImportForm onClose={onClose} onImported={onImported} initialFile={initialFile ?? null} />}
    </Modal>
  )
}

function ImportForm({ onClose, onImported, initialFile }: Omit<Props, 'opened'>) {
  const [file, setFile] = useState<File | null>(initialFile ?? null)
  const [name, setName] = useState('')
  const [classification, setClassification] = useState<StateSummary['classification']>('internal')
  const [normalize, setNormalize] = useState(false)
  const [fileError, setFileError] = useState<string | null>(null)
  const [failure, setFailure] = useState<CallError | null>(null)
  const [started, setStarted] = useState<JobView | null>(null)
  const [sent, setSent] = useState<number | null>(null)
  const [cancelled, setCancelled] = useState(false)
  const controller = useRef<AbortController | null>(null)
  /** An upload main holds for this file: kept after a refused import, so "normalize" needs no second upload. */
  const staged = useRef<{ file: File; uploadId: string } | null>(null)
  const dropStaged = () => {
    if (staged.current) void callApi('vault.uploadAbort', { uploadId: staged.current.uploadId })
    staged.current = null
  }
  const tracker = useJob(started, (job) => {
    const id = job.result?.stateId
    if (job.state === 'done') staged.current = null // consumed by the import
    if (job.state === 'cancelled') dropStaged()
    if (job.state === 'done' && typeof id === 'string') onImported(id)
  })
  const now = useNow(1000)
  const job = tracker.job
  const pick = (f: File | null) => {
    setFile(f)
    setFileError(null)
    setFailure(null)
    setCancelled(false)
  }

  const drop = useFileDrop((f) => pick(f), sent === null && job?.state !== 'running')

  // Closing the dialog stops an upload in flight and lets main delete what it staged.
  useEffect(
    () => () => {
      controller.current?.abort()
      if (staged.current) void callApi('vault.uploadAbort', { uploadId: staged.current.uploadId })
    },
    [],
  )

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    if (!file) return setFileError('Pick a .npy or .json file, or drop one here')
    if (file.size === 0) return setFileError('This file is empty')
    setFileError(null)
    setFailure(null)
    setCancelled(false)
    setStarted(null)
    let uploadId = staged.current?.file === file ? staged.current.uploadId : null
    if (!uploadId) {
      dropStaged()
      const ctl = new AbortController()
      controller.current = ctl
      setSent(0)
      try {
        const r = await uploadFile(file, { signal: ctl.signal, onProgress: setSent })
        if (!r.ok) return setFailure(r.error)
        uploadId = r.value
        staged.current = { file, uploadId }
      } catch (x) {
        if (x instanceof UploadCancelled) return setCancelled(true)
        return setFailure({
          code: 'INTERNAL',
          message: `The file could not be read in the page: ${x instanceof Error ? x.message : String(x)}`,
        })
      } finally {
        controller.current = null
        setSent(null)
      }
    }
    const r = await callApi('vault.import', {
      uploadId,
      ...(name.trim() ? { name: name.trim() } : {}),
      classification,
      normalize,
    })
    if (!r.ok) {
      if (r.error.code === 'NOT_FOUND') staged.current = null // expired: the next try uploads again
      return setFailure(r.error)
    }
    setStarted(r.value)
    const id = r.value.result?.stateId
    if (r.value.state === 'done' && typeof id === 'string') onImported(id)
  }

  const uploading = sent !== null
  const running = job?.state === 'running' || uploading
  const pct = uploading && file && file.size > 0 ? Math.floor((sent / file.size) * 100) : 0
  return (
    <form onSubmit={(e) => void submit(e)} noValidate {...drop.handlers} data-testid="vault-import-form">
      <Stack gap="sm">
        <Text size="sm">
          The file is checked (finite amplitudes, norm 1, a power-of-two length) and stored encrypted; nothing
          is kept when a check fails. Large files (up to 4 GiB) are sent in chunks and held encrypted until
          they are imported.
        </Text>
        <Paper
          withBorder
          p="sm"
          data-testid="vault-drop-zone"
          data-over={drop.over || undefined}
          style={{
            borderStyle: 'dashed',
            borderColor: drop.over ? 'var(--mantine-color-blue-filled)' : undefined,
            background: drop.over ? 'var(--mantine-color-blue-light)' : undefined,
          }}
        >
          <Group gap="xs" wrap="nowrap">
            <FileUp size={16} aria-hidden />
            <Text size="sm" c={drop.over ? undefined : 'dimmed'}>
              {drop.over
                ? 'Drop the file to pick it'
                : 'Drop a .npy or .json file here, or choose one below.'}
            </Text>
          </Group>
        </Paper>
        <FileInput
          label="State file"
          description=".npy (complex64 or complex128, 1-D) or JSON"
          accept=".npy,.json,application/json,application/octet-stream"
          value={file}
          onChange={pick}
          error={fileError}
          clearable
          leftSection={<Upload size={14} aria-hidden />}
          disabled={running}
        />
        <Group grow>
          <TextInput
            label="Name"
            description="optional; the file name otherwise"
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            disabled={running}
          />
          <Select
            label="Classification"
            data={CLASSES}
            value={classification}
            allowDeselect={false}
            onChange={(v) => v && setClassification(v as StateSummary['classification'])}
            disabled={running}
          />
        </Group>
        <Checkbox
          label="Normalize the amplitudes if their norm is not 1"
          checked={normalize}
          onChange={(e) => setNormalize(e.currentTarget.checked)}
          disabled={running}
        />
        {uploading && (
          <Paper withBorder p="sm" data-testid="upload-progress" aria-live="polite">
            <Stack gap={6}>
              <Group justify="space-between" wrap="nowrap">
                <Text size="sm" fw={600}>
                  Uploading {file?.name}
                </Text>
                <Button
                  size="compact-sm"
                  variant="default"
                  color="red"
                  leftSection={<CircleStop size={14} aria-hidden />}
                  onClick={() => controller.current?.abort()}
                >
                  Cancel upload
                </Button>
              </Group>
              <Progress
                value={pct}
                size="md"
                aria-label={`Uploading ${file?.name ?? 'the file'}: ${pct} %`}
              />
              <Text size="xs" data-testid="upload-counts">
                {formatBytes(sent)} of {formatBytes(file?.size ?? 0)} sent ({pct} %)
              </Text>
            </Stack>
          </Paper>
        )}
        {cancelled && (
          <Alert color="gray" variant="light" title="Upload cancelled" data-testid="upload-cancelled">
            <Text size="sm">Nothing was stored; the part already sent was deleted.</Text>
          </Alert>
        )}
        {failure && <ErrorAlert error={failure} title="The import did not start" />}
        {tracker.error && (
          <ErrorAlert error={tracker.error} title="The import's progress could not be read" />
        )}
        {job && job.state === 'running' && (
          <JobProgress
            job={job}
            label={`Importing ${file?.name ?? 'the state'}`}
            cancelling={tracker.cancelling}
            onCancel={() => void tracker.cancel()}
            now={now}
          />
        )}
        {job?.state === 'done' && (
          <Alert color="teal" variant="light" icon={<CircleCheck size={18} aria-hidden />} title="Imported">
            <Text size="sm">
              {String(job.result?.name ?? '')}: {String(job.result?.qubits ?? '?')} qubits, stored encrypted.
            </Text>
          </Alert>
        )}
        {(job?.state === 'failed' || job?.state === 'cancelled') && (
          <Alert
            color={job.state === 'failed' ? 'red' : 'gray'}
            variant="light"
            title={`Import ${job.state}`}
          >
            <Text size="sm">{job.error?.message ?? 'Nothing was stored.'}</Text>
            {job.error && (
              <Text size="xs" className="qq-mono">
                {job.error.code}
              </Text>
            )}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {job?.state === 'done' ? 'Close' : 'Cancel'}
          </Button>
          <Button type="submit" loading={running} disabled={job?.state === 'done'}>
            Import
          </Button>
        </Group>
      </Stack>
    </form>
  )
}
