/**
 * Version ordering for OSV `SEMVER` ranges and the npm `ECOSYSTEM` (which is SemVer): SemVer 2.0 precedence, read
 * leniently the way OSV tooling does — a leading `v` is ignored, missing minor/patch count as 0 (`1.7` = `1.7.0`),
 * anything after the third numeric component is build metadata, numbers of any length compare exactly.
 */
export interface ParsedVersion {
  core: [string, string, string]
  prerelease: string[]
}

const numericCompare = (a: string, b: string): number => {
  const x = a.replace(/^0+(?=\d)/, '')
  const y = b.replace(/^0+(?=\d)/, '')
  if (x.length !== y.length) return x.length < y.length ? -1 : 1
  return x < y ? -1 : x > y ? 1 : 0
}

const VERSION = /^[vV]?(\d+)(?:\.(\d+))?(?:\.(\d+))?(.*)$/s

export function parseVersion(input: string): ParsedVersion | null {
  const m = VERSION.exec(input.trim())
  if (!m) return null
  const rest = m[4] ?? ''
  let prerelease: string[] = []
  if (rest.startsWith('-')) {
    const plus = rest.indexOf('+')
    const pre = plus < 0 ? rest.slice(1) : rest.slice(1, plus)
    prerelease = pre.split('.')
  } else if (rest !== '' && !rest.startsWith('+') && !rest.startsWith('.')) {
    // "1.8.2beta5": a suffix without a hyphen still sorts before the release.
    prerelease = rest.replace(/^[-_]/, '').split('.')
  }
  return { core: [m[1]!, m[2] ?? '0', m[3] ?? '0'], prerelease }
}

const isNumeric = (s: string): boolean => /^\d+$/.test(s)

function comparePrerelease(a: string[], b: string[]): number {
  if (a.length === 0 || b.length === 0) return a.length === b.length ? 0 : a.length === 0 ? 1 : -1
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i]!
    const y = b[i]!
    const xn = isNumeric(x)
    const yn = isNumeric(y)
    let c: number
    if (xn && yn) c = numericCompare(x, y)
    else if (xn) c = -1
    else if (yn) c = 1
    else c = x < y ? -1 : x > y ? 1 : 0
    if (c !== 0) return c
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1
}

export function compareParsed(a: ParsedVersion, b: ParsedVersion): number {
  for (let i = 0; i < 3; i++) {
    const c = numericCompare(a.core[i]!, b.core[i]!)
    if (c !== 0) return c
  }
  return comparePrerelease(a.prerelease, b.prerelease)
}

const cache = new Map<string, ParsedVersion | null>()
const parsedCached = (v: string): ParsedVersion | null => {
  let p = cache.get(v)
  if (p === undefined) {
    p = parseVersion(v)
    if (cache.size > 100_000) cache.clear()
    cache.set(v, p)
  }
  return p
}

/** -1, 0 or 1. A string that is no version at all sorts by plain string order, below every version. */
export function compareVersions(a: string, b: string): number {
  const x = parsedCached(a)
  const y = parsedCached(b)
  if (x && y) return compareParsed(x, y)
  if (!x && !y) return a < b ? -1 : a > b ? 1 : 0
  return x ? 1 : -1
}

export const isValidVersion = (v: string): boolean => parsedCached(v) !== null
