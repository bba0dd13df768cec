import { Button, Group, Text } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { useEffect } from 'react'
import { navigate, pathWithQuery } from '../../lib/hash-router'
import { SEVERITY_LABEL } from '../../lib/severity'
import { useAppStore } from '../../store'
import { callApi } from '../../store/call'
import { categoryLabel } from './log-report'
import type { ThreatView } from './ThreatDrawer'
import { useAttendedInterval } from '../../lib/use-attended-interval'

const POLL_MS = 30_000
/** A poll goes out only if someone used the page this recently, so polls barely extend an idle session. */
const ACTIVE_WITHIN_MS = 10_000
const ERROR_ID = 'threat-alerts-error'

/**
 * What this browser session has seen, in memory only: the first successful poll only records the threats
 * that already exist, later polls notify for ids not seen before.
 */
const seen = new Set<string>()
let primed = false
let errorShown = false

function announce(t: ThreatView) {
  const id = `threat-alert-${t.id}`
  notifications.show({
    id,
    color: t.decision === 'block' ? 'red' : 'orange',
    title: t.decision === 'block' ? 'Threat: blocked' : 'Threat: alert',
    autoClose: 15_000,
    message: (
      <Group justify="space-between" gap="xs" wrap="nowrap" data-testid="threat-alert" data-threat={t.client}>
        <Text size="sm">
          {SEVERITY_LABEL[t.maxSeverity]} · <span className="qq-mono">{t.client}</span> ·{' '}
          {t.categories.map(categoryLabel).join(', ')}
        </Text>
        <Button
          size="compact-xs"
          variant="light"
          aria-label={`Open the threat from ${t.client}`}
          onClick={() => {
            notifications.hide(id)
            navigate(pathWithQuery('threats', { threat: t.id }))
          }}
        >
          Open
        </Button>
      </Group>
    ),
  })
}

async function poll(): Promise<void> {
  const r = await callApi('threats.list', { status: 'active', limit: 20 })
  if (!r.ok) {
    if (!errorShown) {
      errorShown = true
      notifications.show({
        id: ERROR_ID,
        color: 'red',
        title: 'Threat alerts paused',
        message: `New threats could not be checked (${r.error.code}). Trying again every 30 seconds.`,
        autoClose: 8000,
      })
    }
    return
  }
  errorShown = false
  const fresh = r.value.threats.filter((t) => !seen.has(t.id))
  for (const t of fresh) seen.add(t.id)
  if (!primed) {
    primed = true
    return
  }
  for (const t of fresh) announce(t)
}

/**
 * Polls the active threats every 30 s while the session may read them and someone is using the console; renders
 * nothing. An unattended console is not polled, so the idle lock and the server's idle timeout still apply.
 */
export function ThreatAlerts() {
  const allowed = useAppStore((s) => s.session?.permissions.includes('system:monitor') ?? false)
  useEffect(() => {
    if (allowed) void poll() // at once when the console opens
  }, [allowed])
  useAttendedInterval(() => void poll(), POLL_MS, ACTIVE_WITHIN_MS, allowed)
  return null
}
