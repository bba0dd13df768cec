/**
 * Lone UTF-16 surrogates: JavaScript strings may hold them, UTF-8 cannot. SQLite (through better-sqlite3) stores
 * such a string as bytes that read back as U+FFFD, so anything hashed or MAC'd before storing it (audit entries,
 * vault properties) would no longer match once read back — a false alarm of tampering.
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

export const isWellFormed = (s: string): boolean => !LONE_SURROGATE.test(s)

/** The string with every lone surrogate replaced by U+FFFD, as storing and reading it back would give. */
export const toWellFormed = (s: string): string =>
  isWellFormed(s) ? s : s.replace(new RegExp(LONE_SURROGATE.source, 'g'), '\uFFFD')

/** The path of the first string (or object key) in `value` that is not well-formed Unicode, or null. */
export function illFormedPath(value: unknown, path = 'input', depth = 0): string | null {
  if (typeof value === 'string') return isWellFormed(value) ? null : path
  if (depth > 32 || value === null || typeof value !== 'object') return null
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const p = illFormedPath(value[i], `${path}[${i}]`, depth + 1)
      if (p) return p
    }
    return null
  }
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (!isWellFormed(k)) return `${path} (a key)`
    const p = illFormedPath(v, `${path}.${k}`, depth + 1)
    if (p) return p
  }
  return null
}
