import { Badge, Button, Group, Paper, Table, Text, Tooltip } from '@mantine/core'
import { FileJson, FileSpreadsheet, RefreshCw } from 'lucide-react'
import { ErrorAlert } from '../../components/ErrorAlert'
import { LocalTime } from '../../components/LocalTime'
import { TableSkeleton } from '../../components/TableSkeleton'
import { downloadText, fileStamp } from '../../lib/download'
import { SEVERITY_COLOR, type Severity } from '../../lib/severity'
import { useCall } from '../../lib/use-call'
import { MfaBadge, RoleBadges } from './badges'
import { accessReviewCsv, accessReviewJson } from './access-review-export'
import { plural } from '../../lib/words'

/** What each flag means and how much it matters, on the console's one severity scale. */
const FLAGS: Readonly<Record<string, { level: Severity; meaning: string }>> = {
  'admin-without-mfa': {
    level: 'high',
    meaning: 'An administrator account without two-factor authentication',
  },
  'unused-90-days': {
    level: 'medium',
    meaning: 'No sign-in for more than 90 days: remove it if nobody needs it',
  },
  'temporary-elevation': {
    level: 'low',
    meaning: 'Holds a role for a limited time; check that it is still needed',
  },
}

function FlagBadge({ flag }: { flag: string }) {
  const info = FLAGS[flag]
  return (
    <Tooltip label={info?.meaning ?? flag} multiline w={260}>
      <Badge
        variant="dot"
        color={info ? SEVERITY_COLOR[info.level] : 'gray'}
        size="sm"
        radius="sm"
        tt="none"
        tabIndex={0}
        data-focus-ring
        data-flag={flag}
      >
        {flag}
      </Badge>
    </Tooltip>
  )
}

/** users.accessReview as a table, with JSON and CSV exports of exactly what it shows. */
export function AccessReviewTab() {
  const { state, reload, refreshing } = useCall('users.accessReview', {})
  if (state.status === 'loading') return <TableSkeleton label="Loading the access review" rows={5} />
  if (state.status === 'error')
    return <ErrorAlert error={state.error} title="The access review could not be made" onRetry={reload} />
  const { generatedAt, rows } = state.value
  const flagged = rows.filter((r) => r.flags.length > 0).length
  const stamp = fileStamp(generatedAt)

  return (
    <>
      <Group justify="space-between" mb="xs">
        <Text size="sm" c="dimmed" aria-live="polite">
          Generated <LocalTime iso={generatedAt} /> · {plural(rows.length, 'account')} ·{' '}
          {flagged === 0 ? 'nothing flagged' : `${flagged} flagged`}
        </Text>
        <Group gap="xs">
          <Button
            size="xs"
            variant="default"
            leftSection={<RefreshCw size={14} aria-hidden />}
            onClick={reload}
            loading={refreshing}
          >
            Refresh
          </Button>
          <Button
            size="xs"
            variant="default"
            leftSection={<FileJson size={14} aria-hidden />}
            onClick={() =>
              downloadText(
                `qqsec-access-review-${stamp}.json`,
                accessReviewJson(generatedAt, rows),
                'application/json',
              )
            }
            disabled={rows.length === 0}
          >
            Export JSON
          </Button>
          <Button
            size="xs"
            variant="default"
            leftSection={<FileSpreadsheet size={14} aria-hidden />}
            onClick={() =>
              downloadText(
                `qqsec-access-review-${stamp}.csv`,
                accessReviewCsv(rows),
                'text/csv;charset=utf-8',
              )
            }
            disabled={rows.length === 0}
          >
            Export CSV
          </Button>
        </Group>
      </Group>
      <Paper withBorder>
        {rows.length === 0 ? (
          <Text size="sm" p="lg">
            There are no accounts to review.
          </Text>
        ) : (
          <Table.ScrollContainer type="native" minWidth={900}>
            <Table striped verticalSpacing={6} fz="sm">
              <caption className="qq-sr-only">Access review</caption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Account</Table.Th>
                  <Table.Th>Roles</Table.Th>
                  <Table.Th>Temporary</Table.Th>
                  <Table.Th>Two-factor</Table.Th>
                  <Table.Th>Last sign-in</Table.Th>
                  <Table.Th>Flags</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((r) => (
                  <Table.Tr key={r.name} data-review-row={r.name}>
                    <Table.Td>
                      <Text size="sm" fw={500}>
                        {r.name}
                        {r.locked && (
                          <Badge ml={6} variant="light" color="red" size="xs" radius="sm" tt="none">
                            locked
                          </Badge>
                        )}
                      </Text>
                      <Text size="xs" c="dimmed">
                        {r.email ?? 'no e-mail'} · {plural(r.permissions.length, 'permission')}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <RoleBadges user={r} />
                    </Table.Td>
                    <Table.Td>
                      {r.elevations.length === 0 ? (
                        <Text span size="sm" c="dimmed">
                          none
                        </Text>
                      ) : (
                        r.elevations.map((e) => (
                          <Text key={e.role} size="xs">
                            {e.role} until <LocalTime iso={e.expiresAt} />
                          </Text>
                        ))
                      )}
                    </Table.Td>
                    <Table.Td>
                      <MfaBadge enabled={r.mfaEnabled} />
                    </Table.Td>
                    <Table.Td className="qq-mono">
                      {r.lastLoginAt ? (
                        <LocalTime iso={r.lastLoginAt} />
                      ) : (
                        <Text span size="xs" c="dimmed">
                          never
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Group gap={4}>
                        {r.flags.map((f) => (
                          <FlagBadge key={f} flag={f} />
                        ))}
                        {r.flags.length === 0 && (
                          <Text span size="xs" c="dimmed">
                            none
                          </Text>
                        )}
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Paper>
      <Text size="xs" c="dimmed" mt="xs">
        The exports hold exactly these rows; CSV times are UTC. Reading the review is recorded in the audit
        trail.
      </Text>
    </>
  )
}
