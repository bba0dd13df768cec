import type { Finding } from './threat-types'

/**
 * Behaviour detectors over time: failed sign-ins in sliding windows (brute force per client and per account, and
 * spraying: one client failing against many accounts), requests per client per minute, and per-subject profiles.
 * Time always comes from the caller (log timestamps, or the console's clock), so tests run on a fake clock.
 */

export interface BruteForceOptions {
  windowMs: number
  /** Failures from one client within the window. */
  perClient: number
  /** Failures against one account within the window. */
  perAccount: number
  /** Distinct accounts one client failed against within the window. */
  sprayAccounts: number
}

export const DEFAULT_BRUTE_FORCE: BruteForceOptions = {
  windowMs: 5 * 60_000,
  perClient: 10,
  perAccount: 5,
  sprayAccounts: 5,
}

const MAX_KEYS = 100_000

/** Timestamps per key within a sliding window. */
export class SlidingWindow<T = number> {
  private readonly events = new Map<string, Array<{ at: number; value: T | null }>>()

  constructor(private readonly windowMs: number) {}

  add(key: string, at: number, value: T | null = null): void {
    let list = this.events.get(key)
    if (!list) {
      if (this.events.size >= MAX_KEYS) this.prune(at)
      list = []
      this.events.set(key, list)
    }
    list.push({ at, value })
    this.trim(list, at)
  }

  count(key: string, at: number): number {
    const list = this.events.get(key)
    if (!list) return 0
    this.trim(list, at)
    return list.length
  }

  distinct(key: string, at: number): number {
    const list = this.events.get(key)
    if (!list) return 0
    this.trim(list, at)
    return new Set(list.map((e) => e.value)).size
  }

  private trim(list: Array<{ at: number }>, at: number): void {
    let drop = 0
    while (drop < list.length && (list[drop]?.at ?? 0) <= at - this.windowMs) drop++
    if (drop) list.splice(0, drop)
  }

  private prune(at: number): void {
    for (const [k, list] of this.events) {
      this.trim(list, at)
      if (!list.length) this.events.delete(k)
    }
  }
}

const bf = (
  rule: string,
  name: string,
  severity: Finding['severity'],
  action: Finding['action'],
  evidence: string,
): Finding => ({
  rule,
  name,
  category: 'brute-force',
  severity,
  action,
  confidence: 0.8,
  location: 'sign-in',
  evidence,
})

export class BruteForceDetector {
  private readonly byClient: SlidingWindow<string>
  private readonly byAccount: SlidingWindow<string>

  constructor(readonly opts: BruteForceOptions = DEFAULT_BRUTE_FORCE) {
    this.byClient = new SlidingWindow<string>(opts.windowMs)
    this.byAccount = new SlidingWindow<string>(opts.windowMs)
  }

  /** Record a failed sign-in (or a 401/403 on a login path). */
  failure(client: string, account: string | null, at: number): void {
    this.byClient.add(client, at, account)
    if (account) this.byAccount.add(account, at, client)
  }

  /** Findings for a client (and the account it names) right now: empty while under every threshold. */
  assess(client: string, account: string | null, at: number): Finding[] {
    const out: Finding[] = []
    const minutes = Math.round(this.opts.windowMs / 60_000)
    const n = this.byClient.count(client, at)
    if (n >= this.opts.perClient)
      out.push(
        bf(
          'bruteforce-client',
          'Many failed sign-ins from one client',
          'high',
          'block',
          `${n} failures in ${minutes} min`,
        ),
      )
    const accounts = this.byClient.distinct(client, at)
    if (accounts >= this.opts.sprayAccounts)
      out.push(
        bf(
          'bruteforce-spraying',
          'Password spraying: one client failing against many accounts',
          'high',
          'block',
          `${accounts} accounts in ${minutes} min`,
        ),
      )
    if (account) {
      const a = this.byAccount.count(account, at)
      if (a >= this.opts.perAccount)
        out.push(
          bf(
            'bruteforce-account',
            'Many failed sign-ins against one account',
            'medium',
            'alert',
            `${a} failures in ${minutes} min`,
          ),
        )
    }
    return out
  }
}

