import {
  Alert,
  Button,
  Checkbox,
  FileInput,
  Group,
  Modal,
  Select,
  Stack,
  Text,
  TextInput,
} from '@mantine/core'
import { CircleCheck, Upload } from 'lucide-react'
import { useState, type FormEvent } from 'react'
import type { JobView } from '../../../../shared/contract'
import type { CallError } from '../../../../shared/result'
import { ErrorAlert } from '../../components/ErrorAlert'
import { useNow } from '../../lib/use-now'
import { callApi } from '../../store/call'
import { formatBytes, JobProgress } from '../scans/JobProgress'
import { useJob } from '../scans/use-job'
import { fileToBase64, MAX_INLINE_BASE64, type StateSummary } from './vault-files'

const CLASSES: StateSummary['classification'][] = ['public', 'internal', 'confidential', 'restricted']

interface Props {
  opened: boolean
  onClose: () => void
  onImported: (stateId: string) => void
}

/** Import a .npy or JSON state picked in the page: validated and encrypted by main as a job with progress. */
export function VaultImportDialog({ opened, onClose, onImported }: Props) {
  return (
    <Modal opened={opened} onClose={onClose} title="Import a state" size="lg">
      {opened && <ImportForm onClose={onClose} onImported={onImported} />}
    </Modal>
  )
}

function ImportForm({ onClose, onImported }: Omit<Props, 'opened'>) {
  const [file, setFile] = useState<File | null>(null)
  const [name, setName] = useState('')
  const [classification, setClassification] = useState<StateSummary['classification']>('internal')
  const [normalize, setNormalize] = useState(false)
  const [fileError, setFileError] = useState<string | null>(null)
  const [failure, setFailure] = useState<CallError | null>(null)
  const [started, setStarted] = useState<JobView | null>(null)
  const tracker = useJob(started, (job) => {
    const id = job.result?.stateId
    if (job.state === 'done' && typeof id === 'string') onImported(id)
  })
  const now = useNow(1000)
  const job = tracker.job

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    if (!file) return setFileError('Pick a .npy or .json file')
    const content = await fileToBase64(file)
    if (content.length > MAX_INLINE_BASE64)
      return setFileError(
        `${formatBytes(file.size)} is more than the console takes from the page (about 180 KiB); import larger states with \`qqsec vault import PATH\`.`,
      )
    setFileError(null)
    setFailure(null)
    const r = await callApi('vault.import', {
      content,
      fileName: file.name,
      ...(name.trim() ? { name: name.trim() } : {}),
      classification,
      normalize,
    })
    if (!r.ok) return setFailure(r.error)
    setStarted(r.value)
    const id = r.value.result?.stateId
    if (r.value.state === 'done' && typeof id === 'string') onImported(id)
  }

  const running = job?.state === 'running'
  return (
    <form onSubmit={(e) => void submit(e)} noValidate>
      <Stack gap="sm">
        <Text size="sm">
          The file is checked (finite amplitudes, norm 1, a power-of-two length) and stored encrypted; nothing
          is kept when a check fails. Files up to about 180 KiB can be sent from the page.
        </Text>
        <FileInput
          label="State file"
          description=".npy (complex64 or complex128, 1-D) or JSON"
          accept=".npy,.json,application/json,application/octet-stream"
          value={file}
          onChange={setFile}
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
        {failure && <ErrorAlert error={failure} title="The import did not start" />}
        {tracker.error && (
          <ErrorAlert error={tracker.error} title="The import's progress could not be read" />
        )}
        {job && running && (
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
