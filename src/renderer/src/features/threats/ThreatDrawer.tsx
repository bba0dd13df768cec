import {
  Badge,
  Button,
  Code,
  Drawer,
  Group,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core'
import { useState } from 'react'
import type { CallInput, CallOutput } from '../../../../shared/contract'
import type { CallError } from '../../../../shared/result'
import { ErrorAlert } from '../../components/ErrorAlert'
import { LocalTime } from '../../components/LocalTime'
import { SeverityBadge } from '../../components/SeverityBadge'
import { TableSkeleton } from '../../components/TableSkeleton'
import { useCall } from '../../lib/use-call'
import { useAppStore } from '../../store'
import { callApi } from '../../store/call'
import { AllowListDialog } from './AllowListDialog'
import { categoryLabel } from './log-report'
import { StatusBadge } from './StatusBadge'

export type ThreatView = CallOutput<'threats.get'>

interface Props {
  threatId: string | null
  onClose: () => void
  /** A change was saved: the list refreshes. */
  onChanged: () => void
}

/** One threat: its findings with evidence, notes, and the status workflow (forward only). Esc closes it. */
export function ThreatDrawer({ threatId, onClose, onChanged }: Props) {
  return (
    <Drawer
      opened={threatId !== null}
      onClose={onClose}
      position="right"
      size="xl"
      title="Threat"
      closeButtonProps={{ 'aria-label': 'Close the threat' }}
    >
      {threatId && <ThreatDetail key={threatId} threatId={threatId} onChanged={onChanged} />}
    </Drawer>
  )
}

function ThreatDetail({ threatId, onChanged }: { threatId: string; onChanged: () => void }) {
  const { state, reload } = useCall('threats.get', { threatId })
  const [updated, setUpdated] = useState<ThreatView | null>(null)
  if (state.status === 'loading') return <TableSkeleton label="Loading the threat" rows={8} />
  if (state.status === 'error')
    return <ErrorAlert error={state.error} title="The threat could not be read" onRetry={reload} />
  const t = updated ?? state.value
  return (
    <Body
      t={t}
      onUpdated={(next) => {
        setUpdated(next)
        onChanged()
      }}
    />
  )
}

function Body({ t, onUpdated }: { t: ThreatView; onUpdated: (t: ThreatView) => void }) {
  const canChange = useAppStore((s) => s.session?.permissions.includes('system:configure') ?? false)
  const [error, setError] = useState<CallError | null>(null)
  const [busy, setBusy] = useState<string | null>(null)
  const [assignee, setAssignee] = useState(t.assignee ?? '')
  const [note, setNote] = useState('')
  const [allowOpen, setAllowOpen] = useState(false)

  const update = async (what: string, change: Omit<CallInput<'threats.updateStatus'>, 'threatId'>) => {
    setBusy(what)
    setError(null)
    const r = await callApi('threats.updateStatus', { threatId: t.id, ...change })
    setBusy(null)
    if (!r.ok) {
      setError(r.error)
      return false
    }
    onUpdated(r.value)
    return true
  }

  return (
    <Stack gap="md" data-testid="threat-detail" data-status={t.status}>
      <div>
        <Group gap="xs">
          <Title order={3} size="h4" className="qq-mono">
            {t.client}
          </Title>
          <SeverityBadge level={t.maxSeverity} />
          <StatusBadge status={t.status} />
        </Group>
        <Text size="xs" c="dimmed">
          {t.source} · risk {t.risk} · {t.decision === 'block' ? 'would block' : 'alert'} · first{' '}
          <LocalTime iso={t.firstSeen} /> · last <LocalTime iso={t.lastSeen} />
        </Text>
      </div>
      {error && <ErrorAlert error={error} title="Not saved" />}
      {canChange ? (
        <Stack gap="xs">
          <Group gap="xs">
            {t.status === 'active' && (
              <Button
                size="xs"
                loading={busy === 'ack'}
                onClick={() => void update('ack', { status: 'acknowledged' })}
              >
                Acknowledge
              </Button>
            )}
            {t.status !== 'resolved' && (
              <Button
                size="xs"
                variant="default"
                loading={busy === 'resolve'}
                onClick={() => void update('resolve', { status: 'resolved' })}
              >
                Resolve
              </Button>
            )}
            {t.status === 'resolved' && (
              <Text size="xs" c="dimmed">
                Resolved threats stay resolved; a new detection opens a new one.
              </Text>
            )}
            <Button size="xs" variant="default" onClick={() => setAllowOpen(true)}>
              Allow-list…
            </Button>
          </Group>
          <AllowListDialog threat={t} opened={allowOpen} onClose={() => setAllowOpen(false)} />
          <form
            onSubmit={(e) => {
              e.preventDefault()
              void update('assign', { assignee: assignee.trim() ? assignee.trim() : null })
            }}
          >
            <Group gap="xs" align="flex-end">
              <TextInput
                size="xs"
                label="Assignee"
                placeholder="account name"
                value={assignee}
                onChange={(e) => setAssignee(e.currentTarget.value)}
                w={200}
              />
              <Button
                size="xs"
                variant="default"
                type="submit"
                loading={busy === 'assign'}
                disabled={!assignee.trim() && t.assignee === null}
              >
                {assignee.trim() || t.assignee === null ? 'Assign' : 'Unassign'}
              </Button>
            </Group>
          </form>
          <form
            onSubmit={(e) => {
              e.preventDefault()
              void update('note', { note }).then((ok) => ok && setNote(''))
            }}
          >
            <Group gap="xs" align="flex-end">
              <Textarea
                size="xs"
                label="Note"
                autosize
                minRows={1}
                maxRows={4}
                value={note}
                onChange={(e) => setNote(e.currentTarget.value)}
                style={{ flex: 1 }}
              />
              <Button size="xs" variant="default" type="submit" loading={busy === 'note'}>
                Add note
              </Button>
            </Group>
          </form>
        </Stack>
      ) : (
        <Text size="xs" c="dimmed">
          Changing a threat needs the permission <Code>system:configure</Code>.
        </Text>
      )}
      <div>
        <Text size="sm" fw={600} mb={4}>
          Findings ({t.findingCount})
        </Text>
        <Table fz="xs" verticalSpacing={4} aria-label="Findings">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Rule</Table.Th>
              <Table.Th>Category</Table.Th>
              <Table.Th>Severity</Table.Th>
              <Table.Th>Evidence</Table.Th>
              <Table.Th>Location</Table.Th>
              <Table.Th w={140}>Time</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {t.findings.map((f, i) => (
              <Table.Tr key={`${f.rule}-${i}`}>
                <Table.Td>
                  <Text size="xs" fw={500}>
                    {f.name}
                  </Text>
                  <Text size="xs" c="dimmed" className="qq-mono">
                    {f.rule}
                  </Text>
                </Table.Td>
                <Table.Td>{categoryLabel(f.category)}</Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  <SeverityBadge level={f.severity} />
                </Table.Td>
                <Table.Td>
                  <Code fz="xs" style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap' }}>
                    {f.evidence}
                  </Code>
                </Table.Td>
                <Table.Td className="qq-mono">{f.location}</Table.Td>
                <Table.Td className="qq-mono">
                  <LocalTime iso={f.at} />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </div>
      <div>
        <Text size="sm" fw={600} mb={4}>
          Notes ({t.notes.length})
        </Text>
        {t.notes.length === 0 ? (
          <Text size="xs" c="dimmed">
            No notes yet.
          </Text>
        ) : (
          <Stack gap={6}>
            {t.notes.map((n, i) => (
              <div key={i}>
                <Group gap={6}>
                  <Badge size="xs" variant="outline" tt="none" radius="sm">
                    {n.by}
                  </Badge>
                  <Text size="xs" c="dimmed">
                    <LocalTime iso={n.at} />
                  </Text>
                </Group>
                <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                  {n.text}
                </Text>
              </div>
            ))}
          </Stack>
        )}
      </div>
    </Stack>
  )
}