/** Requests per client per minute (fixed minute buckets), against a threshold. */
export class RateCounter {
  private readonly minutes = new Map<string, { minute: number; count: number }>()

  constructor(readonly perMinute: number) {}

  /** Count one request; returns the count in its minute. */
  hit(client: string, at: number): number {
    const minute = Math.floor(at / 60_000)
    let e = this.minutes.get(client)
    if (!e || e.minute !== minute) {
      if (!e && this.minutes.size >= MAX_KEYS) {
        for (const [k, v] of this.minutes) if (v.minute < minute) this.minutes.delete(k)
      }
      e = { minute, count: 0 }
      this.minutes.set(client, e)
    }
    return ++e.count
  }

  /** A finding when this request went over the threshold, once per client and minute. */
  check(client: string, at: number): Finding | null {
    const n = this.hit(client, at)
    if (n !== this.perMinute + 1) return null
    return {
      rule: 'rate-per-minute',
      name: 'Request rate above the per-minute threshold',
      category: 'rate',
      severity: 'high',
      action: 'alert',
      confidence: 0.7,
      location: 'client',
      evidence: `more than ${this.perMinute} requests in one minute`,
    }
  }
}

/** What a subject (account or client) usually does. */
export interface Profile {
  count: number
  hours: number[]
  calls: Record<string, number>
  clients: Record<string, number>
}

export const MIN_PROFILE_HISTORY = 50
const MAX_PROFILE_KEYS = 200

export const emptyProfile = (): Profile => ({
  count: 0,
  hours: Array<number>(24).fill(0),
  calls: {},
  clients: {},
})

export interface Observation {
  hour: number
  call: string
  client: string
}

/**
 * How far an observation departs from the profile, 0–1: an hour the subject is rarely active in (up to 0.4), a call
 * it has never made (0.3), a client it has never used (0.3). Null until the profile has MIN_PROFILE_HISTORY requests.
 */
export function anomalyOf(p: Profile, o: Observation): { score: number | null; reasons: string[] } {
  if (p.count < MIN_PROFILE_HISTORY) return { score: null, reasons: [] }
  const reasons: string[] = []
  let score = 0
  const hourShare = (p.hours[o.hour] ?? 0) / p.count
  if (hourShare < 0.01) {
    score += 0.4
    reasons.push(`active at ${o.hour}:00 UTC, which is unusual`)
  } else if (hourShare < 0.03) {
    score += 0.2
    reasons.push(`active at ${o.hour}:00 UTC, which is rare`)
  }
  if (!p.calls[o.call]) {
    score += 0.3
    reasons.push(`first use of ${o.call}`)
  }
  if (!p.clients[o.client]) {
    score += 0.3
    reasons.push('a client not seen before')
  }
  return { score: Math.min(1, Math.round(score * 100) / 100), reasons }
}

/** Fold an observation into the profile (bounded: the rarest calls and clients are forgotten first). */
export function learn(p: Profile, o: Observation): void {
  p.count++
  p.hours[o.hour] = (p.hours[o.hour] ?? 0) + 1
  p.calls[o.call] = (p.calls[o.call] ?? 0) + 1
  p.clients[o.client] = (p.clients[o.client] ?? 0) + 1
  for (const key of ['calls', 'clients'] as const) {
    const m = p[key]
    const keys = Object.keys(m)
    if (keys.length > MAX_PROFILE_KEYS) {
      keys.sort((a, b) => (m[b] ?? 0) - (m[a] ?? 0))
      p[key] = Object.fromEntries(keys.slice(0, MAX_PROFILE_KEYS).map((k) => [k, m[k] ?? 0]))
    }
  }
}
