import * as aeCvss from 'ae-cvss-calculator'

// A CommonJS bundle: Node's ESM loader puts its exports under `default`, CommonJS interop at the top level.
const { Cvss4P0 } = (aeCvss as typeof aeCvss & { default?: typeof aeCvss }).default ?? aeCvss

/**
 * CVSS base scores computed from the vector: v3.0/v3.1 here (FIRST specification, section 7 formulas, with the
 * v3.1 Roundup); v4.0 (CVSS-B: macro-vector lookup and severity-distance interpolation) by ae-cvss-calculator,
 * which matches FIRST's reference calculator, with its 2024-11 round-half-up fix, on all 104,976 base vectors.
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

/** The v4.0 base metrics in their required order, with their allowed values. */
const V4_BASE: readonly (readonly [string, readonly string[]])[] = [
  ['AV', ['N', 'A', 'L', 'P']],
  ['AC', ['L', 'H']],
  ['AT', ['N', 'P']],
  ['PR', ['N', 'L', 'H']],
  ['UI', ['N', 'P', 'A']],
  ['VC', ['H', 'L', 'N']],
  ['VI', ['H', 'L', 'N']],
  ['VA', ['H', 'L', 'N']],
  ['SC', ['H', 'L', 'N']],
  ['SI', ['H', 'L', 'N']],
  ['SA', ['H', 'L', 'N']],
]
/** Threat, environmental and supplemental metrics: allowed after the base ones, not part of CVSS-B. */
const V4_OTHER: Readonly<Record<string, readonly string[]>> = {
  E: ['X', 'A', 'P', 'U'],
  CR: ['X', 'H', 'M', 'L'],
  IR: ['X', 'H', 'M', 'L'],
  AR: ['X', 'H', 'M', 'L'],
  MAV: ['X', 'N', 'A', 'L', 'P'],
  MAC: ['X', 'L', 'H'],
  MAT: ['X', 'N', 'P'],
  MPR: ['X', 'N', 'L', 'H'],
  MUI: ['X', 'N', 'P', 'A'],
  MVC: ['X', 'H', 'L', 'N'],
  MVI: ['X', 'H', 'L', 'N'],
  MVA: ['X', 'H', 'L', 'N'],
  MSC: ['X', 'H', 'L', 'N'],
  MSI: ['X', 'S', 'H', 'L', 'N'],
  MSA: ['X', 'S', 'H', 'L', 'N'],
  S: ['X', 'N', 'P'],
  AU: ['X', 'N', 'Y'],
  R: ['X', 'A', 'U', 'I'],
  V: ['X', 'D', 'C'],
  RE: ['X', 'L', 'M', 'H'],
  U: ['X', 'Clear', 'Green', 'Amber', 'Red'],
}

/**
 * The base part of a CVSS v4.0 vector (`CVSS:4.0/AV:…/SA:…`), or null unless the vector is valid: every base
 * metric once, in the specification's order, with an allowed value; other metrics only known ones, once each.
 */
export function cvss4BaseVector(vector: string): string | null {
  const m = /^CVSS:4\.0\/(.*)$/.exec(vector.trim())
  if (!m) return null
  const parts = m[1]!.split('/')
  if (parts.length < V4_BASE.length) return null
  const base: string[] = []
  for (let i = 0; i < V4_BASE.length; i++) {
    const [key, values] = V4_BASE[i]!
    const [k, v, extra] = parts[i]!.split(':')
    if (k !== key || v === undefined || extra !== undefined || !values.includes(v)) return null
    base.push(`${k}:${v}`)
  }
  const seen = new Set<string>()
  for (const p of parts.slice(V4_BASE.length)) {
    const [k, v, extra] = p.split(':')
    if (k === undefined || v === undefined || extra !== undefined || seen.has(k)) return null
    const allowed = Object.prototype.hasOwnProperty.call(V4_OTHER, k) ? V4_OTHER[k] : undefined
    if (!allowed?.includes(v)) return null
    seen.add(k)
  }
  return `CVSS:4.0/${base.join('/')}`
}

/** True for a complete, valid CVSS v4.0 vector. */
export const isCvss4Vector = (vector: string): boolean => cvss4BaseVector(vector) !== null

export interface Cvss4Result {
  version: '4.0'
  /** CVSS-B: the base metric group only (threat, environmental and supplemental metrics left out). */
  nomenclature: 'CVSS-B'
  score: number
  label: SeverityLabel
}

const v4Cache = new Map<string, number>()

/** CVSS-B score of a v4.0 vector, or null when the vector is not a complete, valid v4.0 vector. */
export function cvss4BaseScore(vector: string): Cvss4Result | null {
  const base = cvss4BaseVector(vector)
  if (base === null) return null
  let score = v4Cache.get(base)
  if (score === undefined) {
    score = new Cvss4P0(base).calculateScores().overall
    if (!Number.isFinite(score) || score < 0 || score > 10) return null
    if (v4Cache.size < 10_000) v4Cache.set(base, score)
  }
  return { version: '4.0', nomenclature: 'CVSS-B', score, label: labelForScore(score) }
}
