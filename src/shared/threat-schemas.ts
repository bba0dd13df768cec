import { z } from 'zod'
import { isoTime } from './schemas'

/** Shapes of the threats calls (contract.ts): what leaves main about threats and log analyses. */

export const threatSeverity = z.enum(['low', 'medium', 'high', 'critical'])
export const threatStatus = z.enum(['active', 'acknowledged', 'resolved'])
export const logFormat = z.enum(['auto', 'combined', 'common', 'json'])
export const threatJsonFields = z
  .strictObject({
    client: z.string().min(1).max(100),
    user: z.string().min(1).max(100),
    time: z.string().min(1).max(100),
    method: z.string().min(1).max(100),
    uri: z.string().min(1).max(100),
    request: z.string().min(1).max(100),
    status: z.string().min(1).max(100),
    userAgent: z.string().min(1).max(100),
    referer: z.string().min(1).max(100),
    body: z.string().min(1).max(100),
  })
  .partial()

export const threatFindingView = z.object({
  rule: z.string(),
  name: z.string(),
  category: z.string(),
  severity: threatSeverity,
  action: z.enum(['alert', 'block']),
  confidence: z.number(),
  location: z.string(),
  /** The matched, normalized fragment (never from a secret field). */
  evidence: z.string(),
  at: isoTime,
  /** The console call, or the log file, it came from. */
  context: z.string(),
})

export const threatView = z.object({
  id: z.string(),
  /** 'console' or 'log:<file names>'. */
  source: z.string(),
  client: z.string(),
  user: z.string().nullable(),
  status: threatStatus,
  decision: z.enum(['alert', 'block']),
  risk: z.number().int(),
  maxSeverity: threatSeverity,
  categories: z.array(z.string()),
  findings: z.array(threatFindingView),
  findingCount: z.number().int(),
  firstSeen: isoTime,
  lastSeen: isoTime,
  assignee: z.string().nullable(),
  notes: z.array(z.object({ at: isoTime, by: z.string(), text: z.string() })),
  updatedAt: isoTime,
})

export const threatId = z.string().uuid('Unknown threat id')
export const analysisId = z.string().uuid('Unknown analysis id')
