import { z } from 'zod'
import type { Permission } from './permissions'
import { PERMISSIONS } from './permissions'
import { accountName, backupCode, email, isoTime, otpCode, password } from './schemas'
import { identitySettingsPatchSchema, identitySettingsSchema } from './identity-settings'
import { analysisId, logFormat, threatId, threatJsonFields, threatStatus, threatView } from './threat-schemas'
import {
  absolutePath,
  advisoryStatusView,
  remediationActionView,
  scanDetail,
  scanFormat,
  scanHistoryRow,
  scanId,
  scanSeverity,
  waiverDomain,
  waiverId,
  waiverScopeKind,
  waiverView,
} from './scanner-schemas'

const identitySettingsOutput = identitySettingsSchema
const identitySettingsPatch = identitySettingsPatchSchema

/**
 * The one contract: every call the renderer, browser mode or CLI can make.
 * `access`: 'public' (no session), 'session' (any signed-in account) or the permission the call needs.
 * Inputs are strict (unknown keys rejected); outputs are parsed so nothing undeclared leaks.
 */
export type Access = 'public' | 'session' | Permission
export const AUDIT_EVENT_TYPES = [
  'authentication',
  'authorization',
  'data_access',
  'configuration',
  'key_management',
  'scan',
  'threat',
  'export',
  'system',
] as const
export type AuditEventType = (typeof AUDIT_EVENT_TYPES)[number]
/** 'upload': the chunks of a vault upload (thousands per large file), bounded apart from everything else. */
export type RateClass = 'auth' | 'default' | 'upload'

interface CallSpec<I extends z.ZodType, O extends z.ZodType> {
  input: I
  output: O
  access: Access
  event: AuditEventType
  rate: RateClass
  /** Allowed while the session is restricted to MFA enrollment. */
  duringEnrollment?: true
  /**
   * High-volume data calls (vault upload chunks): a success is not audited one by one (the begin, abort and import
   * around them are); every refusal still is.
   */
  quietSuccess?: true
  summary: string
}

const call = <I extends z.ZodType, O extends z.ZodType>(spec: CallSpec<I, O>): CallSpec<I, O> => spec

const userView = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string().nullable(),
  roles: z.array(z.string()),
  elevations: z.array(z.object({ role: z.string(), expiresAt: isoTime })),
  mfaEnabled: z.boolean(),
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
  /** 'mfa-enrollment': the account must set up MFA before anything else. */
  restriction: z.enum(['mfa-enrollment']).nullable(),
  /** How the second factor was proven at sign-in, if it was. */
  secondFactor: z.enum(['otp', 'backup-code']).nullable(),
})

