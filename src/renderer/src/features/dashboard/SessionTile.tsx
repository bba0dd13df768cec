import { Paper, Table, Text, Title } from '@mantine/core'
import type { ReactNode } from 'react'
import type { SessionView } from '../../../../shared/contract'
import { ErrorAlert } from '../../components/ErrorAlert'
import { LocalTime } from '../../components/LocalTime'
import { transport } from '../../lib/api'
import { useCall } from '../../lib/use-call'

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Table.Tr>
      <Table.Th fw={500} c="dimmed" w={130} fz="xs">
        {label}
      </Table.Th>
      <Table.Td fz="xs">{children}</Table.Td>
    </Table.Tr>
  )
}

/** Where this session runs and how long it may last. */
export function SessionTile({ session }: { session: SessionView }) {
  const { state, reload } = useCall('system.status', {})
  return (
    <Paper withBorder p="md">
      <Title order={3} size="h5" mb="xs">
        This session
      </Title>
      <Table verticalSpacing={3} withRowBorders={false}>
        <Table.Tbody>
          <Row label="Client">{transport === 'browser' ? 'Browser mode (loopback only)' : 'Desktop app'}</Row>
          <Row label="Second factor">
            {session.secondFactor === 'otp'
              ? 'Authenticator code'
              : session.secondFactor === 'backup-code'
                ? 'Backup code'
                : 'None at this sign-in'}
          </Row>
          <Row label="Idle timeout">{Math.round(session.idleTimeoutSeconds / 60)} min without activity</Row>
          <Row label="Ends at latest">
            <LocalTime iso={session.absoluteExpiresAt} />
          </Row>
          {state.status === 'ready' && (
            <>
              <Row label="Console version">{state.value.version}</Row>
              <Row label="Data folder">
                <Text span fz="xs" className="qq-mono" style={{ wordBreak: 'break-all' }}>
                  {state.value.dataDir}
                </Text>
              </Row>
            </>
          )}
        </Table.Tbody>
      </Table>
      {state.status === 'error' && (
        <ErrorAlert error={state.error} title="Console status unknown" onRetry={reload} />
      )}
    </Paper>
  )
}
