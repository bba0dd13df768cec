import {
  Alert,
  Badge,
  Button,
  Group,
  Menu,
  Modal,
  Paper,
  Skeleton,
  Stack,
  Table,
  Text,
  Textarea,
  Title,
} from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { ChevronDown, CircleCheck, CircleX, Download, Share2, ShieldCheck, Trash2 } from 'lucide-react'
import { useState, type ReactNode } from 'react'
import type { JobView } from '../../../../shared/contract'
import type { CallError } from '../../../../shared/result'
import { ErrorAlert } from '../../components/ErrorAlert'
import { LocalTime } from '../../components/LocalTime'
import { VaultStateChart } from '../../components/vault-state-chart'
import { useCan } from '../../lib/permissions'
import { useCall } from '../../lib/use-call'
import { useNow } from '../../lib/use-now'
import { callApi } from '../../store/call'
import { formatBytes, JobProgress } from '../scans/JobProgress'
import { useJob } from '../scans/use-job'
import { CLASSIFICATION_COLOR, downloadBase64, safeFileName, type StateDetail } from './vault-files'

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Table.Tr>
      <Table.Th w={140} fw={500} c="dimmed" style={{ verticalAlign: 'top' }}>
        {label}
      </Table.Th>
      <Table.Td>{children}</Table.Td>
    </Table.Tr>
  )
}

interface Props {
  stateId: string
  onDeleted: () => void
  onChanged: () => void
}

/** One state: properties, integrity and verification, its chart, and export / share / verify / delete. */
export function VaultDetail({ stateId, onDeleted, onChanged }: Props) {
  const { state, reload } = useCall('vault.get', { stateId })
  if (state.status === 'loading')
    return (
      <Stack gap="xs" aria-busy="true" aria-label="Loading the state">
        <Skeleton height={28} />
        <Skeleton height={180} />
        <Skeleton height={160} />
      </Stack>
    )
  if (state.status === 'error')
    return <ErrorAlert error={state.error} title="This state could not be read" onRetry={reload} />
  return (
    <StateView
      s={state.value}
      onDeleted={onDeleted}
      onVerified={() => {
        reload()
        onChanged()
      }}
    />
  )
}

