import { Badge, Button, Grid, Group, Modal, Paper, Table, Text, Title } from '@mantine/core'
import { LogOut } from 'lucide-react'
import { useState } from 'react'
import { ActionForm } from '../../components/ActionForm'
import { ErrorAlert } from '../../components/ErrorAlert'
import { LocalTime } from '../../components/LocalTime'
import { TableSkeleton } from '../../components/TableSkeleton'
import { ViewHeader } from '../../components/ViewHeader'
import { useCall } from '../../lib/use-call'
import { useAppStore } from '../../store'
import { callApi } from '../../store/call'
import { plural } from '../../lib/words'
import { ChangePasswordCard } from './ChangePasswordCard'
import { TwoFactorCard } from './TwoFactorCard'

/** Your own account: password, two-factor, and where you are signed in. */
export function AccountView() {
  const session = useAppStore((s) => s.session)
  const sessionRefreshed = useAppStore((s) => s.sessionRefreshed)
  const sessions = useCall('auth.listSessions', {})
  if (!session) return null
  const { user } = session

  const refreshSession = () => {
    void callApi('auth.session', {}).then((r) => r.ok && sessionRefreshed(r.value))
  }

  return (
    <>
      <ViewHeader
        title="Your account"
        description={`${user.name} · ${user.email ?? 'no e-mail on file'} · roles: ${user.roles.join(', ') || 'none'}`}
      />
      <Grid gap="md">
        <Grid.Col span={{ base: 12, lg: 6 }}>
          <ChangePasswordCard user={user} onChanged={sessions.reload} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 6 }}>
          <TwoFactorCard
            accountName={user.name}
            onChanged={() => {
              refreshSession()
              sessions.reload()
            }}
          />
        </Grid.Col>
        <Grid.Col span={12}>
          <SessionsCard accountName={user.name} sessions={sessions} />
        </Grid.Col>
      </Grid>
    </>
  )
}

function SessionsCard({
  accountName,
  sessions,
}: {
  accountName: string
  sessions: ReturnType<typeof useCall<'auth.listSessions'>>
}) {
  const signedOut = useAppStore((s) => s.signedOut)
  const [confirming, setConfirming] = useState(false)
  const { state, reload, refreshing } = sessions
  const list = state.status === 'ready' ? state.value.sessions : null

  return (
    <Paper withBorder p="md" component="section" aria-label="Your sessions">
      <Group justify="space-between" mb="xs">
        <div>
          <Title order={3} size="h5">
            Your sessions{list ? ` (${list.length})` : ''}
          </Title>
          <Text size="xs" c="dimmed">
            Every place where {accountName} is signed in now{refreshing ? ' · refreshing…' : ''}.
          </Text>
        </div>
        <Button
          size="xs"
          variant="light"
          color="red"
          leftSection={<LogOut size={14} aria-hidden />}
          onClick={() => setConfirming(true)}
        >
          Sign out everywhere
        </Button>
      </Group>
      {state.status === 'loading' && <TableSkeleton label="Loading your sessions" rows={2} />}
      {state.status === 'error' && (
        <ErrorAlert error={state.error} title="Your sessions could not be read" onRetry={reload} />
      )}
      {list && (
        <Table.ScrollContainer type="native" minWidth={700}>
          <Table striped verticalSpacing={5} fz="sm">
            <caption className="qq-sr-only">Your sessions</caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Client</Table.Th>
                <Table.Th>Signed in</Table.Th>
                <Table.Th>Last call</Table.Th>
                <Table.Th>Ends at latest</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.map((s) => (
                <Table.Tr key={s.id} data-current={s.current || undefined}>
                  <Table.Td>
                    <Group gap={6} wrap="nowrap">
                      <span className="qq-mono">{s.client}</span>
                      {s.current && (
                        <Badge size="xs" variant="light" radius="sm" tt="none">
                          this session
                        </Badge>
                      )}
                    </Group>
                  </Table.Td>
                  <Table.Td className="qq-mono">
                    <LocalTime iso={s.createdAt} />
                  </Table.Td>
                  <Table.Td className="qq-mono">
                    <LocalTime iso={s.lastSeenAt} />
                  </Table.Td>
                  <Table.Td className="qq-mono">
                    <LocalTime iso={s.absoluteExpiresAt} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <Modal opened={confirming} onClose={() => setConfirming(false)} title="Sign out everywhere" size="md">
        <ActionForm
          tone="danger"
          confirmLabel="Sign out everywhere"
          consequence={
            list?.length === 1 ? (
              <>
                End {accountName}'s only session, this one: you return to the sign-in screen, and every other
                device must sign in again too.
              </>
            ) : (
              <>
                End {list ? `all ${list.length} sessions` : 'every session'} of {accountName}, this one
                included: every window and browser where you are signed in returns to the sign-in screen.
              </>
            )
          }
          run={() => callApi('auth.signOutEverywhere', {})}
          onDone={(value) =>
            signedOut({
              tone: 'info',
              text: `Signed out everywhere: ${plural(value.ended, 'session')} ended.`,
            })
          }
          onCancel={() => setConfirming(false)}
        />
      </Modal>
    </Paper>
  )
}
