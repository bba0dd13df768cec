import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse as parseYaml } from 'yaml'
import { DomainError } from '../../domain-error'
import type { Finding } from './findings'

/** One entry of `.qqsec-ignore.yaml`: what it matches (any given fields must all match), why, until when. */
export interface IgnoreEntry {
  id?: string
  rule?: string
  path?: string
  package?: string
  fingerprint?: string
  reason: string
  expires: string
}

export const IGNORE_FILE = '.qqsec-ignore.yaml'

/** A glob with `*` (within a folder) and `**` (across folders) → RegExp. */
export function globToRegExp(glob: string): RegExp {
  let re = ''
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!
    if (c === '*' && glob[i + 1] === '*') {
      re += '.*'
      i++
      if (glob[i + 1] === '/') i++
    } else if (c === '*') re += '[^/]*'
    else if (c === '?') re += '[^/]'
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&')
  }
  return new RegExp(`^${re}$`)
}

const FIELDS = ['id', 'rule', 'path', 'package', 'fingerprint'] as const

/** Read the project's ignore file; an entry without a reason or an expiry date makes the whole file invalid. */
export function readIgnoreFile(root: string): IgnoreEntry[] {
  const p = join(root, IGNORE_FILE)
  if (!existsSync(p)) return []
  let doc: unknown
  try {
    doc = parseYaml(readFileSync(p, 'utf8'))
  } catch (e) {
    throw new DomainError(
      'INVALID_INPUT',
      `${IGNORE_FILE} is not valid YAML (${(e as Error).message}). Fix the file.`,
    )
  }
  const list = doc && typeof doc === 'object' && 'ignore' in doc ? (doc as { ignore: unknown }).ignore : null
  if (!Array.isArray(list))
    throw new DomainError('INVALID_INPUT', `${IGNORE_FILE} must hold a list under "ignore:". Fix the file.`)
  return list.map((raw, i) => {
    const e = (raw ?? {}) as Record<string, unknown>
    const at = `${IGNORE_FILE} entry ${i + 1}`
    const reason = typeof e['reason'] === 'string' ? e['reason'].trim() : ''
    const expires =
      e['expires'] instanceof Date ? e['expires'].toISOString().slice(0, 10) : String(e['expires'] ?? '')
    if (reason.length < 5)
      throw new DomainError('INVALID_INPUT', `${at}: "reason" is required (say why). Fix the file.`)
    if (!/^\d{4}-\d{2}-\d{2}/.test(expires) || Number.isNaN(Date.parse(expires)))
      throw new DomainError('INVALID_INPUT', `${at}: "expires" must be a date (YYYY-MM-DD). Fix the file.`)
    const entry: IgnoreEntry = { reason, expires }
    for (const f of FIELDS) if (typeof e[f] === 'string') entry[f] = e[f] as string
    if (!FIELDS.some((f) => entry[f] !== undefined))
      throw new DomainError(
        'INVALID_INPUT',
        `${at}: give at least one of id, rule, path, package, fingerprint.`,
      )
    return entry
  })
}

export function entryMatches(e: IgnoreEntry, f: Finding): boolean {
  if (e.fingerprint !== undefined && e.fingerprint !== f.fingerprint) return false
  if (e.rule !== undefined && e.rule !== f.ruleId) return false
  if (e.id !== undefined && !(f.kind === 'dependency' && f.ids.includes(e.id))) return false
  if (e.package !== undefined) {
    if (f.kind !== 'dependency') return false
    const at = e.package.lastIndexOf('@')
    const name = at > 0 ? e.package.slice(0, at) : e.package
    const version = at > 0 ? e.package.slice(at + 1) : '*'
    if (name !== f.package || (version !== '*' && version !== f.version)) return false
  }
  if (e.path !== undefined) {
    const file = f.kind === 'dependency' ? f.lockfile : f.file
    if (!globToRegExp(e.path).test(file)) return false
  }
  return true
}
