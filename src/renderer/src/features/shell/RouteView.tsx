import { AuditView } from '../audit/AuditView'
import { ComplianceView } from '../compliance/ComplianceView'
import { DashboardView } from '../dashboard/DashboardView'
import { ScansView } from '../scans/ScansView'
import { VaultView } from '../vault/VaultView'
import { SettingsView } from '../settings/SettingsView'
import { ThreatsView } from '../threats/ThreatsView'
import { AccountView } from '../account/AccountView'
import { UsersView } from '../users/UsersView'
import type { RouteId } from './routes'

export function RouteView({ route }: { route: RouteId }) {
  switch (route) {
    case 'dashboard':
      return <DashboardView />
    case 'vault':
      return <VaultView />
    case 'scans':
      return <ScansView />
    case 'threats':
      return <ThreatsView />
    case 'audit':
      return <AuditView />
    case 'compliance':
      return <ComplianceView />
    case 'users':
      return <UsersView />
    case 'settings':
      return <SettingsView />
    case 'account':
      return <AccountView />
  }
}
