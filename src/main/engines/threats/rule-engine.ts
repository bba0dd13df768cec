import { normalizePath, normalizeValue } from './normalize'
import { RULES, type RuleSpec } from './rules.data'
import type { Finding, RequestView, Target } from './threat-types'

const EVIDENCE_MAX = 120

interface CompiledRule {
  spec: RuleSpec
  regexes: RegExp[]
}

/** Cut evidence to a readable length; control characters become visible escapes. */
export function clipEvidence(s: string): string {
  const clean = s.replace(
    /[\u0000-\u001f\u007f]/g,
    (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
  )
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

  inspect(req: RequestView): Finding[] {
    const out: Finding[] = []
    const seen = new Set<string>()
    const add = (f: Finding) => {
      if (seen.has(f.rule)) return
      seen.add(f.rule)
      out.push(f)
    }

    if (req.method !== null) {
      for (const r of this.byTarget.get('method') ?? []) {
        const c = r.spec.condition
        if (c?.kind === 'method-not-in' && !req.malformed && !c.methods.includes(req.method))
          add(finding(r.spec, 'method', req.method))
        if (c?.kind === 'malformed-request' && req.malformed) add(finding(r.spec, 'request-line', req.uri))
      }
      for (const r of this.byTarget.get('uri') ?? []) {
        const c = r.spec.condition
        if (c?.kind === 'uri-longer-than' && req.uri.length > c.length)
          add(finding(r.spec, 'uri', `${req.uri.length} bytes: ${req.uri.slice(0, 60)}`))
      }
      if (req.path) {
        const p = normalizePath(req.path)
        this.matchValue('path', p.text, p.nullByte, 'path', add, seen)
      }
    }
    for (const [name, raw] of req.args) {
      if (!raw) continue
      const v = normalizeValue(raw)
      this.matchValue('args', v.text, v.nullByte, `arg:${name.slice(0, 40)}`, add, seen)
    }
    if (req.userAgent)
      this.matchValue('user-agent', req.userAgent.toLowerCase(), false, 'user-agent', add, seen)
    if (req.referer && (req.referer.includes('$') || req.referer.includes('('))) {
      const v = normalizeValue(req.referer, false)
      this.matchValue('referer', v.text, v.nullByte, 'referer', add, seen)
    }
    return out
  }

  private matchValue(
    target: Target,
    text: string,
    nullByte: boolean,
    location: string,
    add: (f: Finding) => void,
    seen: Set<string>,
  ): void {
    for (const r of this.byTarget.get(target) ?? []) {
      if (seen.has(r.spec.id)) continue
      if (r.spec.condition?.kind === 'null-byte') {
        if (nullByte) add(finding(r.spec, location, text))
        continue
      }
      for (const re of r.regexes) {
        const m = re.exec(text)
        if (m) {
          add(finding(r.spec, location, m[0].length >= 12 ? m[0] : contextOf(text, m.index, m[0].length)))
          break
        }
      }
    }
  }
}

/** A short match gets a little context, so `'--` reads as `admin'--`. */
function contextOf(text: string, index: number, length: number): string {
  const start = Math.max(0, index - 24)
  return text.slice(start, Math.min(text.length, index + length + 24)).trim()
}
