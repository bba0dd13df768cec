import { Group, Text, Tooltip } from '@mantine/core'
import { Timer } from 'lucide-react'
import { useEffect } from 'react'
import type { SessionView } from '../../../../shared/contract'
import { duration, localTime } from '../../lib/time'
import { useNow } from '../../lib/use-now'
import { useAppStore } from '../../store'

/**
 * Time left until the session ends: the idle deadline (moved by every call) or the absolute one, whichever
 * is first. At zero the console locks itself: main has ended the session by then, and the lock screen asks
 * the same account to sign in again without losing the place.
 */
export function SessionCountdown({ session }: { session: SessionView }) {
  const now = useNow()
  const lockConsole = useAppStore((s) => s.lockConsole)
  const idleEnd = Date.parse(session.idleExpiresAt)
  const absoluteEnd = Date.parse(session.absoluteExpiresAt)
  const end = Math.min(idleEnd, absoluteEnd)
  const left = end - now

  useEffect(() => {
    if (left <= 0) lockConsole(idleEnd <= absoluteEnd ? 'idle' : 'lifetime')
  }, [left, idleEnd, absoluteEnd, lockConsole])

  const minutes = Math.round(session.idleTimeoutSeconds / 60)
  const why =
    idleEnd <= absoluteEnd ? `after ${minutes} min without activity` : 'at the session’s maximum length'
  const tip = `Locks ${why}, at ${localTime(new Date(end).toISOString())}. Latest possible end: ${localTime(session.absoluteExpiresAt)}.`
  const urgent = left < 60_000
  return (
    <Tooltip label={tip} multiline w={280}>
      <Group
        gap={6}
        wrap="nowrap"
        tabIndex={0}
        data-focus-ring
        aria-label={`Session time left ${duration(left)}. ${tip}`}
      >
        <Timer size={16} aria-hidden color={urgent ? 'var(--mantine-color-orange-filled)' : undefined} />
        <Text size="sm" c={urgent ? 'orange' : undefined} className="qq-mono" data-testid="session-left">
          {duration(left)}
        </Text>
      </Group>
    </Tooltip>
  )
}
