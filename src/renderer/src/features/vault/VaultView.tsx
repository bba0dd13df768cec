import {
  Alert,
  Badge,
  Button,
  Grid,
  Group,
  Modal,
  Paper,
  ScrollArea,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  UnstyledButton,
} from '@mantine/core'
import { useDebouncedCallback } from '@mantine/hooks'
import { ArrowDown, ArrowUp, FileUp, KeyRound, Plus, RefreshCw, Search, ShieldCheck } from 'lucide-react'
import { useState } from 'react'
import type { JobView } from '../../../../shared/contract'
import type { CallError } from '../../../../shared/result'
import { ErrorAlert } from '../../components/ErrorAlert'
import { LocalTime } from '../../components/LocalTime'
import { MissingPermission } from '../../components/MissingPermission'
import { TableSkeleton } from '../../components/TableSkeleton'
import { ViewHeader } from '../../components/ViewHeader'
import { navigate, pathWithQuery, useHashLocation } from '../../lib/hash-router'
import { useCan } from '../../lib/permissions'
import { useCall } from '../../lib/use-call'
import { useNow } from '../../lib/use-now'
import { callApi } from '../../store/call'
import { formatBytes, JobProgress } from '../scans/JobProgress'
import { useJob } from '../scans/use-job'
import { VaultDetail } from './VaultDetail'
import { VaultImportDialog } from './VaultImportDialog'
import { useFileDrop } from './use-file-drop'
import { CLASSIFICATION_COLOR, type StateSummary } from './vault-files'

const SORTS = ['name', 'qubits', 'owner', 'classification', 'size', 'updated'] as const
type Sort = (typeof SORTS)[number]
const isSort = (v: string | null): v is Sort => v !== null && (SORTS as readonly string[]).includes(v)
const CLASS_RANK = { public: 0, internal: 1, confidential: 2, restricted: 3 } as const

const compare = (a: StateSummary, b: StateSummary, by: Sort): number => {
  switch (by) {
    case 'name':
      return a.name.localeCompare(b.name)
    case 'qubits':
      return a.qubits - b.qubits
    case 'owner':
      return a.owner.localeCompare(b.owner)
    case 'classification':
      return CLASS_RANK[a.classification] - CLASS_RANK[b.classification]
    case 'size':
      return a.fileSize - b.fileSize
    case 'updated':
      return a.updated.localeCompare(b.updated)
  }
}

export function VaultView() {
  const allowed = useCan('quantum:read')
  if (!allowed)
    return (
      <>
        <ViewHeader title="Vault" />
        <MissingPermission permission="quantum:read" what="The vault" />
      </>
    )
  return <VaultBody />
}

