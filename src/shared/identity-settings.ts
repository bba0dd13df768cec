import { z } from 'zod'
import { PERMISSIONS } from './permissions'

const permission = z.enum(PERMISSIONS)
const hourWindow = z
  .strictObject({ fromHour: z.number().int().min(0).max(23), toHour: z.number().int().min(1).max(24) })
  .refine((w) => w.fromHour < w.toHour, 'fromHour must be before toHour')

const isTimeZone = (tz: string): boolean => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz })
    return true
  } catch {
    return false
  }
}

const fields = {
  passwordPreset: z.enum(['nist', 'reference']),
  maxFailedAttempts: z.number().int().min(3).max(20),
  lockoutMinutes: z
    .number()
    .int()
    .min(1)
    .max(24 * 60),
  /** Failed sign-ins one client (IPC sender, browser-mode address, OS user) may make in 15 minutes, across accounts. */
  maxFailuresPerClient: z.number().int().min(5).max(1000),
  idleTimeoutMinutes: z.number().int().min(1).max(240),
  absoluteLifetimeHours: z.number().int().min(1).max(72),
  maxSessionsPerAccount: z.number().int().min(1).max(20),
  /** Roles whose members must use MFA. */
  mfaRequiredRoles: z.array(z.string().min(1).max(64)).max(50),
  /** Time zone in which permission time windows are read (IANA name). */
  timeZone: z.string().max(64).refine(isTimeZone, 'Unknown time zone'),
  /** Hours of the day (in timeZone) during which a permission may be used; absent = any time. */
  permissionWindows: z.partialRecord(permission, hourWindow),
  /** Client addresses (browser mode) from which a permission may be used; absent = any client. */
  clientRestrictions: z.partialRecord(permission, z.array(z.string().min(1).max(64)).min(1).max(50)),
}

/** Identity settings an administrator can change, with their allowed ranges and defaults. */
export const identitySettingsSchema = z.strictObject({
  passwordPreset: fields.passwordPreset.default('nist'),
  maxFailedAttempts: fields.maxFailedAttempts.default(5),
  lockoutMinutes: fields.lockoutMinutes.default(30),
  maxFailuresPerClient: fields.maxFailuresPerClient.default(20),
  idleTimeoutMinutes: fields.idleTimeoutMinutes.default(15),
  absoluteLifetimeHours: fields.absoluteLifetimeHours.default(8),
  maxSessionsPerAccount: fields.maxSessionsPerAccount.default(3),
  mfaRequiredRoles: fields.mfaRequiredRoles.default(['admin']),
  timeZone: fields.timeZone.default('UTC'),
  permissionWindows: fields.permissionWindows.default({}),
  clientRestrictions: fields.clientRestrictions.default({}),
})

/** A change to some settings: only the keys given, each within its range, no defaults filled in. */
export const identitySettingsPatchSchema = z.strictObject(fields).partial()

export type IdentitySettings = z.infer<typeof identitySettingsSchema>
export type IdentitySettingsPatch = z.infer<typeof identitySettingsPatchSchema>
export const DEFAULT_IDENTITY_SETTINGS: IdentitySettings = identitySettingsSchema.parse({})
