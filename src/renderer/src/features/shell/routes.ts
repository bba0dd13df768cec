import {
  ClipboardCheck,
  Gauge,
  History,
  KeyRound,
  Radar,
  Settings,
  ShieldAlert,
  UserRound,
  Users,
  type LucideIcon,
} from 'lucide-react'

export const ROUTE_IDS = [
  'dashboard',
  'vault',
  'scans',
  'threats',
  'audit',
  'compliance',
  'users',
  'settings',
  'account',
] as const
export type RouteId = (typeof ROUTE_IDS)[number]

export interface RouteSpec {
  id: RouteId
  label: string
  icon: LucideIcon
  /** Second key of the "g then …" shortcut. */
  key: string
}

/** The views in the left navigation, in order. */
export const ROUTES: readonly RouteSpec[] = [
  { id: 'dashboard', label: 'Dashboard', icon: Gauge, key: 'd' },
  { id: 'vault', label: 'Vault', icon: KeyRound, key: 'v' },
  { id: 'scans', label: 'Scans', icon: Radar, key: 's' },
  { id: 'threats', label: 'Threats', icon: ShieldAlert, key: 't' },
  { id: 'audit', label: 'Audit', icon: History, key: 'a' },
  { id: 'compliance', label: 'Compliance', icon: ClipboardCheck, key: 'c' },
  { id: 'users', label: 'Users', icon: Users, key: 'u' },
  { id: 'settings', label: 'Settings', icon: Settings, key: ',' },
]

/** Your own account: reached from the user name in the top bar, not from the navigation. */
export const ACCOUNT_ROUTE: RouteSpec = { id: 'account', label: 'Your account', icon: UserRound, key: 'm' }

/** Every view a "g then …" shortcut reaches. */
export const SHORTCUT_ROUTES: readonly RouteSpec[] = [...ROUTES, ACCOUNT_ROUTE]

export const isRouteId = (value: string): value is RouteId => (ROUTE_IDS as readonly string[]).includes(value)
