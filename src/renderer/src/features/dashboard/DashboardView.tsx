import { Anchor, Badge, Box, Grid, Group, Paper, Stack, Text, Title } from '@mantine/core'
import type { SessionView } from '../../../../shared/contract'
import { ErrorAlert } from '../../components/ErrorAlert'
import { LocalTime } from '../../components/LocalTime'
import { MissingPermission } from '../../components/MissingPermission'
import { TableSkeleton } from '../../components/TableSkeleton'
import { ViewHeader } from '../../components/ViewHeader'
import { hrefFor } from '../../lib/hash-router'
import { useCall } from '../../lib/use-call'
import { useAppStore } from '../../store'
import { AuditTable } from '../audit/AuditTable'
import { MetricsSection } from './MetricsRow'
import { SessionTile } from './SessionTile'

export function DashboardView() {
  const session = useAppStore((s) => s.session)
  if (!session) return null
  return (
    <>
      <ViewHeader title="Dashboard" description="Your account and what the console has recorded lately." />
      <Title order={3} size="h5" mb="xs">
        The last 7 days
      </Title>
      <Box mb="md">
        {session.permissions.includes('system:monitor') ? (
          <MetricsSection />
        ) : (
          <MissingPermission permission="system:monitor" what="The security metrics" />
        )}
      </Box>
      <Grid gap="md">
        <Grid.Col span={{ base: 12, lg: 4 }}>
          <Stack gap="md">
            <WelcomeTile session={session} />
            <SessionTile session={session} />
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 8 }}>
          <Paper withBorder p="md">
            <Group justify="space-between" mb="xs">
              <Title order={3} size="h5">
                Newest audit entries
              </Title>
              {session.permissions.includes('system:monitor') && (
                <Anchor href={hrefFor('audit')} size="sm">
                  Open the audit view
                </Anchor>
              )}
            </Group>
            {session.permissions.includes('system:monitor') ? (
              <RecentAudit />
            ) : (
              <MissingPermission permission="system:monitor" what="The audit trail" />
            )}
          </Paper>
        </Grid.Col>
      </Grid>
    </>
  )
}

function WelcomeTile({ session }: { session: SessionView }) {
  const { user, permissions } = session
  const byDomain = new Map<string, string[]>()
  for (const p of permissions) {
    const [domain = p, verb = ''] = p.split(':')
    byDomain.set(domain, [...(byDomain.get(domain) ?? []), verb])
  }
  return (
    <Paper withBorder p="md">
      <Stack gap="sm">
        <div>
          <Title order={3} size="h5">
            Welcome, {user.name}
          </Title>
          <Text size="xs" c="dimmed">
            {user.email ?? 'No e-mail on file'} · two-factor {user.mfaEnabled ? 'on' : 'off'}
          </Text>
          {user.lastLoginAt && (
            <Text size="xs" c="dimmed">
              Last sign-in <LocalTime iso={user.lastLoginAt} />
            </Text>
          )}
        </div>
        <div>
          <Text size="xs" fw={500} c="dimmed" mb={4}>
            Roles
          </Text>
          <Group gap={4}>
            {user.roles.map((r) => (
              <Badge key={r} variant="outline" size="sm" radius="sm" tt="none">
                {r}
              </Badge>
            ))}
          </Group>
        </div>
        <div>
          <Text size="xs" fw={500} c="dimmed" mb={4}>
            Permissions ({permissions.length})
          </Text>
          <Stack gap={4} component="dl" m={0}>
            {[...byDomain].map(([domain, verbs]) => (
              <Group key={domain} gap={6} wrap="nowrap" align="baseline">
                <Text component="dt" size="xs" fw={500} w={96} style={{ flexShrink: 0 }}>
                  {domain}
                </Text>
                <Text component="dd" size="xs" c="dimmed" m={0} className="qq-mono">
                  {verbs.join(' · ')}
                </Text>
              </Group>
            ))}
          </Stack>
        </div>
      </Stack>
    </Paper>
  )
}

function RecentAudit() {
  const { state, reload } = useCall('audit.recent', { limit: 10 })
  if (state.status === 'loading') return <TableSkeleton label="Loading the newest audit entries" rows={10} />
  if (state.status === 'error')
    return <ErrorAlert error={state.error} title="The audit trail could not be read" onRetry={reload} />
  if (state.value.entries.length === 0) return <Text size="sm">Nothing has been recorded yet.</Text>
  return <AuditTable entries={state.value.entries} compact caption="The 10 newest audit entries" />
}
