/** Shared vocabulary of the threat engine: categories, severities, findings and decisions. */

export const CATEGORIES = [
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
] as const
export type Category = (typeof CATEGORIES)[number]

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const
export type Severity = (typeof SEVERITIES)[number]

export type Decision = 'allow' | 'alert' | 'block'
export type RuleAction = 'alert' | 'block'

/** Where in a request a rule looks. `args`: every query parameter value, body value and console input field. */
export type Target = 'path' | 'args' | 'user-agent' | 'referer' | 'method' | 'uri'

/** One request in the engine's terms, whatever it came from (a log line or a console call). */
export interface RequestView {
  /** Null for the console's own calls (they have no HTTP method). */
  method: string | null
  /** The raw request target as received (path and query), used for length checks. */
  uri: string
  path: string
  /** Query parameters and body fields, as [name, raw value]. */
  args: Array<[string, string]>
  userAgent: string | null
  referer: string | null
  /** The request line could not be read as METHOD TARGET PROTOCOL. */
  malformed?: boolean
}

export interface Finding {
  rule: string
  name: string
  category: Category
  severity: Severity
  action: RuleAction
  confidence: number
  /** Where it matched: `path`, `arg:<name>`, `user-agent`, … */
  location: string
  /** The matched fragment of the normalized value, truncated. Never from a secret field. */
  evidence: string
}

export interface Verdict {
  findings: Finding[]
  risk: number
  decision: Decision
  /** 0–1, or null when there was no profile with enough history. */
  anomaly: number | null
}

export const SEVERITY_POINTS: Readonly<Record<Severity, number>> = {
  low: 5,
  medium: 15,
  high: 30,
  critical: 50,
}

export const severityRank = (s: Severity): number => SEVERITIES.indexOf(s)

/**
 * Allow-listing through the console's waiver model: true when a live waiver accepts this finding (its rule, its
 * client, or the path — a URL path in logs, a call name in the console).
 */
export type AllowListed = (f: { rule: string; client: string; path: string }) => boolean
