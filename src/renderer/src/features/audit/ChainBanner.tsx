import { Alert, Button, Code, Group, Text } from '@mantine/core'
import { ShieldCheck, ShieldX } from 'lucide-react'
import { LocalTime } from '../../components/LocalTime'
import { useAttendedInterval } from '../../lib/use-attended-interval'
import { useCall } from '../../lib/use-call'

const EVERY_MS = 5 * 60_000

/** The hash chain's state, checked when the view opens, every five minutes while in use, and on demand. */
export function ChainBanner() {
  const { state, reload, refreshing } = useCall('audit.verify', {})
  // Scheduled checks only while someone uses the page: they are calls, and would keep an unattended session alive.
  useAttendedInterval(reload, EVERY_MS, EVERY_MS)

  const verifyButton = (
    <Button
      size="compact-xs"
      variant="default"
      onClick={reload}
      loading={refreshing || state.status === 'loading'}
    >
      Verify now
    </Button>
  )

  if (state.status === 'loading')
    return (
      <Alert color="gray" variant="light" py={6} mb="sm" data-testid="chain-banner" data-chain="checking">
        <Group justify="space-between" gap="xs">
          <Text size="sm">Checking the audit chain…</Text>
          {verifyButton}
        </Group>
      </Alert>
    )
  if (state.status === 'error')
    return (
      <Alert color="yellow" variant="light" py={6} mb="sm" data-testid="chain-banner" data-chain="unknown">
        <Group justify="space-between" gap="xs">
          <Text size="sm">
            The chain could not be checked: {state.error.message} <Code>{state.error.code}</Code>
          </Text>
          {verifyButton}
        </Group>
      </Alert>
    )
  const v = state.value
  const first = v.problems[0]
  if (v.ok || !first)
    return (
      <Alert
        color="teal"
        variant="light"
        py={6}
        mb="sm"
        icon={<ShieldCheck size={18} aria-hidden />}
        data-testid="chain-banner"
        data-chain="intact"
      >
        <Group justify="space-between" gap="xs" wrap="nowrap">
          <Text size="sm">
            <b>Audit chain intact</b> — {v.entries.toLocaleString()} entries
            {v.archivedThrough !== null &&
              ` (from entry ${(v.archivedThrough + 1).toLocaleString()}; older ones are archived)`}
            , {v.checkpoints} signed checkpoints
            {v.outsideCheckpoint ? (
              <>
                , last outside checkpoint at entry {v.outsideCheckpoint.count.toLocaleString()} (
                <LocalTime iso={v.outsideCheckpoint.time} />)
              </>
            ) : (
              ', no checkpoint outside the database yet'
            )}
            .
          </Text>
          {verifyButton}
        </Group>
      </Alert>
    )
  return (
    <Alert
      color="red"
      variant="filled"
      py={6}
      mb="sm"
      role="alert"
      icon={<ShieldX size={18} aria-hidden />}
      data-testid="chain-banner"
      data-chain="broken"
    >
      <Group justify="space-between" gap="xs" wrap="nowrap">
        <div>
          <Text size="sm">
            <b>Audit chain broken</b> — {first.kind}
            {first.seq !== null && ` at entry #${first.seq}`}: {first.message}
          </Text>
          <Text size="xs">
            {v.problems.length > 1 ? `${v.problems.length - 1} more problem(s). ` : ''}Run{' '}
            <Code>qqsec audit verify --json</Code> on the console machine for every problem.
          </Text>
        </div>
        {verifyButton}
      </Group>
    </Alert>
  )
}
