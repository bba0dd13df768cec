import {
  Badge,
  Button,
  Group,
  Modal,
  Paper,
  SegmentedControl,
  Stack,
  Table,
  Text,
  Textarea,
} from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { useState, type FormEvent } from 'react'
import { contract } from '../../../../shared/contract'
import type { CallError } from '../../../../shared/result'
import { ErrorAlert } from '../../components/ErrorAlert'
import { LocalTime } from '../../components/LocalTime'
import { TableSkeleton } from '../../components/TableSkeleton'
import { fieldError } from '../../lib/field-error'
import { useCan } from '../../lib/permissions'
import { useCall } from '../../lib/use-call'
import { callApi } from '../../store/call'
import type { Waiver } from './scan-types'

const STATE_COLOR = { active: 'teal', expired: 'gray', revoked: 'red' } as const
type StateFilter = 'all' | Waiver['state']

/** The scanner's waivers: what is accepted, why, by whom, until when; revoke with a reason. */
export function WaiversTab({ version }: { version: number }) {
  const [state, setState] = useState<StateFilter>('active')
  const canRevoke = useCan('system:configure')
  const [revoking, setRevoking] = useState<Waiver | null>(null)
  const call = useCall('waivers.list', { domain: 'scanner', ...(state === 'all' ? {} : { state }) })
  const [seen, setSeen] = useState(version)
  if (seen !== version) {
    setSeen(version)
    call.reload()
  }
  return (
    <Stack gap="sm">
      <SegmentedControl
        size="xs"
        w={360}
        value={state}
        onChange={(v) => setState(v as StateFilter)}
        data={[
          { value: 'active', label: 'Active' },
          { value: 'expired', label: 'Expired' },
          { value: 'revoked', label: 'Revoked' },
          { value: 'all', label: 'All' },
        ]}
        aria-label="Waiver state"
      />
      {call.state.status === 'loading' && <TableSkeleton label="Loading the waivers" rows={4} />}
      {call.state.status === 'error' && (
        <ErrorAlert error={call.state.error} title="The waivers could not be read" onRetry={call.reload} />
      )}
      {call.state.status === 'ready' && call.state.value.waivers.length === 0 && (
        <Paper withBorder p="lg">
          <Text size="sm">
            No {state === 'all' ? '' : `${state} `}waiver. To accept a risk, open a finding in Results and
            choose “Accept risk…”.
          </Text>
        </Paper>
      )}
      {call.state.status === 'ready' && call.state.value.waivers.length > 0 && (
        <Paper withBorder>
          <Table
            fz="sm"
            verticalSpacing={4}
            aria-label="Scanner waivers, newest first"
            data-testid="waivers-table"
          >
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Scope</Table.Th>
                <Table.Th>Reason</Table.Th>
                <Table.Th>Owner</Table.Th>
                <Table.Th>Approver</Table.Th>
                <Table.Th>Expires</Table.Th>
                <Table.Th>State</Table.Th>
                <Table.Th>Created</Table.Th>
                {canRevoke && <Table.Th />}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {call.state.value.waivers.map((w) => (
                <Table.Tr key={w.id}>
                  <Table.Td>
                    <Text size="xs" c="dimmed">
                      {w.scope.kind}
                    </Text>
                    <Text size="xs" className="qq-mono" maw={260} style={{ wordBreak: 'break-all' }}>
                      {w.scope.value}
                    </Text>
                  </Table.Td>
                  <Table.Td maw={260}>
                    <Text size="sm">{w.reason}</Text>
                    {w.revokeReason && (
                      <Text size="xs" c="dimmed">
                        Revoked by {w.revokedBy ?? '?'}: {w.revokeReason}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>{w.owner}</Table.Td>
                  <Table.Td>{w.approver ?? '—'}</Table.Td>
                  <Table.Td>
                    <LocalTime iso={w.expiresAt} />
                  </Table.Td>
                  <Table.Td>
                    <Badge size="sm" variant="light" color={STATE_COLOR[w.state]} radius="sm" tt="none">
                      {w.state}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    <Text size="xs">
                      <LocalTime iso={w.createdAt} />
                    </Text>
                    <Text size="xs" c="dimmed">
                      by {w.createdBy ?? '?'}
                    </Text>
                  </Table.Td>
                  {canRevoke && (
                    <Table.Td>
                      {w.state === 'active' && (
                        <Button size="compact-xs" variant="subtle" color="red" onClick={() => setRevoking(w)}>
                          Revoke…
                        </Button>
                      )}
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Paper>
      )}
      <Modal opened={revoking !== null} onClose={() => setRevoking(null)} title="Revoke this waiver">
        {revoking && (
          <RevokeForm
            waiver={revoking}
            onCancel={() => setRevoking(null)}
            onDone={() => {
              setRevoking(null)
              call.reload()
            }}
          />
        )}
      </Modal>
    </Stack>
  )
}

const reasonSchema = contract['waivers.revoke'].input.shape.reason

function RevokeForm({
  waiver,
  onCancel,
  onDone,
}: {
  waiver: Waiver
  onCancel: () => void
  onDone: () => void
}) {
  const [reason, setReason] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [failure, setFailure] = useState<CallError | null>(null)
  const [busy, setBusy] = useState(false)
  const submit = async (e: FormEvent) => {
    e.preventDefault()
    const problem = fieldError(reasonSchema, reason)
    setError(problem)
    if (problem) return
    setBusy(true)
    const r = await callApi('waivers.revoke', { waiverId: waiver.id, reason: reason.trim() })
    setBusy(false)
    if (!r.ok) return setFailure(r.error)
    notifications.show({
      color: 'teal',
      title: 'Waiver revoked',
      message: `${waiver.scope.kind} ${waiver.scope.value}`,
    })
    onDone()
  }
  return (
    <form onSubmit={(e) => void submit(e)} noValidate>
      <Stack gap="sm">
        <Text size="sm">
          The findings covered by <span className="qq-mono">{waiver.scope.value}</span> ({waiver.scope.kind})
          count as open again from the next scan. The waiver stays in the list as revoked, with your reason.
        </Text>
        <Textarea
          label="Reason"
          required
          autosize
          minRows={2}
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
          error={error}
          data-autofocus
        />
        {failure && <ErrorAlert error={failure} title="The waiver was not revoked" />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" color="red" loading={busy}>
            Revoke waiver
          </Button>
        </Group>
      </Stack>
    </form>
  )
}
