import { randomUUID } from 'node:crypto'
import type { Db } from '../../db/connection'
import { DomainError } from '../../domain-error'
import type { Clock } from '../../platform/clock'
import { iso } from '../../platform/clock'
import { globToRegExp } from '../scanner/ignore-file'
import { parseRange, satisfies } from './semver-range'

/**
 * Waivers: one model for accepting risk anywhere in the console — vulnerability, secret and configuration
 * findings (scanner), intrusion findings (threats) and compliance violations. A waiver names what it covers (its
 * scope), why (required), who owns it and who approved it, and until when (required): after that, or once
 * revoked, it stops applying and the findings it covered are open again.
 */
export const WAIVER_DOMAINS = ['scanner', 'threats', 'compliance'] as const
export type WaiverDomain = (typeof WAIVER_DOMAINS)[number]
export const SCOPE_KINDS = ['advisory', 'package', 'path', 'fingerprint', 'rule', 'client'] as const
export type ScopeKind = (typeof SCOPE_KINDS)[number]
export type WaiverState = 'active' | 'expired' | 'revoked'

export interface Waiver {
  id: string
  domain: WaiverDomain
  scope: { kind: ScopeKind; value: string }
  reason: string
  owner: string
  approver: string | null
  expiresAt: string
  createdBy: string | null
  createdAt: string
  revokedAt: string | null
  revokedBy: string | null
  revokeReason: string | null
  state: WaiverState
}

export interface NewWaiver {
  domain: WaiverDomain
  scope: { kind: ScopeKind; value: string }
  reason: string
  owner: string
  approver?: string | null
  expiresAt: string
}

/** What a finding of any domain offers for matching; each domain fills what it has. */
export interface WaivableFinding {
  /** Advisory id and aliases (scanner dependencies), or a rule/control id list. */
  ids?: readonly string[]
  package?: string
  version?: string
  /** File path relative to the scanned root, a lockfile, a log file… */
  path?: string
  fingerprint?: string
  ruleId?: string
  client?: string
}

interface Row {
  id: string
  domain: string
  scope_kind: string
  scope_value: string
  reason: string
  owner: string
  approver: string | null
  expires_at: string
  created_by: string | null
  created_at: string
  revoked_at: string | null
  revoked_by: string | null
  revoke_reason: string | null
}

