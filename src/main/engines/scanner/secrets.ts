import { SECRET_RULES, type SecretRule } from './secret-rules'
import { fingerprintOf, redact, shannonEntropy, type SecretFinding } from './findings'

const KEYWORDS = [...new Set(SECRET_RULES.flatMap((r) => r.keywords))]
const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')
const ANY_KEYWORD = new RegExp(KEYWORDS.map(escape).join('|'), 'gi')

/** Values that look like code or templates rather than credentials. */
const PLACEHOLDER =
  /^(?:\$\{.*\}|\{\{.*\}\}|<[^>]+>|%[A-Z_]+%|x{6,}|\*{6,}|process\.env\..*|.*(?:example|placeholder|changeme|your[_-]).*)$/i

function lineStarts(text: string): number[] {
  const out = [0]
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) out.push(i + 1)
  return out
}

function position(starts: number[], offset: number): { line: number; column: number } {
  let lo = 0
  let hi = starts.length - 1
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1
    if (starts[mid]! <= offset) lo = mid
    else hi = mid - 1
  }
  return { line: lo + 1, column: offset - starts[lo]! + 1 }
}

/**
 * Find credentials in one file's text. One case-insensitive keyword pass decides which rules run at all; each
 * candidate passes its rule's entropy floor and a placeholder check. Secrets are redacted here: only the
 * fingerprint (a hash) and a masked prefix leave this function.
 */
export function scanTextForSecrets(
  file: string,
  text: string,
  rules: readonly SecretRule[] = SECRET_RULES,
): SecretFinding[] {
  ANY_KEYWORD.lastIndex = 0
  const seen = new Set<string>()
  let m: RegExpExecArray | null
  while ((m = ANY_KEYWORD.exec(text)) !== null) seen.add(m[0].toLowerCase())
  if (seen.size === 0) return []
  const out: SecretFinding[] = []
  let starts: number[] | null = null
  const taken = new Set<number>()
  for (const rule of rules) {
    if (!rule.keywords.some((k) => seen.has(k))) continue
    rule.pattern.lastIndex = 0
    while ((m = rule.pattern.exec(text)) !== null) {
      const whole = rule.id === 'private-key'
      const secret = whole ? m[0] : (m[1] ?? m[0])
      const offset = whole ? m.index : m.index + (m[1] !== undefined ? m[0].indexOf(m[1]) : 0)
      if (taken.has(offset)) continue
      const entropy = shannonEntropy(secret)
      if (rule.minEntropy !== undefined && entropy < rule.minEntropy) continue
      if (rule.id !== 'private-key' && PLACEHOLDER.test(secret)) continue
      taken.add(offset)
      starts ??= lineStarts(text)
      const pos = position(starts, m.index)
      out.push({
        kind: 'secret',
        ruleId: rule.id,
        title: rule.title,
        severity: rule.severity,
        fingerprint: fingerprintOf('secret', file, rule.id, secret),
        status: 'new',
        accepted: null,
        file,
        line: pos.line,
        column: pos.column,
        redacted: rule.id === 'private-key' ? '-----BEGIN ********' : redact(secret),
        entropy: Math.round(entropy * 100) / 100,
      })
    }
  }
  return out
}
