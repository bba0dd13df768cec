/**
 * CVSS v3.0/v3.1 base score computed from the vector (FIRST specification, section 7 formulas, with the v3.1
 * Roundup). v4.0 vectors are recognised and validated but not scored here (see severity.ts for the fallback).
 */
export type SeverityLabel = 'none' | 'low' | 'medium' | 'high' | 'critical'

const W = {
  AV: { N: 0.85, A: 0.62, L: 0.55, P: 0.2 },
  AC: { L: 0.77, H: 0.44 },
  UI: { N: 0.85, R: 0.62 },
  CIA: { H: 0.56, L: 0.22, N: 0 },
} as const

const PR_U = { N: 0.85, L: 0.62, H: 0.27 } as const
const PR_C = { N: 0.85, L: 0.68, H: 0.5 } as const

/** v3.1 Roundup: the smallest number, to one decimal, equal to or higher than its input (float-safe). */
export function roundup(x: number): number {
  const i = Math.round(x * 100_000)
  return i % 10_000 === 0 ? i / 100_000 : (Math.floor(i / 10_000) + 1) / 10
}

export interface CvssResult {
  version: '3.0' | '3.1'
  score: number
  label: SeverityLabel
}

export const labelForScore = (s: number): SeverityLabel =>
  s === 0 ? 'none' : s < 4 ? 'low' : s < 7 ? 'medium' : s < 9 ? 'high' : 'critical'

const pick = <T extends Record<string, number>>(table: T, v: string | undefined): number | null =>
  v !== undefined && Object.prototype.hasOwnProperty.call(table, v) ? table[v as keyof T]! : null

/** Base score of a CVSS v3.x vector, or null when the vector is not a complete, valid v3 base vector. */
export function cvss3BaseScore(vector: string): CvssResult | null {
  const m = /^CVSS:3\.([01])\/(.*)$/.exec(vector.trim())
  if (!m) return null
  const metrics = new Map<string, string>()
  for (const part of m[2]!.split('/')) {
    const [k, v, extra] = part.split(':')
    if (!k || v === undefined || extra !== undefined || metrics.has(k)) return null
    metrics.set(k, v)
  }
  const s = metrics.get('S')
  if (s !== 'U' && s !== 'C') return null
  const av = pick(W.AV, metrics.get('AV'))
  const ac = pick(W.AC, metrics.get('AC'))
  const pr = pick(s === 'C' ? PR_C : PR_U, metrics.get('PR'))
  const ui = pick(W.UI, metrics.get('UI'))
  const c = pick(W.CIA, metrics.get('C'))
  const i = pick(W.CIA, metrics.get('I'))
  const a = pick(W.CIA, metrics.get('A'))
  if (av === null || ac === null || pr === null || ui === null || c === null || i === null || a === null)
    return null
  const iss = 1 - (1 - c) * (1 - i) * (1 - a)
  const impact = s === 'U' ? 6.42 * iss : 7.52 * (iss - 0.029) - 3.25 * Math.pow(iss - 0.02, 15)
  const exploitability = 8.22 * av * ac * pr * ui
  let score: number
  if (impact <= 0) score = 0
  else if (s === 'U') score = roundup(Math.min(impact + exploitability, 10))
  else score = roundup(Math.min(1.08 * (impact + exploitability), 10))
  return { version: m[1] === '0' ? '3.0' : '3.1', score, label: labelForScore(score) }
}

const V4_BASE = ['AV', 'AC', 'AT', 'PR', 'UI', 'VC', 'VI', 'VA', 'SC', 'SI', 'SA'] as const

/** True for a syntactically complete CVSS v4.0 base vector. */
export function isCvss4Vector(vector: string): boolean {
  const m = /^CVSS:4\.0\/(.*)$/.exec(vector.trim())
  if (!m) return false
  const keys = new Set(m[1]!.split('/').map((p) => p.split(':')[0]))
  return V4_BASE.every((k) => keys.has(k))
}
