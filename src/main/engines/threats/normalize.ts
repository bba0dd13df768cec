/**
 * Normalization before matching, so trivial evasion fails: every step is a small exported function (tested one by
 * one), and `normalizeValue` / `normalizePath` chain them. Fast paths skip steps whose trigger character is absent:
 * most benign values are plain words and numbers.
 */

const MAX_DECODE_ROUNDS = 4
const HEX2 = /(?:%[0-9a-f]{2})+/gi

/** %uXXXX (IIS-style) escapes. */
export const decodePercentU = (s: string): string =>
  s.includes('%u') || s.includes('%U')
    ? s.replace(/%u([0-9a-f]{4})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16)))
    : s

/** Overlong UTF-8 forms of `.`, `/` and `\` that old decoders accepted. */
const OVERLONG: ReadonlyArray<[RegExp, string]> = [
  [/%c0%ae|%e0%80%ae|%c0%2e/gi, '.'],
  [/%c0%af|%e0%80%af|%c1%9c|%c1%1c|%c0%9v/gi, '/'],
  [/%c1%9c|%c0%5c/gi, '\\'],
]

/** One round of %XX decoding; a run that is not valid UTF-8 is decoded byte by byte (latin1). */
export function percentDecodeOnce(s: string): string {
  if (!s.includes('%')) return s
  let out = s
  for (const [re, ch] of OVERLONG) out = out.replace(re, ch)
  out = decodePercentU(out)
  return out.replace(HEX2, (run) => {
    try {
      return decodeURIComponent(run)
    } catch {
      return run.replace(/%([0-9a-f]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16)))
    }
  })
}

/** `+` is a space in form-encoded values. */
export const plusAsSpace = (s: string): string => (s.includes('+') ? s.replace(/\+/g, ' ') : s)

const NAMED_ENTITIES: Readonly<Record<string, string>> = {
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  amp: '&',
  nbsp: ' ',
  tab: '\t',
  newline: '\n',
  colon: ':',
  sol: '/',
  bsol: '\\',
  lpar: '(',
  rpar: ')',
  semi: ';',
  equals: '=',
  grave: '`',
  lsqb: '[',
  rsqb: ']',
  lcub: '{',
  rcub: '}',
  excl: '!',
  num: '#',
  percnt: '%',
  period: '.',
  comma: ',',
}

/** HTML character references: named (a useful subset), decimal and hex, with or without the `;`. */
export function decodeHtmlEntities(s: string): string {
  if (!s.includes('&')) return s
  return s.replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z]{2,8});?/gi, (whole, body: string) => {
    if (body[0] === '#') {
      const code =
        body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10)
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole
    }
    return NAMED_ENTITIES[body.toLowerCase()] ?? whole
  })
}

/** `\uXXXX`, `\u{X…}` and `\xXX` escapes (JavaScript, JSON, many template languages). */
export function decodeBackslashEscapes(s: string): string {
  if (!s.includes('\\')) return s
  return s
    .replace(/\\u\{([0-9a-f]{1,6})\}/gi, (w, h: string) => {
      const c = parseInt(h, 16)
      return c <= 0x10ffff ? String.fromCodePoint(c) : w
    })
    .replace(/\\u([0-9a-f]{4})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16)))
    .replace(/\\x([0-9a-f]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16)))
}

/** Decode every layer (double and triple encoding included) until nothing changes, at most a few rounds. */
export function decodeRepeatedly(s: string, formEncoded: boolean): string {
  let cur = s
  for (let i = 0; i < MAX_DECODE_ROUNDS; i++) {
    let next = percentDecodeOnce(cur)
    if (formEncoded && i === 0) next = plusAsSpace(next)
    next = decodeHtmlEntities(decodeBackslashEscapes(next))
    if (next === cur) break
    cur = next
  }
  return cur
}

/** SQL comments: `/*!50000union*\/` keeps its body (MySQL runs it), other block comments become one space. */
export function stripSqlComments(s: string): string {
  if (!s.includes('/*')) return s
  return s
    .replace(/\/\*!\d*/g, ' ')
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/\/\*[\s\S]*$/, ' ')
    .replace(/\*\//g, ' ')
}

