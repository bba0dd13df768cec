import { z } from 'zod'
import { isoTime } from './schemas'

/** Shapes of the scanner, advisory and waiver calls (contract.ts): what leaves main about scans and waivers. */

export const scanSeverity = z.enum(['low', 'medium', 'high', 'critical'])
export const scanFormat = z.enum(['table', 'json', 'sarif', 'cyclonedx', 'html'])
export const scanId = z.string().uuid('Unknown scan id')
export const waiverId = z.string().uuid('Unknown waiver id')
export const waiverDomain = z.enum(['scanner', 'threats', 'compliance'])
export const waiverScopeKind = z.enum(['advisory', 'package', 'path', 'fingerprint', 'rule', 'client'])
export const absolutePath = z
  .string()
  .min(1)
  .max(4096)
  .refine((p) => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p), 'Give the full (absolute) path')

const bySeverity = z.object({
  low: z.number().int(),
  medium: z.number().int(),
  high: z.number().int(),
  critical: z.number().int(),
})

export const scanFindingView = z.object({
  kind: z.enum(['dependency', 'secret', 'config']),
  severity: scanSeverity,
  fingerprint: z.string(),
  ruleId: z.string(),
  title: z.string(),
  status: z.enum(['new', 'open', 'accepted']),
  accepted: z
    .object({
      source: z.enum(['ignore-file', 'waiver', 'baseline']),
      reason: z.string(),
      expires: z.string().nullable(),
      /** The waiver id when a console waiver accepted it. */
      ref: z.string().nullable(),
    })
    .nullable(),
  // dependency
  package: z.string().optional(),
  version: z.string().optional(),
  lockfile: z.string().optional(),
  ids: z.array(z.string()).optional(),
  score: z.number().nullable().optional(),
  severitySource: z.string().optional(),
  vector: z.string().nullable().optional(),
  /** Every CVSS vector of the advisory with its computed base score (v4.0: CVSS-B), v4.0 first. */
  ratings: z
    .array(
      z.object({
        version: z.enum(['3.0', '3.1', '4.0']),
        vector: z.string(),
        score: z.number(),
        label: z.enum(['none', 'low', 'medium', 'high', 'critical']),
      }),
    )
    .optional(),
  fixedVersions: z.array(z.string()).optional(),
  path: z.array(z.string()).optional(),
  dev: z.boolean().optional(),
  summary: z.string().optional(),
  details: z.string().optional(),
  references: z.array(z.string()).optional(),
  // secret and config
  file: z.string().optional(),
  line: z.number().int().optional(),
  column: z.number().int().optional(),
  redacted: z.string().optional(),
  entropy: z.number().optional(),
  message: z.string().optional(),
  fix: z.string().optional(),
})

export const remediationActionView = z.object({
  id: z.string(),
  kind: z.enum(['upgrade', 'replace', 'rotate-secret', 'remove-secret', 'change-setting']),
  title: z.string(),
  severity: scanSeverity,
  effort: z.enum(['low', 'medium', 'high']),
  resolves: z.array(z.string()),
  dependsOn: z.array(z.string()),
  detail: z.string(),
})

export const scanHistoryRow = z.object({
  id: z.string(),
  root: z.string(),
  startedAt: isoTime,
  finishedAt: isoTime,
  user: z.string().nullable(),
  riskScore: z.number().int(),
  bySeverity,
  byKind: z.object({ dependency: z.number().int(), secret: z.number().int(), config: z.number().int() }),
  new: z.number().int(),
  open: z.number().int(),
  fixed: z.number().int(),
  accepted: z.number().int(),
  total: z.number().int(),
})

export const scanDetail = z.object({
  id: z.string(),
  root: z.string(),
  startedAt: isoTime,
  finishedAt: isoTime,
  /** 0–100 over the findings not accepted as of `acceptanceAsOf` (accepted/waived ones do not count). */
  riskScore: z.number().int(),
  /** The same score counting every finding, accepted ones included. */
  riskScoreWithAccepted: z.number().int(),
  /** Acceptance (waivers, ignore-file expiry) is evaluated at read time, against the waivers as of this moment. */
  acceptanceAsOf: isoTime,
  /** The risk score and accepted count stored when the scan ran. */
  recorded: z.object({ riskScore: z.number().int(), accepted: z.number().int() }),
  summary: z.object({
    files: z.number().int(),
    bytes: z.number().int(),
    packages: z.number().int(),
    lockfiles: z.array(z.object({ file: z.string(), kind: z.string(), packages: z.number().int() })),
    bySeverity,
    byKind: z.object({ dependency: z.number().int(), secret: z.number().int(), config: z.number().int() }),
    accepted: z.number().int(),
  }),
  advisoryDb: z
    .object({ source: z.string(), count: z.number().int(), newestModified: z.string().nullable() })
    .nullable(),
  warnings: z.array(z.string()),
  tracking: z.object({
    previousScanId: z.string().nullable(),
    new: z.number().int(),
    open: z.number().int(),
    fixed: z.array(z.string()),
    accepted: z.number().int(),
  }),
  findings: z.array(scanFindingView),
  /** Findings matching the filters, before the limit. */
  matched: z.number().int(),
})

export const advisoryStatusView = z.object({
  source: z.string().nullable(),
  importedAt: z.string().nullable(),
  count: z.number().int(),
  withdrawn: z.number().int(),
  newestModified: z.string().nullable(),
  ageDays: z.number().int().nullable(),
  stale: z.boolean(),
  warning: z.string().nullable(),
})

export const waiverView = z.object({
  id: z.string(),
  domain: waiverDomain,
  scope: z.object({ kind: waiverScopeKind, value: z.string() }),
  reason: z.string(),
  owner: z.string(),
  approver: z.string().nullable(),
  expiresAt: isoTime,
  createdBy: z.string().nullable(),
  createdAt: isoTime,
  revokedAt: isoTime.nullable(),
  revokedBy: z.string().nullable(),
  revokeReason: z.string().nullable(),
  state: z.enum(['active', 'expired', 'revoked']),
})
