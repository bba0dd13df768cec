import { compareVersions, parseVersion } from '../scanner/semver'

/**
 * npm-style version ranges for waiver scopes (`lodash@<4.17.21`, `minimist@^1.2.0`): comparators (`<`, `<=`, `>`,
 * `>=`, `=`), caret and tilde, x-ranges (`1.2.x`, `*`), hyphen ranges (`1.0.0 - 2.0.0`), space for AND and `||`
 * for OR. A prerelease version only satisfies a range whose comparators name a prerelease of the same core, as npm
 * does.
 */
type Comparator = { op: '<' | '<=' | '>' | '>=' | '='; version: string }

const PART = /^[vV=]?(\d+|[xX*])(?:\.(\d+|[xX*]))?(?:\.(\d+|[xX*]))?(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/

interface Partial {
  major: number | null
  minor: number | null
  patch: number | null
  pre: string
}

function partial(s: string): Partial | null {
  const m = PART.exec(s)
  if (!m) return null
  const num = (x: string | undefined) => (x === undefined || /^[xX*]$/.test(x) ? null : Number(x))
  const major = num(m[1])
  const minor = major === null ? null : num(m[2])
  const patch = minor === null ? null : num(m[3])
  return { major, minor, patch, pre: patch === null ? '' : (m[4] ?? '') }
}

const v = (a: number, b: number, c: number, pre = '') => `${a}.${b}.${c}${pre}`

function expand(token: string): Comparator[] | null {
  if (token === '' || token === '*' || /^[xX]$/.test(token)) return []
  const op = /^(<=|>=|<|>|=|\^|~>?)?\s*(.*)$/.exec(token)
  if (!op) return null
  const kind = op[1] ?? ''
  const p = partial(op[2]!)
  if (!p) return null
  const { major, minor, patch, pre } = p
  if (major === null) return kind === '<' || kind === '>' ? [{ op: '<', version: '0.0.0-0' }] : []
  if (kind === '^') {
    const lo = v(major, minor ?? 0, patch ?? 0, pre)
    const hi =
      major > 0 || minor === null
        ? v(major + 1, 0, 0)
        : minor > 0 || patch === null
          ? v(0, minor + 1, 0)
          : v(0, 0, patch + 1)
    return [
      { op: '>=', version: lo },
      { op: '<', version: `${hi}-0` },
    ]
  }
  if (kind.startsWith('~')) {
    const lo = v(major, minor ?? 0, patch ?? 0, pre)
    const hi = minor === null ? v(major + 1, 0, 0) : v(major, minor + 1, 0)
    return [
      { op: '>=', version: lo },
      { op: '<', version: `${hi}-0` },
    ]
  }
  if (minor === null || patch === null) {
    // x-range: 1 or 1.2 (with an operator, the missing parts bound it)
    const lo = v(major, minor ?? 0, 0)
    const hi = minor === null ? v(major + 1, 0, 0) : v(major, minor + 1, 0)
    if (kind === '' || kind === '=')
      return [
        { op: '>=', version: lo },
        { op: '<', version: `${hi}-0` },
      ]
    if (kind === '>') return [{ op: '>=', version: hi }]
    if (kind === '>=') return [{ op: '>=', version: lo }]
    if (kind === '<') return [{ op: '<', version: `${lo}-0` }]
    return [{ op: '<', version: `${hi}-0` }]
  }
  return [{ op: (kind === '' ? '=' : kind) as Comparator['op'], version: v(major, minor, patch, pre) }]
}

/** Parse a range into OR-ed sets of AND-ed comparators; null when it is not a range. */
export function parseRange(range: string): Comparator[][] | null {
  const sets: Comparator[][] = []
  for (const alt of range.trim().split('||')) {
    const s = alt.trim()
    const hyphen = /^(\S+)\s+-\s+(\S+)$/.exec(s)
    if (hyphen) {
      const lo = expand(`>=${hyphen[1]}`)
      const hiP = partial(hyphen[2]!)
      if (!lo || !hiP || hiP.major === null) return null
      const hi =
        hiP.minor === null
          ? [{ op: '<' as const, version: `${v(hiP.major + 1, 0, 0)}-0` }]
          : hiP.patch === null
            ? [{ op: '<' as const, version: `${v(hiP.major, hiP.minor + 1, 0)}-0` }]
            : [{ op: '<=' as const, version: v(hiP.major, hiP.minor, hiP.patch, hiP.pre) }]
      sets.push([...lo, ...hi])
      continue
    }
    const tokens = s.replace(/(<=|>=|<|>|=|\^|~>?)\s+/g, '$1').split(/\s+/)
    const set: Comparator[] = []
    for (const t of tokens) {
      const c = expand(t)
      if (!c) return null
      set.push(...c)
    }
    sets.push(set)
  }
  return sets
}

const test = (version: string, c: Comparator): boolean => {
  const d = compareVersions(version, c.version)
  switch (c.op) {
    case '<':
      return d < 0
    case '<=':
      return d <= 0
    case '>':
      return d > 0
    case '>=':
      return d >= 0
    case '=':
      return d === 0
  }
}

const coreOf = (s: string): string => {
  const p = parseVersion(s)
  return p ? p.core.join('.') : s
}

/** Whether `version` satisfies `range` (npm semantics, prereleases included only on the same core). */
export function satisfies(version: string, range: string): boolean {
  const sets = parseRange(range)
  const parsed = parseVersion(version)
  if (!sets || !parsed) return false
  return sets.some((set) => {
    if (!set.every((c) => test(version, c))) return false
    if (parsed.prerelease.length === 0) return true
    const core = parsed.core.join('.')
    return set.some(
      (c) =>
        !c.version.endsWith('-0') &&
        parseVersion(c.version)!.prerelease.length > 0 &&
        coreOf(c.version) === core,
    )
  })
}
