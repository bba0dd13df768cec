import { createHash } from 'node:crypto'
import type { CvssRating, Severity } from './osv'

export type FindingKind = 'dependency' | 'secret' | 'config'
export type FindingStatus = 'new' | 'open' | 'accepted'

export interface Acceptance {
  source: 'ignore-file' | 'waiver' | 'baseline'
  reason: string
  expires: string | null
  ref: string | null
}

interface Base {
  kind: FindingKind
  severity: Severity
  fingerprint: string
  ruleId: string
  title: string
  status: FindingStatus
  accepted: Acceptance | null
}

export interface DependencyFinding extends Base {
  kind: 'dependency'
  package: string
  version: string
  lockfile: string
  /** The advisory id first, then every alias (merged across records that alias each other). */
  ids: string[]
  score: number | null
  /** Where `severity` and `score` come from: 'CVSS:4.0' (CVSS-B), 'CVSS:3.1', 'database', 'malicious', 'unrated'. */
  severitySource: string
  vector: string | null
  /** Every CVSS vector of the advisories with its computed score, v4.0 first (absent in reports before 2026-12). */
  ratings?: CvssRating[]
  fixedVersions: string[]
  path: string[]
  dev: boolean
  summary: string
  details: string
  references: string[]
}

export interface SecretFinding extends Base {
  kind: 'secret'
  file: string
  line: number
  column: number
  /** The secret with all but a short prefix masked; the secret itself never leaves the scan. */
  redacted: string
  entropy: number
}

export interface ConfigFinding extends Base {
  kind: 'config'
  file: string
  line: number
  column: number
  message: string
  fix: string
}

export type Finding = DependencyFinding | SecretFinding | ConfigFinding

export const SEVERITIES: readonly Severity[] = ['low', 'medium', 'high', 'critical']
export const severityRank = (s: Severity): number => SEVERITIES.indexOf(s)
const WEIGHT: Record<Severity, number> = { low: 1, medium: 3, high: 5, critical: 10 }

/** 0–100: each open finding weighs low 1, medium 3, high 5, critical 10; the sum doubled, capped at 100. */
export const riskScore = (findings: readonly Finding[]): number =>
  Math.min(
    100,
    2 * findings.filter((f) => f.status !== 'accepted').reduce((s, f) => s + WEIGHT[f.severity], 0),
  )

export const fingerprintOf = (...parts: string[]): string =>
  createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 32)

/** Shannon entropy in bits per character. */
export function shannonEntropy(s: string): number {
  if (s.length === 0) return 0
  const counts = new Map<string, number>()
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1)
  let h = 0
  for (const n of counts.values()) {
    const p = n / s.length
    h -= p * Math.log2(p)
  }
  return h
}

/** Keep at most 4 leading characters, mask the rest: enough to find it, useless to an attacker. */
export const redact = (secret: string): string =>
  `${secret.slice(0, Math.min(4, Math.floor(secret.length / 4)))}${'*'.repeat(8)}`