/**
 * Runs of whitespace (including vertical tab, form feed and NBSP) become one space; a run with a line break becomes
 * one `\n`, because a newline separates shell commands.
 */
export const collapseWhitespace = (s: string): string =>
  s.replace(/\s+/g, (run) => (run.includes('\n') || run.includes('\r') ? '\n' : ' '))

/** Look-alike characters that some servers fold to ASCII path syntax (fullwidth forms, set minus, one dot leader). */
export function foldLookalikes(s: string): string {
  return /[\u2215\u2216\u2024\uff0e\uff0f\uff3c\u29f5\u2044]/.test(s)
    ? s
        .replace(/[\u2215\u2044\uff0f]/g, '/')
        .replace(/[\u2216\u29f5\uff3c]/g, '\\')
        .replace(/[\u2024\uff0e]/g, '.')
    : s
}

/** Null bytes are removed for matching (their presence is reported separately). */
export const stripNullBytes = (s: string): string => (s.includes('\0') ? s.replace(/\0/g, '') : s)

/** Path normalization: backslashes to slashes, `//` to `/`, `/./` to `/`. `..` is kept (it is the evidence). */
export function normalizePathSyntax(s: string): string {
  let p = s.includes('\\') ? s.replace(/\\/g, '/') : s
  // `scheme://` keeps its two slashes (stream wrappers and remote URLs are evidence).
  if (p.includes('//')) p = p.replace(/(^|[^:])\/{2,}/g, '$1/')
  if (p.includes('/./')) {
    let prev
    do {
      prev = p
      p = p.replace(/\/\.\//g, '/')
    } while (p !== prev)
  }
  if (p.endsWith('/.')) p = p.slice(0, -1)
  return p
}

export interface Normalized {
  text: string
  nullByte: boolean
}

const PLAIN = /^[a-z0-9_.\-/, ]*$/

/** Normalize a parameter value, body value or header for matching. */
export function normalizeValue(raw: string, formEncoded = true): Normalized {
  let s = raw.toLowerCase()
  if (PLAIN.test(s)) return { text: s.includes('//') ? normalizePathSyntax(s) : s, nullByte: false }
  s = foldLookalikes(decodeRepeatedly(s, formEncoded)).toLowerCase()
  const nullByte = s.includes('\0')
  s = stripNullBytes(s)
  s = stripSqlComments(s)
  s = collapseWhitespace(s).trim()
  if (s.includes('\\') || s.includes('//') || s.includes('/./')) s = normalizePathSyntax(s)
  return { text: s, nullByte }
}

/** Normalize a URL path (no `+` as space: in a path it is a literal plus). */
export function normalizePath(raw: string): Normalized {
  let s = raw.toLowerCase()
  if (PLAIN.test(s)) return { text: normalizePathSyntax(s), nullByte: false }
  s = foldLookalikes(decodeRepeatedly(s, false)).toLowerCase()
  const nullByte = s.includes('\0')
  s = collapseWhitespace(stripSqlComments(stripNullBytes(s)))
  return { text: normalizePathSyntax(s), nullByte }
}

/** Split a request target into its path and [name, value] query pairs (raw; values are normalized later). */
export function splitTarget(target: string): { path: string; args: Array<[string, string]> } {
  const hash = target.indexOf('#')
  const t = hash >= 0 ? target.slice(0, hash) : target
  const q = t.indexOf('?')
  if (q < 0) return { path: t, args: [] }
  return { path: t.slice(0, q), args: parseQuery(t.slice(q + 1)) }
}

const ENTITY_TAIL = /^(?:#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z]{2,8});/i

export function parseQuery(qs: string): Array<[string, string]> {
  const out: Array<[string, string]> = []
  if (!qs) return out
  for (const part of qs.split('&')) {
    if (!part) continue
    const last = out[out.length - 1]
    // `q=&lt;script&gt;`: an unencoded HTML entity is part of the previous value, not a new parameter.
    if (last && ENTITY_TAIL.test(part)) {
      last[1] += `&${part}`
      continue
    }
    const eq = part.indexOf('=')
    out.push(eq < 0 ? ['', part] : [part.slice(0, eq), part.slice(eq + 1)])
  }
  return out
}
