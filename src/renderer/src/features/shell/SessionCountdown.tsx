import { Group, Text, Tooltip } from '@mantine/core'
import { Timer } from 'lucide-react'
import { useEffect, useRef } from 'react'
import type { SessionView } from '../../../../shared/contract'
import { duration, localTime } from '../../lib/time'
import { useNow } from '../../lib/use-now'
import { useAppStore } from '../../store'
import { callApi } from '../../store/call'

/**
 * Time left until the session ends: the idle deadline (moved by every call) or the absolute one, whichever
 * is first. At zero it asks main, which decides: either the session is gone (back to Login) or it lives on.
 */
export function SessionCountdown({ session }: { session: SessionView }) {
  const now = useNow()
  const sessionRefreshed = useAppStore((s) => s.sessionRefreshed)
  const idleEnd = Date.parse(session.idleExpiresAt)
  const absoluteEnd = Date.parse(session.absoluteExpiresAt)
  const end = Math.min(idleEnd, absoluteEnd)
  const left = end - now
  const asked = useRef<number | null>(null)

  useEffect(() => {
    if (left > 0 || asked.current === end) return
    asked.current = end
    void callApi('auth.session', {}).then((result) => {
      if (result.ok) sessionRefreshed(result.value)
    })
  }, [left, end, sessionRefreshed])

  const minutes = Math.round(session.idleTimeoutSeconds / 60)
  const why =
    idleEnd <= absoluteEnd ? `after ${minutes} min without activity` : 'at the session’s maximum length'
  const tip = `Ends ${why}, at ${localTime(new Date(end).toISOString())}. Latest possible end: ${localTime(session.absoluteExpiresAt)}.`
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
