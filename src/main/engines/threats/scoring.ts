import type { Decision, Finding } from './threat-types'
import { SEVERITY_POINTS } from './threat-types'

/** Risk at or above `alertAt` raises an alert, at or above `blockAt` refuses the request. */
export interface Thresholds {
  alertAt: number
  blockAt: number
}

/** A single low finding (5) alerts; anomaly alone (at most 50) never blocks; a rule whose action is block does. */
export const DEFAULT_THRESHOLDS: Thresholds = { alertAt: 5, blockAt: 60 }

export const ANOMALY_WEIGHT = 50
export const RATE_EXCESS_POINTS = 30

/**
 * A request's risk: the sum of its findings' severity points (low 5, medium 15, high 30, critical 50; a rate finding
 * counts 30), plus anomaly × 50. Behaviour findings carry the anomaly and are not counted twice.
 */
export function riskOf(findings: readonly Finding[], anomaly: number | null): number {
  let risk = 0
  for (const f of findings) {
    if (f.category === 'behaviour') continue
    risk += f.category === 'rate' ? RATE_EXCESS_POINTS : SEVERITY_POINTS[f.severity]
  }
  return Math.round(risk + (anomaly ?? 0) * ANOMALY_WEIGHT)
}

export function decide(findings: readonly Finding[], risk: number, t: Thresholds): Decision {
  if (risk >= t.blockAt || findings.some((f) => f.action === 'block')) return 'block'
  if (risk >= t.alertAt) return 'alert'
  return 'allow'
}

export function validateThresholds(t: Thresholds): string | null {
  if (!Number.isFinite(t.alertAt) || !Number.isFinite(t.blockAt) || t.alertAt < 1 || t.blockAt < 1)
    return 'thresholds are positive numbers'
  if (t.blockAt < t.alertAt)
    return `the block threshold (${t.blockAt}) is below the alert threshold (${t.alertAt})`
  return null
}