function VaultBody() {
  const { query } = useHashLocation()
  const search = query.get('q') ?? ''
  const sort: Sort = isSort(query.get('sort')) ? (query.get('sort') as Sort) : 'updated'
  const dir = query.get('dir') === 'asc' ? 'asc' : 'desc'
  const selected = query.get('state')
  const canCreate = useCan('quantum:create')
  const canRotate = useCan('quantum:update')
  const [importing, setImporting] = useState(false)
  /** A file dropped on the view opens the import dialog with it picked. */
  const [dropped, setDropped] = useState<File | null>(null)
  const viewDrop = useFileDrop((f) => {
    setDropped(f)
    setImporting(true)
  }, canCreate && !importing)
  const [rotating, setRotating] = useState(false)
  const [text, setText] = useState(search)
  const [detailKey, setDetailKey] = useState(0)
  const list = useCall('vault.list', search.trim() ? { search: search.trim() } : {})

  const go = (next: Partial<{ q: string; sort: Sort; dir: string; state: string | null }>, replace = false) =>
    navigate(
      pathWithQuery('vault', {
        q: (next.q ?? search) || null,
        sort: (next.sort ?? sort) === 'updated' ? null : (next.sort ?? sort),
        dir: (next.dir ?? dir) === 'desc' ? null : (next.dir ?? dir),
        state: next.state === undefined ? selected : next.state,
      }),
      { replace },
    )
  const pushSearch = useDebouncedCallback((q: string) => go({ q }, true), 300)

  const header = (
    <ViewHeader
      title="Vault"
      description="Quantum states encrypted at rest with age. Times in your local time (UTC on hover)."
      actions={
        <>
          {canRotate && (
            <Button
              size="xs"
              variant="default"
              leftSection={<KeyRound size={14} aria-hidden />}
              onClick={() => setRotating(true)}
            >
              Rotate keys…
            </Button>
          )}
          {canCreate && (
            <Button size="xs" leftSection={<Plus size={14} aria-hidden />} onClick={() => setImporting(true)}>
              Import state
            </Button>
          )}
        </>
      }
    />
  )

  const states =
    list.state.status === 'ready'
      ? list.state.value.states.slice().sort((a, b) => (dir === 'asc' ? 1 : -1) * compare(a, b, sort))
      : []
  const th = (key: Sort, label: string, align?: 'right') => (
    <Table.Th ta={align} aria-sort={sort === key ? (dir === 'asc' ? 'ascending' : 'descending') : 'none'}>
      <UnstyledButton
        fz="sm"
        fw={700}
        onClick={() => go({ sort: key, dir: sort === key && dir === 'desc' ? 'asc' : 'desc' }, true)}
        aria-label={`Sort by ${label}`}
      >
        <Group gap={2} wrap="nowrap" justify={align === 'right' ? 'flex-end' : undefined}>
          {label}
          {sort === key &&
            (dir === 'asc' ? <ArrowUp size={12} aria-hidden /> : <ArrowDown size={12} aria-hidden />)}
        </Group>
      </UnstyledButton>
    </Table.Th>
  )

  return (
    <div
      {...viewDrop.handlers}
      data-testid="vault-view"
      // the whole view is the drop target, however short the list
      style={{ position: 'relative', minHeight: 'calc(100vh - 120px)' }}
    >
      {viewDrop.over && (
        <Paper
          withBorder
          data-testid="vault-drop-overlay"
          style={{
            position: 'absolute',
            inset: 0,
            zIndex: 10,
            pointerEvents: 'none',
            borderStyle: 'dashed',
            borderWidth: 2,
            borderColor: 'var(--mantine-color-blue-filled)',
            background: 'var(--mantine-color-blue-light)',
            display: 'flex',
            alignItems: 'center',
            justifyContent: 'center',
          }}
        >
          <Group gap="xs">
            <FileUp size={20} aria-hidden />
            <Text fw={600}>Drop the file to import it into the vault</Text>
          </Group>
        </Paper>
      )}
      {header}
      <Group gap="xs" mb="xs">
        <TextInput
          size="xs"
          w={300}
          aria-label="Search the vault"
          placeholder="Name, tag, label…"
          leftSection={<Search size={14} aria-hidden />}
          value={text}
          onChange={(e) => {
            setText(e.currentTarget.value)
            pushSearch(e.currentTarget.value)
          }}
        />
        <Button
          size="xs"
          variant="default"
          leftSection={<RefreshCw size={14} aria-hidden />}
          onClick={list.reload}
        >
          Refresh
        </Button>
      </Group>
      <Grid gap="md">
        <Grid.Col span={selected ? 5 : 12}>
          {list.state.status === 'loading' && <TableSkeleton label="Loading the vault" />}
          {list.state.status === 'error' && (
            <ErrorAlert error={list.state.error} title="The vault could not be read" onRetry={list.reload} />
          )}
          {list.state.status === 'ready' && states.length === 0 && (
            <Paper withBorder p="lg" data-testid="vault-empty">
              <Text size="sm" fw={600}>
                {search ? 'No state matches this search' : 'The vault is empty'}
              </Text>
              <Text size="sm" c="dimmed">
                {search
                  ? 'Clear the search to see every state you may read.'
                  : 'Import a state vector (.npy or JSON) with “Import state”, or drop its file here; it is checked and stored encrypted.'}
              </Text>
            </Paper>
          )}
          {states.length > 0 && (
            <Paper withBorder>
              <ScrollArea.Autosize mah="calc(100vh - 230px)" type="auto">
                <Table
                  fz="sm"
                  verticalSpacing={4}
                  highlightOnHover
                  stickyHeader
                  style={{ whiteSpace: 'nowrap' }}
                  aria-label="Vault states"
                  data-testid="vault-table"
                >
                  <Table.Thead>
                    <Table.Tr>
                      {th('name', 'Name')}
                      {th('qubits', 'Qubits', 'right')}
                      {!selected && th('owner', 'Owner')}
                      {!selected && th('classification', 'Classification')}
                      {th('size', 'Size', 'right')}
                      {th('updated', 'Updated')}
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {states.map((s) => (
                      <Table.Tr
                        key={s.id}
                        onClick={() => go({ state: s.id })}
                        style={{ cursor: 'pointer' }}
                        bg={s.id === selected ? 'var(--mantine-primary-color-light)' : undefined}
                        aria-selected={s.id === selected}
                      >
                        <Table.Td>
                          <UnstyledButton
                            fz="sm"
                            fw={500}
                            onClick={(e) => {
                              e.stopPropagation()
                              go({ state: s.id })
                            }}
                          >
                            {s.name}
                          </UnstyledButton>
                          {s.lastVerification && !s.lastVerification.ok && (
                            <Badge ml={6} size="xs" color="red" variant="light" tt="none">
                              check failed
                            </Badge>
                          )}
                        </Table.Td>
                        <Table.Td ta="right">{s.qubits}</Table.Td>
                        {!selected && <Table.Td>{s.owner}</Table.Td>}
                        {!selected && (
                          <Table.Td>
                            <Badge
                              size="sm"
                              variant="light"
                              color={CLASSIFICATION_COLOR[s.classification]}
                              radius="sm"
                              tt="none"
                            >
                              {s.classification}
                            </Badge>
                          </Table.Td>
                        )}
                        <Table.Td ta="right">{formatBytes(s.fileSize)}</Table.Td>
                        <Table.Td>
                          <LocalTime iso={s.updated} />
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </ScrollArea.Autosize>
            </Paper>
          )}
        </Grid.Col>
        {selected && (
          <Grid.Col span={7}>
            <Paper withBorder p="sm" pos="relative">
              <Group justify="flex-end" mb={-8}>
                <Button
                  size="compact-xs"
                  variant="subtle"
                  onClick={() => go({ state: null })}
                  aria-label="Close the state"
                >
                  Close
                </Button>
              </Group>
              <VaultDetail
                key={`${selected}-${detailKey}`}
                stateId={selected}
                onDeleted={() => {
                  go({ state: null })
                  list.reload()
                }}
                onChanged={list.reload}
              />
            </Paper>
          </Grid.Col>
        )}
      </Grid>
      <VaultImportDialog
        opened={importing}
        initialFile={dropped}
        onClose={() => {
          setImporting(false)
          setDropped(null)
        }}
        onImported={(id) => {
          list.reload()
          setDetailKey((n) => n + 1)
          go({ state: id })
        }}
      />
      <Modal opened={rotating} onClose={() => setRotating(false)} title="Rotate the vault keys" size="lg">
        {rotating && (
          <RotateForm
            count={list.state.status === 'ready' ? list.state.value.states.length : null}
            onClose={() => setRotating(false)}
            onDone={list.reload}
          />
        )}
      </Modal>
    </div>
  )
}

function RotateForm({
  count,
  onClose,
  onDone,
}: {
  count: number | null
  onClose: () => void
  onDone: () => void
}) {
  const [keyType, setKeyType] = useState<'keep' | 'x25519' | 'mlkem768x25519'>('keep')
  const [failure, setFailure] = useState<CallError | null>(null)
  const [started, setStarted] = useState<JobView | null>(null)
  const tracker = useJob(started, onDone)
  const now = useNow(1000)
  const job = tracker.job
  const submit = async () => {
    setFailure(null)
    const r = await callApi('vault.rotateKeys', keyType === 'keep' ? {} : { keyType })
    if (!r.ok) return setFailure(r.error)
    setStarted(r.value)
  }
  return (
    <Stack gap="sm">
      <Text size="sm">
        A new vault identity
        {keyType === 'keep'
          ? ' of the same kind'
          : keyType === 'x25519'
            ? ' (X25519)'
            : ' (ML-KEM-768 + X25519, post-quantum)'}{' '}
        is created, and the header of every encrypted state file in the vault
        {count !== null ? ` (${count} you can see; others' too)` : ''} is rewrapped to it. The state data is
        not changed. The old identity can no longer open the files once the rotation is done. The work is
        crash-safe and resumes if it is interrupted; the vault stays readable meanwhile.
      </Text>
      <Select
        label="Key type"
        data={[
          { value: 'keep', label: 'Keep the current kind' },
          { value: 'x25519', label: 'X25519' },
          { value: 'mlkem768x25519', label: 'ML-KEM-768 + X25519 (post-quantum)' },
        ]}
        value={keyType}
        allowDeselect={false}
        onChange={(v) => v && setKeyType(v as typeof keyType)}
        disabled={job !== null}
      />
      {failure && <ErrorAlert error={failure} title="The rotation did not start" />}
      {tracker.error && (
        <ErrorAlert error={tracker.error} title="The rotation's progress could not be read" />
      )}
      {job?.state === 'running' && (
        <JobProgress
          job={job}
          label="Rotating keys"
          cancelling={tracker.cancelling}
          onCancel={() => void tracker.cancel()}
          now={now}
        />
      )}
      {job && job.state !== 'running' && (
        <Alert
          color={job.state === 'done' ? 'teal' : 'red'}
          variant="light"
          icon={<ShieldCheck size={18} aria-hidden />}
          title={job.state === 'done' ? 'Keys rotated' : `Rotation ${job.state}`}
        >
          <Text size="sm">
            {job.state === 'done'
              ? `${job.progress.done} of ${job.progress.total ?? job.progress.done} files rewrapped.`
              : (job.error?.message ?? 'Stopped; run it again to finish (it resumes).')}
          </Text>
        </Alert>
      )}
      <Group justify="flex-end">
        <Button variant="default" onClick={onClose}>
          {job && job.state !== 'running' ? 'Close' : 'Cancel'}
        </Button>
        {!job && (
          <Button color="orange" onClick={() => void submit()}>
            Rotate keys
          </Button>
        )}
      </Group>
    </Stack>
  )
}
