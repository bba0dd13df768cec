import type { IdentitySettings, IdentitySettingsPatch } from '../../../../shared/identity-settings'
import { PERMISSIONS, type Permission } from '../../../../shared/permissions'

export const NUMBER_KEYS = [
  'maxFailedAttempts',
  'lockoutMinutes',
  'maxFailuresPerClient',
  'idleTimeoutMinutes',
  'absoluteLifetimeHours',
  'maxSessionsPerAccount',
] as const
export type NumberKey = (typeof NUMBER_KEYS)[number]

/** A number field while it is edited: empty or half-typed input stays a string until it is a number. */
export type NumberDraft = number | string

export interface WindowRow {
  permission: Permission
  fromHour: NumberDraft
  toHour: NumberDraft
}

export interface ClientRow {
  permission: Permission
  addresses: string[]
}

/** The form's state: the settings, with numbers as typed and the two maps as editable rows. */
export interface SettingsDraft {
  passwordPreset: IdentitySettings['passwordPreset']
  numbers: Record<NumberKey, NumberDraft>
  mfaRequiredRoles: string[]
  timeZone: string
  windows: WindowRow[]
  clients: ClientRow[]
}

export type SettingKey = keyof IdentitySettings

/** Words for each setting, for the "unsaved changes" line and the saved notice. */
export const SETTING_LABEL: Readonly<Record<SettingKey, string>> = {
  passwordPreset: 'password policy',
  maxFailedAttempts: 'failed attempts before lockout',
  lockoutMinutes: 'lockout length',
  maxFailuresPerClient: 'failed sign-ins per client',
  idleTimeoutMinutes: 'idle timeout',
  absoluteLifetimeHours: 'maximum session length',
  maxSessionsPerAccount: 'sessions per account',
  mfaRequiredRoles: 'roles that require two-factor',
  timeZone: 'time zone',
  permissionWindows: 'time windows',
  clientRestrictions: 'client restrictions',
}

const byPermissionOrder = (a: { permission: Permission }, b: { permission: Permission }) =>
  PERMISSIONS.indexOf(a.permission) - PERMISSIONS.indexOf(b.permission)

export function toDraft(s: IdentitySettings): SettingsDraft {
  const windows: WindowRow[] = []
  const clients: ClientRow[] = []
  for (const p of PERMISSIONS) {
    const w = s.permissionWindows[p]
    if (w) windows.push({ permission: p, fromHour: w.fromHour, toHour: w.toHour })
    const c = s.clientRestrictions[p]
    if (c) clients.push({ permission: p, addresses: [...c] })
  }
  return {
    passwordPreset: s.passwordPreset,
    numbers: {
      maxFailedAttempts: s.maxFailedAttempts,
      lockoutMinutes: s.lockoutMinutes,
      maxFailuresPerClient: s.maxFailuresPerClient,
      idleTimeoutMinutes: s.idleTimeoutMinutes,
      absoluteLifetimeHours: s.absoluteLifetimeHours,
      maxSessionsPerAccount: s.maxSessionsPerAccount,
    },
    mfaRequiredRoles: [...s.mfaRequiredRoles],
    timeZone: s.timeZone,
    windows: windows.sort(byPermissionOrder),
    clients: clients.sort(byPermissionOrder),
  }
}

/** A typed number, or null while the field holds something that is not a whole number yet. */
export const asInteger = (v: NumberDraft): number | null => {
  if (typeof v === 'number') return Number.isInteger(v) ? v : null
  return /^-?\d+$/.test(v.trim()) ? Number.parseInt(v, 10) : null
}

/** JSON with sorted keys, so two settings compare equal whatever order their maps were written in. */
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  )

export interface DraftResult {
  /** Fields that cannot be sent yet (not a number), by a key the form can show next to the field. */
  problems: Record<string, string>
  /** Only the settings that differ from what main has, as main expects them. */
  patch: IdentitySettingsPatch
  changed: SettingKey[]
}

/** Compares the form with the saved settings; leaves range checks to main, which answers in its own words. */
export function diffDraft(base: IdentitySettings, draft: SettingsDraft): DraftResult {
  const problems: Record<string, string> = {}
  const next: Partial<Record<SettingKey, unknown>> = {
    passwordPreset: draft.passwordPreset,
    mfaRequiredRoles: draft.mfaRequiredRoles,
    timeZone: draft.timeZone.trim(),
  }
  for (const k of NUMBER_KEYS) {
    const n = asInteger(draft.numbers[k])
    if (n === null) problems[k] = 'Enter a whole number.'
    else next[k] = n
  }
  const windows: Partial<Record<Permission, { fromHour: number; toHour: number }>> = {}
  for (const w of draft.windows) {
    const from = asInteger(w.fromHour)
    const to = asInteger(w.toHour)
    if (from === null || to === null)
      problems[`window:${w.permission}`] = 'Enter both hours as whole numbers.'
    else windows[w.permission] = { fromHour: from, toHour: to }
  }
  next.permissionWindows = windows
  const clients: Partial<Record<Permission, string[]>> = {}
  for (const c of draft.clients) clients[c.permission] = c.addresses
  next.clientRestrictions = clients

  const patch: IdentitySettingsPatch = {}
  const changed: SettingKey[] = []
  for (const key of Object.keys(base) as SettingKey[]) {
    if (!(key in next)) continue
    const value = next[key]
    if (canonical(value) === canonical(base[key])) continue
    changed.push(key)
    Object.assign(patch, { [key]: value })
  }
  return { problems, patch, changed }
}

/** `patch.lockoutMinutes: Too big…` → `lockoutMinutes`: which field main's refusal is about, if it says. */
export function fieldOfError(message: string): string | null {
  const m = /^(?:patch\.)?([A-Za-z]+)(?:\.([a-z]+:[a-z]+))?/.exec(message)
  if (!m?.[1]) return null
  if (m[1] === 'permissionWindows' && m[2]) return `window:${m[2]}`
  if (m[1] === 'clientRestrictions' && m[2]) return `client:${m[2]}`
  return m[1]
}
