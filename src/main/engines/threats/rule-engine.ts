import { normalizePath, normalizeValue } from './normalize'
import { RULES, type RuleSpec } from './rules.data'
import type { Finding, RequestView, Target } from './threat-types'

const EVIDENCE_MAX = 120

const CACHE_ENTRIES = 20_000
const CACHEABLE_LENGTH = 512

/** A rule that matched a value, with the evidence (normalized, clipped). */
export interface Hit {
  spec: RuleSpec
  evidence: string
}

interface CompiledRule {
  spec: RuleSpec
  regexes: RegExp[]
}

/** Cut evidence to a readable length; control characters become visible escapes. */
export function clipEvidence(s: string): string {
  let clean = ''
  for (let i = 0; i < s.length && clean.length < EVIDENCE_MAX + 8; i++) {
    const c = s.charCodeAt(i)
    clean += c < 0x20 || c === 0x7f ? `\\x${c.toString(16).padStart(2, '0')}` : s[i]
  }
  return clean.length > EVIDENCE_MAX ? `${clean.slice(0, EVIDENCE_MAX - 1)}…` : clean
}

const finding = (spec: RuleSpec, location: string, evidence: string): Finding => ({
  rule: spec.id,
  name: spec.name,
  category: spec.category,
  severity: spec.severity,
  action: spec.action,
  confidence: spec.confidence,
  location,
  evidence: clipEvidence(evidence),
})

/**
 * Runs the rule set over one request: each value is normalized once, then every rule for that target is tried.
 * One finding per rule per request (the first place it matched).
 */
export class RuleEngine {
  private readonly byTarget = new Map<Target, CompiledRule[]>()
  readonly rules: readonly RuleSpec[]

  constructor(rules: readonly RuleSpec[] = RULES, disabled: readonly string[] = []) {
    this.rules = rules.filter((r) => !disabled.includes(r.id))
    for (const spec of this.rules) {
      const compiled: CompiledRule = { spec, regexes: (spec.patterns ?? []).map((p) => new RegExp(p, 'i')) }
      for (const t of spec.targets) {
        const list = this.byTarget.get(t) ?? []
        list.push(compiled)
        this.byTarget.set(t, list)
      }
    }
  }

  /**
   * Results per (target, raw value): log traffic repeats the same paths, parameters and user agents all the time,
   * so a bounded cache saves most of the normalization and matching. Cleared when full (memory stays flat).
   */
  private readonly cache = new Map<string, Hit[]>()

  inspect(req: RequestView): Finding[] {
    const out: Finding[] = []
    let seen: Set<string> | null = null
    const addAll = (hits: readonly Hit[], location: string) => {
      for (const h of hits) {
        seen ??= new Set()
        if (seen.has(h.spec.id)) continue
        seen.add(h.spec.id)
        out.push(finding(h.spec, location, h.evidence))
      }
    }

    if (req.method !== null) {
      for (const r of this.byTarget.get('method') ?? []) {
        const c = r.spec.condition
        if (c?.kind === 'method-not-in' && !req.malformed && !c.methods.includes(req.method))
          addAll([{ spec: r.spec, evidence: req.method }], 'method')
        if (c?.kind === 'malformed-request' && req.malformed)
          addAll([{ spec: r.spec, evidence: req.uri }], 'request-line')
      }
      for (const r of this.byTarget.get('uri') ?? []) {
        const c = r.spec.condition
        if (c?.kind === 'uri-longer-than' && req.uri.length > c.length)
          addAll([{ spec: r.spec, evidence: `${req.uri.length} bytes: ${req.uri.slice(0, 60)}` }], 'uri')
      }
      if (req.path) addAll(this.evaluate('path', req.path), 'path')
    }
    for (const [name, raw] of req.args)
      if (raw) addAll(this.evaluate('args', raw), `arg:${name.slice(0, 40)}`)
    if (req.userAgent) addAll(this.evaluate('user-agent', req.userAgent), 'user-agent')
    if (req.referer && (req.referer.includes('$') || req.referer.includes('(')))
      addAll(this.evaluate('referer', req.referer), 'referer')
    return out
  }

  /** Every rule of a target against one raw value. */
  evaluate(target: Target, raw: string): Hit[] {
    const key = `${target}\u0000${raw}`
    const cached = this.cache.get(key)
    if (cached) return cached
    const n =
      target === 'path'
        ? normalizePath(raw)
        : target === 'user-agent'
          ? { text: raw.toLowerCase(), nullByte: false }
          : normalizeValue(raw, target === 'args')
    const hits: Hit[] = []
    for (const r of this.byTarget.get(target) ?? []) {
      if (r.spec.condition?.kind === 'null-byte') {
        if (n.nullByte) hits.push({ spec: r.spec, evidence: clipEvidence(n.text) })
        continue
      }
      for (const re of r.regexes) {
        const m = re.exec(n.text)
        if (m) {
          const ev = m[0].length >= 12 ? m[0] : contextOf(n.text, m.index, m[0].length)
          hits.push({ spec: r.spec, evidence: clipEvidence(ev) })
          break
        }
      }
    }
    if (raw.length <= CACHEABLE_LENGTH) {
      if (this.cache.size >= CACHE_ENTRIES) this.cache.clear()
      this.cache.set(key, hits)
    }
    return hits
  }
}

/** A short match gets a little context, so `'--` reads as `admin'--`. */
function contextOf(text: string, index: number, length: number): string {
  const start = Math.max(0, index - 24)
  return text.slice(start, Math.min(text.length, index + length + 24)).trim()
}
