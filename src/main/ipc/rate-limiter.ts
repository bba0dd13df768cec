import type { Clock } from '../platform/clock'
import type { RateClass } from '../../shared/contract'

interface Bucket {
  tokens: number
  updated: number
}

export interface RateRule {
  capacity: number
  perSecond: number
}

/** Authentication calls: 10 at once, then one every 6 s per client. Everything else: generous, against floods. */
export const DEFAULT_RATES: Record<RateClass, RateRule> = {
  auth: { capacity: 10, perSecond: 1 / 6 },
  default: { capacity: 200, perSecond: 50 },
}

/** Token buckets per (client, class). */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>()

  constructor(
    private readonly clock: Clock,
    private readonly rules: Record<RateClass, RateRule> = DEFAULT_RATES,
  ) {}

  /** Take one token; returns the seconds to wait when none is left. */
  take(client: string, cls: RateClass): { allowed: true } | { allowed: false; retryAfterSeconds: number } {
    const rule = this.rules[cls]
    const key = `${cls}\u0000${client}`
    const now = this.clock.now()
    const b = this.buckets.get(key) ?? { tokens: rule.capacity, updated: now }
    b.tokens = Math.min(rule.capacity, b.tokens + ((now - b.updated) / 1000) * rule.perSecond)
    b.updated = now
    if (this.buckets.size > 10_000) this.buckets.clear() // bounded memory under a spray of client ids
    this.buckets.set(key, b)
    if (b.tokens < 1) return { allowed: false, retryAfterSeconds: Math.ceil((1 - b.tokens) / rule.perSecond) }
    b.tokens -= 1
    return { allowed: true }
  }
}