function StateView({
  s,
  onDeleted,
  onVerified,
}: {
  s: StateDetail
  onDeleted: () => void
  onVerified: () => void
}) {
  const canDelete = useCan('quantum:delete')
  const [sharing, setSharing] = useState(false)
  const [deleting, setDeleting] = useState(false)
  const [verifyJob, setVerifyJob] = useState<JobView | null>(null)
  const [failure, setFailure] = useState<CallError | null>(null)
  const tracker = useJob(verifyJob, onVerified)
  const now = useNow(1000)

  const exportAs = async (format: 'npy' | 'json') => {
    setFailure(null)
    const r = await callApi('vault.export', { stateId: s.id, format })
    if (!r.ok) return setFailure(r.error)
    if (r.value.content === null) return
    downloadBase64(
      `${safeFileName(s.name)}.${format}`,
      r.value.content,
      format === 'json' ? 'application/json' : 'application/octet-stream',
    )
  }
  const verify = async () => {
    setFailure(null)
    const r = await callApi('vault.verify', { stateIds: [s.id] })
    if (!r.ok) return setFailure(r.error)
    setVerifyJob(r.value)
  }
  const integrityOk = s.integrity.propertiesOk && s.integrity.fileOk
  const v = s.lastVerification
  const job = tracker.job
  return (
    <Stack gap="sm" data-testid="vault-detail">
      <div>
        <Title order={3} size="h4">
          {s.name}
        </Title>
        <Text size="xs" c="dimmed">
          {s.qubits} qubits · {(2 ** s.qubits).toLocaleString()} amplitudes · {s.dtype}
        </Text>
      </div>
      <Group justify="space-between" wrap="nowrap">
        <Group gap="xs" wrap="nowrap">
          <Menu position="bottom-end">
            <Menu.Target>
              <Button
                size="xs"
                variant="default"
                leftSection={<Download size={14} aria-hidden />}
                rightSection={<ChevronDown size={14} aria-hidden />}
              >
                Export
              </Button>
            </Menu.Target>
            <Menu.Dropdown>
              <Menu.Label>Decrypt and download as</Menu.Label>
              <Menu.Item onClick={() => void exportAs('npy')}>NumPy .npy</Menu.Item>
              <Menu.Item onClick={() => void exportAs('json')}>JSON</Menu.Item>
            </Menu.Dropdown>
          </Menu>
          <Button
            size="xs"
            variant="default"
            leftSection={<Share2 size={14} aria-hidden />}
            onClick={() => setSharing(true)}
          >
            Share…
          </Button>
          <Button
            size="xs"
            variant="default"
            leftSection={<ShieldCheck size={14} aria-hidden />}
            onClick={() => void verify()}
            disabled={job?.state === 'running'}
          >
            Verify
          </Button>
          {canDelete && (
            <Button
              size="xs"
              variant="subtle"
              color="red"
              leftSection={<Trash2 size={14} aria-hidden />}
              onClick={() => setDeleting(true)}
            >
              Delete…
            </Button>
          )}
        </Group>
      </Group>
      {failure && <ErrorAlert error={failure} title="That did not work" />}
      {tracker.error && (
        <ErrorAlert error={tracker.error} title="The verification's progress could not be read" />
      )}
      {job?.state === 'running' && (
        <JobProgress
          job={job}
          label={`Verifying ${s.name}`}
          cancelling={tracker.cancelling}
          onCancel={() => void tracker.cancel()}
          now={now}
        />
      )}
      {job && job.state !== 'running' && (
        <Alert
          color={
            job.state === 'done' && Number(job.result?.ok) === Number(job.result?.checked) ? 'teal' : 'red'
          }
          variant="light"
          title={
            job.state === 'done'
              ? `Verified: ${String(job.result?.ok ?? 0)} of ${String(job.result?.checked ?? 0)} intact`
              : `Verification ${job.state}`
          }
          data-testid="vault-verify-result"
        >
          {job.error && <Text size="sm">{job.error.message}</Text>}
        </Alert>
      )}
      <Paper withBorder p="xs">
        <VaultStateChart bars={s.chart.top} rest={s.chart.rest} qubits={s.qubits} />
        <Text size="xs" c="dimmed" mt={4}>
          {s.chart.nonZero.toLocaleString()} non-zero amplitudes; norm {s.chart.norm.toFixed(6)}
          {s.chart.rest > 0 ? `; the states not shown hold ${(s.chart.rest * 100).toFixed(2)} %` : ''}.
        </Text>
      </Paper>
      <Table fz="sm" verticalSpacing={3} withRowBorders={false}>
        <Table.Tbody>
          <Row label="Integrity">
            <Group gap={6}>
              {integrityOk ? (
                <CircleCheck size={16} color="var(--mantine-color-teal-filled)" aria-hidden />
              ) : (
                <CircleX size={16} color="var(--mantine-color-red-filled)" aria-hidden />
              )}
              <Text size="sm">
                {integrityOk ? 'Properties and file header intact' : (s.integrity.message ?? 'Damaged')}
              </Text>
            </Group>
          </Row>
          <Row label="Last full check">
            {v ? (
              <Text size="sm">
                {v.ok ? 'Passed' : `Failed: ${v.problem ?? 'unknown problem'}`} · <LocalTime iso={v.at} />
              </Text>
            ) : (
              'never — press Verify to decrypt and check it'
            )}
          </Row>
          <Row label="Classification">
            <Badge
              size="sm"
              variant="light"
              color={CLASSIFICATION_COLOR[s.classification]}
              radius="sm"
              tt="none"
            >
              {s.classification}
            </Badge>
          </Row>
          <Row label="Owner">{s.owner}</Row>
          <Row label="Key">
            {s.keyType === 'mlkem768x25519' ? 'ML-KEM-768 + X25519 (post-quantum)' : 'X25519'}
          </Row>
          <Row label="Encrypted file">{formatBytes(s.fileSize)}</Row>
          <Row label="Created">
            <LocalTime iso={s.createdAt} />
          </Row>
          <Row label="Updated">
            <LocalTime iso={s.updated} />
          </Row>
          {s.tags.length > 0 && <Row label="Tags">{s.tags.join(', ')}</Row>}
          {Object.entries(s.labels).map(([k, val]) => (
            <Row key={k} label={k}>
              {val}
            </Row>
          ))}
          {s.entanglements.length > 0 && (
            <Row label="Entanglement">
              {s.entanglements
                .map(
                  (e) =>
                    `q${e.qubits.join('–q')}${e.measure !== undefined ? ` (${e.measure.toFixed(3)})` : ''}`,
                )
                .join(', ')}
            </Row>
          )}
        </Table.Tbody>
      </Table>
      <Modal opened={sharing} onClose={() => setSharing(false)} title={`Share ${s.name}`} size="lg">
        {sharing && <ShareForm s={s} onClose={() => setSharing(false)} />}
      </Modal>
      <Modal opened={deleting} onClose={() => setDeleting(false)} title="Delete this state">
        {deleting && <DeleteForm s={s} onClose={() => setDeleting(false)} onDeleted={onDeleted} />}
      </Modal>
    </Stack>
  )
}