const MAX_DAYS = 3 * 366
const PACKAGE_NAME = /^(@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*$/i

/** Split `name@range` (scoped names keep their leading @); a bare name covers every version. */
export function splitPackageScope(value: string): { name: string; range: string } {
  const at = value.indexOf('@', 1)
  return at < 0 ? { name: value, range: '*' } : { name: value.slice(0, at), range: value.slice(at + 1) }
}

/** Check a scope's value for its kind; returns the normalized value or throws with what to write instead. */
export function validateScope(kind: ScopeKind, raw: string): string {
  const value = raw.trim()
  const bad = (what: string): never => {
    throw new DomainError('INVALID_INPUT', `Scope ${kind} "${value.slice(0, 80)}": ${what}`)
  }
  if (value === '' || value.length > 300) bad('give a value of 1 to 300 characters.')
  switch (kind) {
    case 'advisory':
      if (!/^[A-Za-z][A-Za-z0-9._:-]{2,79}$/.test(value))
        bad('give an advisory id such as GHSA-xxxx-xxxx-xxxx or CVE-2024-12345.')
      return value.toUpperCase().startsWith('GHSA-')
        ? `GHSA-${value.slice(5).toLowerCase()}`
        : value.toUpperCase()
    case 'package': {
      const { name, range } = splitPackageScope(value)
      if (!PACKAGE_NAME.test(name)) bad('give name@range, e.g. lodash@<4.17.21 or @scope/pkg@^1.2.0.')
      if (!parseRange(range)) bad(`"${range}" is not a version range (e.g. <4.17.21, ^1.2.0, 1.x, *).`)
      return `${name.toLowerCase()}@${range.trim()}`
    }
    case 'path':
      if (value.startsWith('/') || value.includes('..'))
        bad('give a path glob relative to the scanned folder, e.g. test/**/*.ts.')
      return value
    case 'fingerprint':
      if (!/^[0-9a-f]{16,64}$/i.test(value)) bad('give the finding fingerprint (hex) from a report.')
      return value.toLowerCase()
    case 'rule':
      if (!/^[\w.:/-]{2,120}$/.test(value)) bad('give a rule id such as electron-node-integration.')
      return value
    case 'client':
      if (!/^[\w.:*/@[\]-]{1,120}$/.test(value))
        bad('give a client such as 203.0.113.7 or cli:alice (* allowed).')
      return value
  }
}

const toWaiver = (r: Row, now: number): Waiver => ({
  id: r.id,
  domain: r.domain as WaiverDomain,
  scope: { kind: r.scope_kind as ScopeKind, value: r.scope_value },
  reason: r.reason,
  owner: r.owner,
  approver: r.approver,
  expiresAt: r.expires_at,
  createdBy: r.created_by,
  createdAt: r.created_at,
  revokedAt: r.revoked_at,
  revokedBy: r.revoked_by,
  revokeReason: r.revoke_reason,
  state: r.revoked_at ? 'revoked' : Date.parse(r.expires_at) <= now ? 'expired' : 'active',
})

/** Whether a waiver's scope covers a finding (state and domain not considered). */
export function scopeMatches(w: Pick<Waiver, 'scope'>, f: WaivableFinding): boolean {
  const { kind, value } = w.scope
  switch (kind) {
    case 'advisory':
      return (f.ids ?? []).some((i) => i.toLowerCase() === value.toLowerCase())
    case 'package': {
      if (!f.package || f.version === undefined) return false
      const { name, range } = splitPackageScope(value)
      return f.package.toLowerCase() === name.toLowerCase() && satisfies(f.version, range)
    }
    case 'path':
      return f.path !== undefined && globToRegExp(value).test(f.path)
    case 'fingerprint':
      return f.fingerprint?.toLowerCase() === value
    case 'rule':
      return f.ruleId === value
    case 'client':
      return f.client !== undefined && globToRegExp(value.replace(/\//g, '\\/')).test(f.client)
  }
}

/** The outcome of matching one finding: the live waiver that accepts it, or the expired ones that no longer do. */
export interface WaiverMatch {
  waiver: Waiver | null
  expired: Waiver[]
}

export class WaiverService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  create(input: NewWaiver, createdBy: string | null): Waiver {
    if (!WAIVER_DOMAINS.includes(input.domain))
      throw new DomainError('INVALID_INPUT', `Unknown domain; use one of ${WAIVER_DOMAINS.join(', ')}.`)
    if (!SCOPE_KINDS.includes(input.scope.kind))
      throw new DomainError('INVALID_INPUT', `Unknown scope; use one of ${SCOPE_KINDS.join(', ')}.`)
    const value = validateScope(input.scope.kind, input.scope.value)
    const reason = input.reason.trim()
    if (reason.length < 5)
      throw new DomainError('INVALID_INPUT', 'Say why the risk is accepted (at least 5 characters).')
    const owner = input.owner.trim()
    if (owner === '') throw new DomainError('INVALID_INPUT', 'Name the owner of the waiver.')
    const now = this.clock.now()
    const exp = Date.parse(input.expiresAt)
    if (!Number.isFinite(exp))
      throw new DomainError('INVALID_INPUT', 'The expiry is not a date (use YYYY-MM-DD).')
    if (exp <= now) throw new DomainError('INVALID_INPUT', 'The expiry must be in the future.')
    if (exp - now > MAX_DAYS * 86_400_000)
      throw new DomainError(
        'INVALID_INPUT',
        'A waiver lasts at most 3 years; set an earlier expiry and renew it.',
      )
    const id = randomUUID()
    this.db
      .prepare(
        `INSERT INTO waivers (id, domain, scope_kind, scope_value, reason, owner, approver, expires_at, created_by,
           created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        id,
        input.domain,
        input.scope.kind,
        value,
        reason,
        owner,
        input.approver?.trim() || null,
        iso(exp),
        createdBy,
        iso(now),
      )
    return this.get(id)
  }

  get(id: string): Waiver {
    const r = this.db.prepare(`SELECT * FROM waivers WHERE id = ?`).get(id) as Row | undefined
    if (!r) throw new DomainError('NOT_FOUND', 'No such waiver.')
    return toWaiver(r, this.clock.now())
  }

  revoke(id: string, reason: string, revokedBy: string | null): Waiver {
    const w = this.get(id)
    if (w.revokedAt) throw new DomainError('CONFLICT', `This waiver was already revoked on ${w.revokedAt}.`)
    this.db
      .prepare(
        `UPDATE waivers SET revoked_at = ?, revoked_by = ?, revoke_reason = ? WHERE id = ? AND revoked_at IS NULL`,
      )
      .run(iso(this.clock.now()), revokedBy, reason.trim(), id)
    return this.get(id)
  }

  /** Waivers, newest first; by domain and state when given. */
  list(filter: { domain?: WaiverDomain; state?: WaiverState } = {}): Waiver[] {
    const rows = (
      filter.domain
        ? this.db
            .prepare(`SELECT * FROM waivers WHERE domain = ? ORDER BY created_at DESC, id`)
            .all(filter.domain)
        : this.db.prepare(`SELECT * FROM waivers ORDER BY created_at DESC, id`).all()
    ) as Row[]
    const now = this.clock.now()
    const all = rows.map((r) => toWaiver(r, now))
    return filter.state ? all.filter((w) => w.state === filter.state) : all
  }

  /**
   * A matcher over the domain's waivers as of now (loaded once, for a whole scan or analysis). Revoked waivers are
   * ignored; expired ones are reported so the caller can say which findings resurfaced.
   */
  matcher(domain: WaiverDomain): (f: WaivableFinding) => WaiverMatch {
    const ws = this.list({ domain }).filter((w) => w.state !== 'revoked')
    const live = ws.filter((w) => w.state === 'active')
    const expired = ws.filter((w) => w.state === 'expired')
    return (f) => ({
      waiver: live.find((w) => scopeMatches(w, f)) ?? null,
      expired: expired.filter((w) => scopeMatches(w, f)),
    })
  }

  /** The live waiver of this domain that covers the finding, if any. */
  matches(domain: WaiverDomain, f: WaivableFinding): Waiver | null {
    return this.matcher(domain)(f).waiver
  }
}