const sessionInfo = z.object({
  id: z.string(),
  client: z.string(),
  createdAt: isoTime,
  lastSeenAt: isoTime,
  absoluteExpiresAt: isoTime,
  current: z.boolean(),
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

const roleView = z.object({
  name: z.string(),
  description: z.string(),
  builtin: z.boolean(),
  permissions: z.array(z.enum(PERMISSIONS)),
})

const accessReviewRow = z.object({
  name: z.string(),
  email: z.string().nullable(),
  roles: z.array(z.string()),
  elevations: z.array(z.object({ role: z.string(), expiresAt: isoTime })),
  permissions: z.array(z.enum(PERMISSIONS)),
  mfaEnabled: z.boolean(),
  lastLoginAt: isoTime.nullable(),
  lastUse: z.partialRecord(z.enum(PERMISSIONS), isoTime),
  locked: z.boolean(),
  flags: z.array(z.string()),
})

const mfaStatus = z.object({
  enabled: z.boolean(),
  kind: z.enum(['totp', 'hotp']).nullable(),
  pendingEnrollment: z.boolean(),
  backupCodesLeft: z.number().int(),
  required: z.boolean(),
})

const userId = z.string().uuid('Unknown account id')
const reason = z.string().trim().min(5, 'Say why (at least 5 characters)').max(500)
const roleName = z
  .string()
  .trim()
  .min(2)
  .max(64)
  .regex(/^[a-z][a-z0-9-]*$/, 'Role names: lower-case letters, digits and dashes')
const base32Secret = z
  .string()
  .trim()
  .regex(/^[A-Z2-7]{26,128}=*$/i, 'A token secret is base32, at least 16 bytes')

const jobView = z.object({
  id: z.string(),
  kind: z.string(),
  state: z.enum(['running', 'done', 'failed', 'cancelled']),
  startedAt: isoTime,
  endedAt: isoTime.nullable(),
  progress: z.object({
    done: z.number(),
    total: z.number().nullable(),
    unit: z.string(),
    current: z.string().nullable(),
    rate: z.number(),
  }),
  result: z.record(z.string(), z.unknown()).nullable(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
})
const jobId = z.string().uuid('Unknown job id')

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
    input: z.strictObject({
      name: accountName,
      password,
      otp: otpCode.optional(),
      backupCode: backupCode.optional(),
    }),
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
    duringEnrollment: true,
    summary: 'End this client’s session',
  }),
  'auth.session': call({
    input: z.strictObject({}),
    output: sessionView,
    access: 'session',
    event: 'authentication',
    rate: 'default',
    duringEnrollment: true,
    summary: 'The signed-in account, its permissions and session times',
  }),
  'auth.changePassword': call({
    input: z.strictObject({ currentPassword: password, newPassword: password }),
    output: z.object({ otherSessionsEnded: z.number().int() }),
    access: 'session',
    event: 'authentication',
    rate: 'auth',
    summary: 'Change your own password; your other sessions end',
  }),
  'auth.listSessions': call({
    input: z.strictObject({}),
    output: z.object({ sessions: z.array(sessionInfo) }),
    access: 'session',
    event: 'authentication',
    rate: 'default',
    summary: 'Your live sessions',
  }),
  'auth.signOutEverywhere': call({
    input: z.strictObject({}),
    output: z.object({ ended: z.number().int() }),
    access: 'session',
    event: 'authentication',
    rate: 'default',
    duringEnrollment: true,
    summary: 'End every session of your account, this one included',
  }),
  'mfa.status': call({
    input: z.strictObject({}),
    output: mfaStatus,
    access: 'session',
    event: 'authentication',
    rate: 'default',
    duringEnrollment: true,
    summary: 'Your two-factor state',
  }),
  'mfa.beginEnrollment': call({
    input: z.strictObject({
      kind: z.enum(['totp', 'hotp']).default('totp'),
      secret: base32Secret.optional(),
    }),
    output: z.object({
      kind: z.enum(['totp', 'hotp']),
      secret: z.string(),
      otpauthUri: z.string(),
      qrSvg: z.string(),
    }),
    access: 'session',
    event: 'authentication',
    rate: 'auth',
    duringEnrollment: true,
    summary: 'Start setting up an authenticator (TOTP) or hardware token (HOTP)',
  }),
  'mfa.confirmEnrollment': call({
    input: z.strictObject({ code: otpCode }),
    output: z.object({ backupCodes: z.array(z.string()) }),
    access: 'session',
    event: 'authentication',
    rate: 'auth',
    duringEnrollment: true,
    summary: 'Turn two-factor authentication on with a valid code; returns backup codes once',
  }),
  'mfa.regenerateBackupCodes': call({
    input: z.strictObject({ password }),
    output: z.object({ backupCodes: z.array(z.string()) }),
    access: 'session',
    event: 'authentication',
    rate: 'auth',
    summary: 'New backup codes; the old ones stop working',
  }),
  'mfa.disable': call({
    input: z.strictObject({ password }),
    output: z.object({ disabled: z.literal(true) }),
    access: 'session',
    event: 'authentication',
    rate: 'auth',
    summary: 'Turn your two-factor authentication off (not where a role requires it)',
  }),
  'users.list': call({
    input: z.strictObject({}),
    output: z.object({ users: z.array(userView) }),
    access: 'users:read',
    event: 'data_access',
    rate: 'default',
    summary: 'List local accounts',
  }),
  'users.create': call({
    input: z.strictObject({
      name: accountName,
      email: email.optional(),
      password,
      roles: z.array(roleName).max(20).default(['user']),
    }),
    output: z.object({ user: userView }),
    access: 'users:create',
    event: 'configuration',
    rate: 'default',
    summary: 'Create an account',
  }),
  'users.delete': call({
    input: z.strictObject({ userId, reason, confirmPassword: password }),
    output: z.object({ deleted: z.string() }),
    access: 'users:delete',
    event: 'configuration',
    rate: 'auth',
    summary: 'Delete an account (asks for your password again)',
  }),
  'users.lock': call({
    input: z.strictObject({ userId, reason }),
    output: z.object({ user: userView }),
    access: 'users:update',
    event: 'configuration',
    rate: 'default',
    summary: 'Lock an account until unlocked; its sessions end',
  }),
  'users.unlock': call({
    input: z.strictObject({ userId, reason }),
    output: z.object({ user: userView }),
    access: 'users:update',
    event: 'configuration',
    rate: 'default',
    summary: 'Unlock an account',
  }),
  'users.grantRole': call({
    input: z.strictObject({ userId, role: roleName, expiresAt: isoTime.optional(), reason }),
    output: z.object({ user: userView }),
    access: 'users:update',
    event: 'authorization',
    rate: 'default',
    summary: 'Grant a role, standing or until a time (elevation)',
  }),
  'users.revokeRole': call({
    input: z.strictObject({ userId, role: roleName, reason }),
    output: z.object({ user: userView }),
    access: 'users:update',
    event: 'authorization',
    rate: 'default',
    summary: 'Revoke a role',
  }),
  'users.resetPassword': call({
    input: z.strictObject({ userId, newPassword: password, reason }),
    output: z.object({ user: userView }),
    access: 'users:update',
    event: 'configuration',
    rate: 'auth',
    summary: 'Set a new password for an account; its sessions end',
  }),
  'users.resetMfa': call({
    input: z.strictObject({ userId, reason, confirmPassword: password }),
    output: z.object({ user: userView }),
    access: 'users:update',
    event: 'configuration',
    rate: 'auth',
    summary: 'Remove another account’s second factor (asks for your password again)',
  }),
  'users.listSessions': call({
    input: z.strictObject({ userId }),
    output: z.object({ sessions: z.array(sessionInfo) }),
    access: 'users:read',
    event: 'data_access',
    rate: 'default',
    summary: 'An account’s live sessions',
  }),
  'users.revokeSessions': call({
    input: z.strictObject({
      userId,
      sessionId: z
        .string()
        .regex(/^[0-9a-f]{12}$/)
        .optional(),
    }),
    output: z.object({ ended: z.number().int() }),
    access: 'users:update',
    event: 'configuration',
    rate: 'default',
    summary: 'End one or all sessions of an account',
  }),
  'users.accessReview': call({
    input: z.strictObject({}),
    output: z.object({ generatedAt: isoTime, rows: z.array(accessReviewRow) }),
    access: 'users:read',
    event: 'data_access',
    rate: 'default',
    summary:
      'Every account with roles, effective permissions, MFA, last login and last use of each permission',
  }),
  'roles.list': call({
    input: z.strictObject({}),
    output: z.object({ roles: z.array(roleView) }),
    access: 'users:read',
    event: 'data_access',
    rate: 'default',
    summary: 'Built-in and custom roles with their permissions',
  }),
  'roles.create': call({
    input: z.strictObject({
      name: roleName,
      description: z.string().trim().min(3).max(200),
      permissions: z.array(z.enum(PERMISSIONS)).min(1).max(PERMISSIONS.length),
    }),
    output: z.object({ role: roleView }),
    access: 'system:configure',
    event: 'configuration',
    rate: 'default',
    summary: 'Create a custom role from existing permissions',
  }),
  'settings.getIdentity': call({
    input: z.strictObject({}),
    output: z.object({
      settings: identitySettingsOutput,
      presets: z.array(z.object({ id: z.string(), label: z.string(), description: z.string() })),
    }),
    access: 'session',
    event: 'configuration',
    rate: 'default',
    summary: 'Password, lockout, session, MFA and access-condition settings',
  }),
  'settings.updateIdentity': call({
    input: z.strictObject({ patch: identitySettingsPatch }),
    output: z.object({ settings: identitySettingsOutput }),
    access: 'system:configure',
    event: 'configuration',
    rate: 'default',
    summary: 'Change identity settings',
  }),
  'threats.analyzeLog': call({
    input: z.strictObject({
      paths: z.array(z.string().min(1).max(4096)).min(1, 'Give at least one log file').max(20),
      logFormat: logFormat.default('auto'),
      fields: threatJsonFields.optional(),
    }),
    output: jobView,
    access: 'system:configure',
    event: 'threat',
    rate: 'default',
    summary:
      'Analyze web-server log files on this machine as a job (progress, cancel); the result names the report',
  }),
  'threats.list': call({
    input: z.strictObject({
      status: threatStatus.optional(),
      limit: z.number().int().min(1).max(200).default(50),
      offset: z.number().int().min(0).default(0),
    }),
    output: z.object({ threats: z.array(threatView), total: z.number().int() }),
    access: 'system:monitor',
    event: 'data_access',
    rate: 'default',
    summary: 'Threats, newest activity first, optionally by status',
  }),
  'threats.get': call({
    input: z.strictObject({ threatId }),
    output: threatView,
    access: 'system:monitor',
    event: 'data_access',
    rate: 'default',
    summary: 'One threat with its findings and notes',
  }),
  'threats.updateStatus': call({
    input: z
      .strictObject({
        threatId,
        status: threatStatus.optional(),
        assignee: z.string().trim().min(1).max(64).nullable().optional(),
        note: z.string().trim().min(1).max(1000).optional(),
      })
      .refine((v) => v.status !== undefined || v.assignee !== undefined || v.note !== undefined, {
        message: 'Change the status, the assignee or add a note',
      }),
    output: threatView,
    access: 'system:configure',
    event: 'threat',
    rate: 'default',
    summary: 'Acknowledge or resolve a threat, assign it, or add a note',
  }),
  'threats.report': call({
    input: z.strictObject({ analysisId, format: z.enum(['json', 'html']).default('json') }),
    output: z.object({
      analysisId: z.string(),
      createdAt: z.string(),
      files: z.array(z.string()),
      report: z.record(z.string(), z.unknown()),
      html: z.string().nullable(),
    }),
    access: 'system:monitor',
    event: 'data_access',
    rate: 'default',
    summary: 'The report of a log analysis (JSON, and self-contained HTML on request)',
  }),
  'scans.start': call({
    input: z.strictObject({
      root: absolutePath,
      /** Scan against this folder or zip of OSV records instead of the imported database. */
      advisoriesPath: absolutePath.optional(),
      /** Accept the findings already in an earlier JSON report. */
      baselinePath: absolutePath.optional(),
    }),
    output: jobView,
    access: 'system:monitor',
    event: 'scan',
    rate: 'default',
    summary:
      'Scan a project folder (dependencies, secrets, configuration) as a job with per-file progress; the result names the recorded scan',
  }),
  'scans.list': call({
    input: z.strictObject({
      root: absolutePath.optional(),
      limit: z.number().int().min(1).max(500).default(50),
      offset: z.number().int().min(0).default(0),
    }),
    output: z.object({ scans: z.array(scanHistoryRow), total: z.number().int() }),
    access: 'system:monitor',
    event: 'data_access',
    rate: 'default',
    summary:
      'Recorded scans, newest first, with open findings by severity and new/open/fixed/accepted counts as recorded at scan time',
  }),
  'scans.get': call({
    input: z.strictObject({
      scanId,
      kind: z.enum(['dependency', 'secret', 'config']).optional(),
      severity: scanSeverity.optional(),
      status: z.enum(['new', 'open', 'accepted']).optional(),
      text: z.string().trim().max(200).optional(),
      limit: z.number().int().min(1).max(5000).default(1000),
    }),
    output: scanDetail,
    access: 'system:monitor',
    event: 'data_access',
    rate: 'default',
    summary:
      'One recorded scan: findings (filtered) with advisory text, references, fixed versions and dependency path; accepted state from the current waivers',
  }),
  'scans.remediation': call({
    input: z.strictObject({ scanId }),
    output: z.object({ scanId: z.string(), actions: z.array(remediationActionView) }),
    access: 'system:monitor',
    event: 'data_access',
    rate: 'default',
    summary: 'The prioritized remediation plan of a recorded scan (effort, linked actions)',
  }),
  'scans.export': call({
    input: z.strictObject({ scanId, format: scanFormat }),
    output: z.object({ format: scanFormat, mediaType: z.string(), fileName: z.string(), text: z.string() }),
    access: 'system:monitor',
    event: 'export',
    rate: 'default',
    summary: 'A recorded scan as text: table, JSON, SARIF 2.1.0, CycloneDX 1.5 or self-contained HTML',
  }),
  'advisories.import': call({
    input: z.strictObject({ path: absolutePath }),
    output: jobView,
    access: 'system:configure',
    event: 'configuration',
    rate: 'default',
    summary:
      'Import OSV advisories from a folder of .json files or an OSV all.zip as a job (re-import updates)',
  }),
  'advisories.status': call({
    input: z.strictObject({}),
    output: advisoryStatusView,
    access: 'system:monitor',
    event: 'data_access',
    rate: 'default',
    summary: 'The imported advisory database: source, count, newest record, staleness',
  }),
  'waivers.create': call({
    input: z.strictObject({
      domain: waiverDomain,
      scope: z.strictObject({ kind: waiverScopeKind, value: z.string().trim().min(1).max(300) }),
      reason,
      owner: z.string().trim().min(1).max(64),
      approver: z.string().trim().min(1).max(64).optional(),
      expiresAt: z.union([isoTime, z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Give a date YYYY-MM-DD')]),
    }),
    output: waiverView,
    access: 'system:configure',
    event: 'configuration',
    rate: 'default',
    summary:
      'Accept a risk: a waiver with scope, reason, owner, approver and expiry (scanner, threats, compliance)',
  }),
  'waivers.list': call({
    input: z.strictObject({
      domain: waiverDomain.optional(),
      state: z.enum(['active', 'expired', 'revoked']).optional(),
    }),
    output: z.object({ waivers: z.array(waiverView) }),
    access: 'system:monitor',
    event: 'data_access',
    rate: 'default',
    summary: 'Waivers, newest first, by domain and state',
  }),
  'waivers.revoke': call({
    input: z.strictObject({ waiverId, reason }),
    output: waiverView,
    access: 'system:configure',
    event: 'configuration',
    rate: 'default',
    summary: 'Revoke a waiver: the findings it covered are open again',
  }),
  // ---- vault (issue 4): quantum states encrypted at rest as age files ----
  ...(() => {
    const stateId = z.string().uuid('Unknown vault state id')
    const absPath = z
      .string()
      .min(1)
      .max(4096)
      .refine((p) => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p), 'Give an absolute path')
    const classification = z.enum(['public', 'internal', 'confidential', 'restricted'])
    const keyType = z.enum(['x25519', 'mlkem768x25519'])
    const stateSummary = z.object({
      id: z.string(),
      name: z.string(),
      qubits: z.number().int(),
      owner: z.string(),
      ownerId: z.string(),
      classification,
      tags: z.array(z.string()),
      labels: z.record(z.string(), z.string()),
      dtype: z.string(),
      size: z.number().int(),
      fileSize: z.number().int(),
      createdAt: isoTime,
      updated: isoTime,
      lastVerification: z.object({ at: isoTime, ok: z.boolean(), problem: z.string().nullable() }).nullable(),
    })
    const fileOut = z.object({
      bytes: z.number().int(),
      path: z.string().nullable(),
      /** base64 of the file when no path was given (small states; browser mode). */
      content: z.string().nullable(),
    })
    return {
      'vault.import': call({
        input: z
          .strictObject({
            path: absPath.optional(),
            /** base64 file content, for the browser (which cannot name server paths); limited by the input size. */
            content: z
              .string()
              .max(240 * 1024)
              .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'content must be base64')
              .optional(),
            fileName: z.string().min(1).max(255).optional(),
            /** A complete chunked upload (vault.uploadBegin/uploadChunk): how the UI sends files of any size. */
            uploadId: z.string().uuid('Unknown upload id').optional(),
            name: z.string().trim().min(1).max(200).optional(),
            classification: classification.optional(),
            tags: z.array(z.string().trim().min(1).max(64)).max(50).optional(),
            labels: z.record(z.string().min(1).max(64), z.string().max(500)).optional(),
            normalize: z.boolean().default(false),
          })
          .refine((v) => [v.path, v.content, v.uploadId].filter((x) => x !== undefined).length === 1, {
            message: 'Give exactly one of path, content or uploadId',
          }),
        output: jobView,
        access: 'quantum:create',
        event: 'data_access',
        rate: 'default',
        summary:
          'Validate and encrypt a state (.npy or JSON) into the vault as a job (byte progress, cancel)',
      }),
      'vault.uploadBegin': call({
        input: z.strictObject({
          fileName: z.string().min(1).max(255),
          /** The whole file's size in bytes; chunks may not go past it. */
          size: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
        }),
        output: z.object({ uploadId: z.string(), chunkBytes: z.number().int(), expiresAt: isoTime }),
        access: 'quantum:create',
        event: 'data_access',
        rate: 'default',
        summary:
          'Begin a chunked upload of a state file (staged encrypted, owned by this session, expires when idle)',
      }),
      'vault.uploadChunk': call({
        input: z.strictObject({
          uploadId: z.string().uuid('Unknown upload id'),
          /** Where this chunk starts: exactly the bytes received so far. */
          offset: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
          /** base64 of at most 192,000 bytes. */
          content: z
            .string()
            .min(4)
            .max(256_000)
            .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'content must be base64'),
        }),
        output: z.object({ received: z.number().int(), size: z.number().int(), complete: z.boolean() }),
        access: 'quantum:create',
        event: 'data_access',
        rate: 'upload',
        quietSuccess: true,
        summary: 'The next bytes of an upload, in order (successes are not audited one by one; refusals are)',
      }),
      'vault.uploadAbort': call({
        input: z.strictObject({ uploadId: z.string().uuid('Unknown upload id') }),
        output: z.object({ aborted: z.literal(true), received: z.number().int() }),
        access: 'quantum:create',
        event: 'data_access',
        rate: 'default',
        summary: 'Cancel an upload: its staged file is deleted',
      }),
      'vault.list': call({
        input: z.strictObject({ search: z.string().trim().max(200).optional() }),
        output: z.object({ states: z.array(stateSummary) }),
        access: 'quantum:read',
        event: 'data_access',
        rate: 'default',
        summary: 'Vault states you may read, newest first, optionally searched',
      }),
      'vault.get': call({
        input: z.strictObject({ stateId }),
        output: stateSummary.extend({
          chart: z.object({
            top: z.array(z.object({ index: z.number().int(), probability: z.number(), phase: z.number() })),
            rest: z.number(),
            norm: z.number(),
            nonZero: z.number().int(),
          }),
          entanglements: z.array(
            z.object({ qubits: z.array(z.number().int()), measure: z.number().optional() }),
          ),
          integrity: z.object({
            propertiesOk: z.boolean(),
            fileOk: z.boolean(),
            message: z.string().nullable(),
          }),
          keyType,
        }),
        access: 'quantum:read',
        event: 'data_access',
        rate: 'default',
        summary: 'One state: properties, integrity (without decrypting) and its chart summary',
      }),
      'vault.export': call({
        input: z.strictObject({
          stateId,
          format: z.enum(['npy', 'json']).default('npy'),
          path: absPath.optional(),
        }),
        output: fileOut,
        access: 'quantum:read',
        event: 'data_access',
        rate: 'default',
        summary:
          'Decrypt a state to a file (CLI, desktop) or return it (small states); only after full authentication',
      }),
      'vault.share': call({
        input: z.strictObject({
          stateId,
          recipients: z
            .array(z.string().trim().min(1).max(2100))
            .min(1, 'Give at least one recipient')
            .max(20),
          path: absPath.optional(),
        }),
        output: fileOut,
        access: 'quantum:read',
        event: 'data_access',
        rate: 'default',
        summary: 'A standalone age file of a state for age1… (X25519) or age1pq1… (post-quantum) recipients',
      }),
      'vault.verify': call({
        input: z.strictObject({ stateIds: z.array(stateId).max(1000).optional() }),
        output: jobView,
        access: 'quantum:read',
        event: 'data_access',
        rate: 'default',
        summary: 'Check properties MAC, header binding and a full decrypt of states, as a job',
      }),
      'vault.rotateKeys': call({
        input: z.strictObject({ keyType: keyType.optional() }),
        output: jobView,
        access: 'quantum:update',
        event: 'key_management',
        rate: 'default',
        summary: 'New vault identity; every file header rewrapped (crash-safe, resumable) as a job',
      }),
      'vault.delete': call({
        input: z.strictObject({ stateId }),
        output: z.object({ deleted: z.literal(true) }),
        access: 'quantum:delete',
        event: 'data_access',
        rate: 'default',
        summary: 'Delete a state and its encrypted file',
      }),
    }
  })(),
  'jobs.get': call({
    input: z.strictObject({ jobId }),
    output: jobView,
    access: 'session',
    event: 'system',
    rate: 'default',
    summary: 'Progress and outcome of one of your long operations',
  }),
  'jobs.list': call({
    input: z.strictObject({}),
    output: z.object({ jobs: z.array(jobView) }),
    access: 'session',
    event: 'system',
    rate: 'default',
    summary: 'Your running and recently finished long operations',
  }),
  'jobs.cancel': call({
    input: z.strictObject({ jobId }),
    output: jobView,
    access: 'session',
    event: 'system',
    rate: 'default',
    summary: 'Cancel one of your long operations',
  }),
  'audit.verify': call({
    input: z.strictObject({}),
    output: z.object({
      ok: z.boolean(),
      entries: z.number().int(),
      /** The last archived entry (retention): the live log and this check start after it. */
      archivedThrough: z.number().int().nullable(),
      checkpoints: z.number().int(),
      lastCheckpoint: z.object({ count: z.number().int(), time: isoTime }).nullable(),
      outsideCheckpoint: z.object({ count: z.number().int(), time: isoTime }).nullable(),
      problems: z.array(
        z.object({
          kind: z.enum([
            'edited',
            'deleted',
            'reordered',
            'inserted',
            'truncated',
            'replaced',
            'bad-signature',
          ]),
          seq: z.number().int().nullable(),
          message: z.string(),
        }),
      ),
    }),
    access: 'system:monitor',
    event: 'data_access',
    rate: 'default',
    summary:
      'Check the whole audit chain, its signed checkpoints and the checkpoint kept outside the database',
  }),
  'audit.search': call({
    input: z.strictObject({
      actor: z.string().max(64).optional(),
      type: z.enum(AUDIT_EVENT_TYPES).optional(),
      client: z.string().max(128).optional(),
      resource: z.string().max(256).optional(),
      result: z.enum(['success', 'failure']).optional(),
      risk: z.enum(['low', 'medium', 'high', 'critical']).optional(),
      from: isoTime.optional(),
      to: isoTime.optional(),
      text: z.string().max(200).optional(),
      limit: z.number().int().min(1).max(500).default(100),
      beforeSeq: z.number().int().positive().optional(),
    }),
    output: z.object({ entries: z.array(auditEntryView), hasMore: z.boolean() }),
    access: 'system:monitor',
    event: 'data_access',
    rate: 'default',
    summary: 'Audit entries matching filters and words in their details, newest first, paginated',
  }),
  'audit.metrics': call({
    input: z.strictObject({ from: isoTime.optional(), to: isoTime.optional() }),
    output: z.object({
      total: z.number().int(),
      authentication: z.number().int(),
      authorizationFailures: z.number().int(),
      dataAccess: z.number().int(),
      highOrCritical: z.number().int(),
      failures: z.number().int(),
      uniqueUsers: z.number().int(),
      uniqueClients: z.number().int(),
      byType: z.array(z.object({ type: z.string(), count: z.number().int() })),
      byRisk: z.array(
        z.object({ risk: z.enum(['low', 'medium', 'high', 'critical']), count: z.number().int() }),
      ),
      topUsers: z.array(z.object({ name: z.string(), score: z.number(), events: z.number().int() })),
      topClients: z.array(z.object({ name: z.string(), score: z.number(), events: z.number().int() })),
      timeline: z.array(z.object({ bucket: z.string(), type: z.string(), count: z.number().int() })),
    }),
    access: 'system:monitor',
    event: 'data_access',
    rate: 'default',
    summary: 'Security metrics for a period: totals, failures, risk, top users and clients, events over time',
  }),
  'audit.export': call({
    input: z.strictObject({
      format: z.enum(['jsonl', 'cef', 'syslog']),
      from: isoTime.optional(),
      to: isoTime.optional(),
      afterSeq: z.number().int().nonnegative().default(0),
      limit: z.number().int().min(1).max(20_000).default(10_000),
    }),
    output: z.object({
      text: z.string(),
      entries: z.number().int(),
      lastSeq: z.number().int(),
      hasMore: z.boolean(),
    }),
    access: 'system:monitor',
    event: 'export',
    rate: 'default',
    summary: 'A page of the audit log as JSON Lines, CEF or RFC 5424 syslog, oldest first',
  }),
  'compliance.report': call({
    input: z.strictObject({ standard: z.enum(['gdpr', 'sox', 'hipaa', 'all']), from: isoTime, to: isoTime }),
    output: z.object({
      standard: z.enum(['gdpr', 'sox', 'hipaa', 'console', 'all']),
      from: isoTime,
      to: isoTime,
      generatedAt: isoTime,
      totals: z.object({
        entries: z.number().int(),
        byDataType: z.array(z.object({ dataType: z.string(), count: z.number().int() })),
      }),
      score: z.number(),
      rules: z.array(
        z.object({
          id: z.string(),
          standard: z.enum(['gdpr', 'sox', 'hipaa', 'console']),
          title: z.string(),
          requirement: z.string(),
          controls: z.array(z.string()),
          severity: z.enum(['low', 'medium', 'high', 'critical']),
          checked: z.number().int(),
          violations: z.number().int(),
          evidence: z.array(z.object({ ref: z.string(), time: isoTime.nullable(), summary: z.string() })),
          recommendation: z.string().nullable(),
        }),
      ),
      recommendations: z.array(z.string()),
    }),
    access: 'system:monitor',
    event: 'export',
    rate: 'default',
    summary: 'A compliance report (GDPR, SOX, HIPAA and the console’s own controls) for a period',
  }),
  'audit.exportBundle': call({
    input: z.strictObject({
      standard: z.enum(['gdpr', 'sox', 'hipaa', 'all']).default('all'),
      from: isoTime,
      to: isoTime,
    }),
    output: z.object({ bundle: z.string(), entries: z.number().int(), keyFingerprint: z.string() }),
    access: 'system:monitor',
    event: 'export',
    rate: 'default',
    summary:
      'A signed evidence bundle: the period’s audit slice with its checkpoints, the compliance report and the public key',
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
  'audit.treeHeads': call({
    input: z.strictObject({}),
    output: z.object({
      heads: z.array(z.object({ count: z.number().int(), root: z.string(), time: isoTime })),
      /** Why no more tree heads are signed, when they have stopped. */
      unavailable: z.string().nullable(),
    }),
    access: 'system:monitor',
    event: 'data_access',
    rate: 'default',
    summary: 'The signed Merkle tree heads over the audit log (one per periodic checkpoint)',
  }),
  'audit.inclusionProof': call({
    /** treeHead: the head's entry count; default the first head that covers the entry. */
    input: z.strictObject({
      seq: z.number().int().positive(),
      treeHead: z.number().int().positive().optional(),
    }),
    /** proof: the proof document (JSON), checked anywhere with `qqsec audit verify --proof FILE`. */
    output: z.object({ proof: z.string(), treeHead: z.number().int() }),
    access: 'system:monitor',
    event: 'data_access',
    rate: 'default',
    summary: 'An RFC 9162 inclusion proof of one audit entry against a signed tree head',
  }),
  'audit.consistencyProof': call({
    input: z.strictObject({ from: z.number().int().positive(), to: z.number().int().positive() }),
    output: z.object({ proof: z.string() }),
    access: 'system:monitor',
    event: 'data_access',
    rate: 'default',
    summary: 'An RFC 9162 consistency proof between two signed audit tree heads',
  }),
  'audit.retention': call({
    /** olderThanDays: plan with this age instead of the setting. */
    input: z.strictObject({ olderThanDays: z.number().int().min(0).max(36_500).optional() }),
    output: z.object({
      days: z.number().int().nullable(),
      cuts: z.array(
        z.object({
          firstSeq: z.number().int(),
          seq: z.number().int(),
          /** The time of the last archived entry. */
          time: isoTime,
          archiveName: z.string(),
          archiveSha256: z.string(),
        }),
      ),
      /** Entries archiving would take now (with olderThanDays, else the setting, else 365 days). */
      eligible: z
        .object({ firstSeq: z.number().int(), lastSeq: z.number().int(), before: isoTime })
        .nullable(),
    }),
    access: 'system:monitor',
    event: 'data_access',
    rate: 'default',
    summary: 'The audit retention setting, the archives made so far and what archiving would take now',
  }),
  'audit.setRetention': call({
    input: z.strictObject({ days: z.number().int().min(1).max(36_500).nullable() }),
    output: z.object({ days: z.number().int().nullable() }),
    access: 'system:configure',
    event: 'configuration',
    rate: 'default',
    summary: 'Set the age after which audit entries may be archived (null: retention off)',
  }),
  'audit.archive': call({
    input: z.strictObject({
      /** Default: the retention setting. */
      olderThanDays: z.number().int().min(0).max(36_500).optional(),
      /** The archive file (must not exist); default: the data dir's audit-archives folder. */
      output: absolutePath.optional(),
    }),
    output: jobView,
    access: 'system:configure',
    event: 'export',
    rate: 'default',
    summary:
      'Archive audit entries older than an age to a signed, compressed file and remove them from the live log, as a job',
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
export type SessionInfoView = CallOutput<'auth.listSessions'>['sessions'][number]
export type AccessReviewRowView = CallOutput<'users.accessReview'>['rows'][number]
export type RoleView = CallOutput<'roles.list'>['roles'][number]
export type JobView = CallOutput<'jobs.get'>