function ShareForm({ s, onClose }: { s: StateDetail; onClose: () => void }) {
  const [text, setText] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [failure, setFailure] = useState<CallError | null>(null)
  const [busy, setBusy] = useState(false)
  const submit = async () => {
    const recipients = text
      .split(/[\s,]+/)
      .map((r) => r.trim())
      .filter(Boolean)
    if (recipients.length === 0) return setError('Give at least one recipient')
    setError(null)
    setBusy(true)
    const r = await callApi('vault.share', { stateId: s.id, recipients })
    setBusy(false)
    if (!r.ok) return setFailure(r.error)
    if (r.value.content !== null)
      downloadBase64(`${safeFileName(s.name)}.npy.age`, r.value.content, 'application/octet-stream')
    notifications.show({
      color: 'teal',
      title: 'Shared file saved',
      message: `${formatBytes(r.value.bytes)} for ${recipients.length} recipient${recipients.length === 1 ? '' : 's'}`,
    })
    onClose()
  }
  return (
    <Stack gap="sm">
      <Text size="sm">
        Creates a standalone age file of this state that only the recipients can decrypt, and downloads it.
        The vault copy stays as it is.
      </Text>
      <Textarea
        label="Recipients"
        description="age1… (X25519) or age1pq1… (post-quantum) public keys, one per line"
        autosize
        minRows={3}
        classNames={{ input: 'qq-mono' }}
        value={text}
        onChange={(e) => setText(e.currentTarget.value)}
        error={error}
        data-autofocus
      />
      {failure && <ErrorAlert error={failure} title="The state was not shared" />}
      <Group justify="flex-end">
        <Button variant="default" onClick={onClose}>
          Cancel
        </Button>
        <Button onClick={() => void submit()} loading={busy}>
          Encrypt and download
        </Button>
      </Group>
    </Stack>
  )
}

function DeleteForm({
  s,
  onClose,
  onDeleted,
}: {
  s: StateDetail
  onClose: () => void
  onDeleted: () => void
}) {
  const [failure, setFailure] = useState<CallError | null>(null)
  const [busy, setBusy] = useState(false)
  const submit = async () => {
    setBusy(true)
    const r = await callApi('vault.delete', { stateId: s.id })
    setBusy(false)
    if (!r.ok) return setFailure(r.error)
    notifications.show({ color: 'teal', title: 'State deleted', message: s.name })
    onClose()
    onDeleted()
  }
  return (
    <Stack gap="sm">
      <Text size="sm">
        <b>{s.name}</b> ({s.qubits} qubits, {formatBytes(s.fileSize)} encrypted) and its encrypted file are
        deleted from the vault now. This cannot be undone; export it first if you may need it again.
      </Text>
      {failure && <ErrorAlert error={failure} title="The state was not deleted" />}
      <Group justify="flex-end">
        <Button variant="default" onClick={onClose}>
          Cancel
        </Button>
        <Button color="red" onClick={() => void submit()} loading={busy}>
          Delete {s.name}
        </Button>
      </Group>
    </Stack>
  )
}
