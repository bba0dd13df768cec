import { z } from 'zod'
import { categoryFill } from '../../components/charts/chart-colors'

/**
 * The log analysis report as main builds it (threats.report returns it as a record). Parsed here so the view
 * only reads what it checked; unknown extra fields are ignored.
 */
const severity = z.enum(['low', 'medium', 'high', 'critical'])

export const logReportSchema = z.object({
  files: z.array(
    z.object({ file: z.string(), linesRead: z.number(), linesParsed: z.number(), unparsable: z.number() }),
  ),
  linesRead: z.number(),
  linesParsed: z.number(),
  unparsable: z.object({
    count: z.number(),
    samples: z.array(z.object({ file: z.string(), line: z.number(), reason: z.string(), text: z.string() })),
  }),
  attackRequests: z.number(),
  alerted: z.number(),
  blocked: z.number(),
  findingsTotal: z.number(),
  byCategory: z.record(z.string(), z.number()),
  timeline: z.object({
    bucketMinutes: z.number(),
    buckets: z.array(z.object({ start: z.string(), counts: z.record(z.string(), z.number()) })),
  }),
  topClients: z.array(
    z.object({
      client: z.string(),
      requests: z.number(),
      findings: z.number(),
      risk: z.number(),
      maxSeverity: severity,
      categories: z.array(z.string()),
      firstSeen: z.string().nullable(),
      lastSeen: z.string().nullable(),
      successes: z.number(),
      blocked: z.number(),
    }),
  ),
  topPaths: z.array(z.object({ path: z.string(), requests: z.number(), categories: z.array(z.string()) })),
  statusMix: z.record(z.string(), z.number()),
  successfulAttacks: z.array(
    z.object({
      file: z.string(),
      line: z.number(),
      client: z.string(),
      time: z.string().nullable(),
      method: z.string(),
      path: z.string(),
      status: z.number().nullable(),
      category: z.string(),
      rule: z.string(),
      name: z.string(),
      severity,
      evidence: z.string(),
    }),
  ),
  clientTimelines: z.array(
    z.object({
      client: z.string(),
      events: z.array(
        z.object({
          time: z.string().nullable(),
          line: z.number(),
          method: z.string(),
          path: z.string(),
          status: z.number().nullable(),
          rules: z.array(z.string()),
          decision: z.string(),
        }),
      ),
    }),
  ),
  samples: z.array(
    z.object({
      rule: z.string(),
      name: z.string(),
      category: z.string(),
      severity,
      evidence: z.array(z.string()),
    }),
  ),
  seconds: z.number(),
  linesPerSecond: z.number(),
})

export type LogReport = z.infer<typeof logReportSchema>

/** Attack categories in a fixed order, so a category keeps its colour across charts and reports. */
const CATEGORIES = [
  'sqli',
  'xss',
  'traversal',
  'rfi',
  'command-injection',
  'ssti',
  'scanner',
  'protocol',
  'sensitive-file',
  'brute-force',
  'rate',
  'behaviour',
]

export const CATEGORY_LABEL: Record<string, string> = {
  sqli: 'SQL injection',
  xss: 'Cross-site scripting',
  traversal: 'Path traversal',
  rfi: 'Remote file inclusion',
  'command-injection': 'Command injection',
  ssti: 'Template injection',
  scanner: 'Scanner',
  protocol: 'Protocol abuse',
  'sensitive-file': 'Sensitive file',
  'brute-force': 'Brute force',
  rate: 'Request rate',
  behaviour: 'Behaviour',
}

export const categoryLabel = (c: string): string => CATEGORY_LABEL[c] ?? c

export function categoryColor(c: string): string {
  const i = CATEGORIES.indexOf(c)
  return categoryFill(i === -1 ? CATEGORIES.length : i)
}
