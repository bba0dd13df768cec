import { Badge, Group, Text } from '@mantine/core'
import { Clock, Lock, ShieldCheck, ShieldOff } from 'lucide-react'
import type { UserView } from '../../../../shared/contract'
import { LockEnd } from '../../components/LocalTime'
import { localTime, utcTime } from '../../lib/time'

export function LockStateBadge({ user, withEnd = true }: { user: UserView; withEnd?: boolean }) {
  if (!user.locked) {
    return (
      <Badge variant="light" color="teal" size="sm" radius="sm" tt="none" data-lock-state="active">
        Active
      </Badge>
    )
  }
  return (
    <Group gap={6} wrap="nowrap">
      <Badge
        variant="light"
        color="red"
        size="sm"
        radius="sm"
        tt="none"
        leftSection={<Lock size={11} aria-hidden />}
        data-lock-state="locked"
      >
        Locked
      </Badge>
      {withEnd && user.lockedUntil && (
        <Text size="xs" c="dimmed">
          <LockEnd iso={user.lockedUntil} />
        </Text>
      )}
    </Group>
  )
}

export function MfaBadge({ enabled }: { enabled: boolean }) {
  return (
    <Badge
      variant="light"
      color={enabled ? 'teal' : 'gray'}
      size="sm"
      radius="sm"
      tt="none"
      leftSection={enabled ? <ShieldCheck size={11} aria-hidden /> : <ShieldOff size={11} aria-hidden />}
    >
      {enabled ? 'On' : 'Off'}
    </Badge>
  )
}

/** Standing roles in outline; timed ones (elevations) in orange with a clock and their end on hover. */
export function RoleBadges({ user }: { user: Pick<UserView, 'roles' | 'elevations'> }) {
  const timed = new Map(user.elevations.map((e) => [e.role, e.expiresAt]))
  return (
    <Group gap={4}>
      {user.roles.map((r) => {
        const until = timed.get(r)
        return until ? (
          <Badge
            key={r}
            variant="outline"
            color="orange"
            size="sm"
            radius="sm"
            tt="none"
            leftSection={<Clock size={10} aria-hidden />}
            title={`Granted for a limited time, until ${localTime(until)} (${utcTime(until)})`}
          >
            {r}
          </Badge>
        ) : (
          <Badge key={r} variant="outline" size="sm" radius="sm" tt="none">
            {r}
          </Badge>
        )
      })}
      {user.roles.length === 0 && (
        <Text size="xs" c="dimmed">
          no role
        </Text>
      )}
    </Group>
  )
}
