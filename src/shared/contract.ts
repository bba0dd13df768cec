import { z } from 'zod'
import type { Permission } from './permissions'
import { PERMISSIONS } from './permissions'
import { accountName, email, isoTime, otpCode, password } from './schemas'

/**
 * The one contract: every call the renderer, browser mode or CLI can make.
 * `access`: 'public' (no session), 'session' (any signed-in account) or the permission the call needs.
 * Inputs are strict (unknown keys rejected); outputs are parsed so nothing undeclared leaks.
 */
export type Access = 'public' | 'session' | Permission
export type AuditEventType =
  | 'authentication'
  | 'authorization'
  | 'data_access'
  | 'configuration'
  | 'key_management'
  | 'scan'
  | 'threat'
  | 'export'
  | 'system'
export type RateClass = 'auth' | 'default'

interface CallSpec<I extends z.ZodType, O extends z.ZodType> {
  input: I
  output: O
  access: Access
  event: AuditEventType
  rate: RateClass
  summary: string
}

const call = <I extends z.ZodType, O extends z.ZodType>(spec: CallSpec<I, O>): CallSpec<I, O> => spec

const userView = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string().nullable(),
  roles: z.array(z.string()),
  createdAt: isoTime,
  lastLoginAt: isoTime.nullable(),
  locked: z.boolean(),
  lockedUntil: isoTime.nullable(),
})

const sessionView = z.object({
  user: userView,
  permissions: z.array(z.enum(PERMISSIONS)),
  idleExpiresAt: isoTime,
  absoluteExpiresAt: isoTime,
  idleTimeoutSeconds: z.number().int(),
})

const passwordVerdict = z.object({
  acceptable: z.boolean(),
  score: z.number().int().min(0).max(4),
  failures: z.array(z.object({ rule: z.string(), message: z.string() })),
  preset: z.string(),
})

const auditEntryView = z.object({
  seq: z.number().int(),
  time: isoTime,
  type: z.string(),
  actor: z.string().nullable(),
  client: z.string(),
  action: z.string(),
  resource: z.string().nullable(),
  result: z.enum(['success', 'failure']),
  risk: z.enum(['low', 'medium', 'high', 'critical']),
  details: z.record(z.string(), z.unknown()),
  hash: z.string(),
})

export const contract = {
  'system.status': call({
    input: z.strictObject({}),
    output: z.object({ initialized: z.boolean(), version: z.string(), dataDir: z.string() }),
    access: 'public',
    event: 'system',
    rate: 'default',
    summary: 'Whether the console has its first administrator yet',
  }),
  'auth.evaluatePassword': call({
    input: z.strictObject({ password, name: accountName.optional(), email: email.optional() }),
    output: passwordVerdict,
    access: 'public',
    event: 'authentication',
    rate: 'default',
    summary: 'Check a candidate password against the password policy',
  }),
  'auth.setupAdmin': call({
    input: z.strictObject({ name: accountName, password, email: email.optional() }),
    output: z.object({ user: userView }),
    access: 'public',
    event: 'authentication',
    rate: 'auth',
    summary: 'Create the first administrator (only while no account exists)',
  }),
  'auth.login': call({
    input: z.strictObject({ name: accountName, password, otp: otpCode.optional() }),
    output: sessionView,
    access: 'public',
    event: 'authentication',
    rate: 'auth',
    summary: 'Sign in and start a session for this client',
  }),
  'auth.logout': call({
    input: z.strictObject({}),
    output: z.object({ signedOut: z.literal(true) }),
    access: 'session',
    event: 'authentication',
    rate: 'default',
    summary: 'End this client’s session',
  }),
  'auth.session': call({
    input: z.strictObject({}),
    output: sessionView,
    access: 'session',
    event: 'authentication',
    rate: 'default',
    summary: 'The signed-in account, its permissions and session times',
  }),
  'users.list': call({
    input: z.strictObject({}),
    output: z.object({ users: z.array(userView) }),
    access: 'users:read',
    event: 'data_access',
    rate: 'default',
    summary: 'List local accounts',
  }),
  'audit.recent': call({
    input: z.strictObject({
      limit: z.number().int().min(1).max(500).default(100),
      beforeSeq: z.number().int().positive().optional(),
    }),
    output: z.object({ entries: z.array(auditEntryView), total: z.number().int() }),
    access: 'system:monitor',
    event: 'data_access',
    rate: 'default',
    summary: 'Newest audit entries, paginated',
  }),
} as const

export type Contract = typeof contract
export type CallName = keyof Contract
export type CallInput<N extends CallName> = z.input<Contract[N]['input']>
export type ParsedInput<N extends CallName> = z.output<Contract[N]['input']>
export type CallOutput<N extends CallName> = z.output<Contract[N]['output']>

export const CALL_NAMES = Object.keys(contract) as CallName[]

export const isCallName = (value: unknown): value is CallName =>
  typeof value === 'string' && Object.prototype.hasOwnProperty.call(contract, value)

/** IPC channel for one call: one channel per contract entry, never a generic one. */
export const ipcChannel = (name: CallName): string => `qqsec:${name}`

/** Largest serialized input any transport accepts. */
export const MAX_INPUT_BYTES = 256 * 1024

export type SessionView = CallOutput<'auth.session'>
export type UserView = SessionView['user']
export type PasswordVerdict = CallOutput<'auth.evaluatePassword'>
export type AuditEntryView = CallOutput<'audit.recent'>['entries'][number]
