import { AppShell } from '@mantine/core'
import { useEffect } from 'react'
import { navigate, useHashLocation } from '../../lib/hash-router'
import { useAppStore } from '../../store'
import { ThreatAlerts } from '../threats/ThreatAlerts'
import { NavBar } from './NavBar'
import { isRouteId, SHORTCUT_ROUTES } from './routes'
import { RouteView } from './RouteView'
import { ShortcutsDialog } from './ShortcutsDialog'
import { TopBar } from './TopBar'
import { useShortcuts } from './use-shortcuts'

export function Shell() {
  const session = useAppStore((s) => s.session)
  const { path } = useHashLocation()
  const route = isRouteId(path) ? path : 'dashboard'
  useShortcuts()

  useEffect(() => {
    if (path !== route) navigate(route, { replace: true })
  }, [path, route])

  useEffect(() => {
    const label = SHORTCUT_ROUTES.find((r) => r.id === route)?.label ?? 'Console'
    document.title = `${label} · QQ-Verse Security Console`
  }, [route])

  if (!session) return null
  return (
    <AppShell header={{ height: 52 }} navbar={{ width: 210, breakpoint: 0 }} padding="lg">
      <AppShell.Header>
        <TopBar session={session} />
      </AppShell.Header>
      <AppShell.Navbar>
        <NavBar active={route} />
      </AppShell.Navbar>
      <AppShell.Main>
        <RouteView route={route} />
      </AppShell.Main>
      <ShortcutsDialog />
      <ThreatAlerts />
    </AppShell>
  )
}
