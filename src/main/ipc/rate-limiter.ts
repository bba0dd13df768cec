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

/**
 * Authentication calls: 10 at once, then one every 6 s per client. Everything else: generous, against floods.
 * Upload chunks (≤ 192,000 bytes each) have their own bucket, so a large upload neither starves nor is starved by
 * the page's other calls: 400 at once, then 250/s — about 48 MB/s per client, a 4 GiB state in under 2 minutes.
 */
export const DEFAULT_RATES: Record<RateClass, RateRule> = {
  auth: { capacity: 10, perSecond: 1 / 6 },
  default: { capacity: 200, perSecond: 50 },
  upload: { capacity: 400, perSecond: 250 },
}

/** Token buckets per (client, class). */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>()
  private readonly rules: Record<RateClass, RateRule>

  /** `rules` overrides some classes; the others keep their DEFAULT_RATES. */
  constructor(
    private readonly clock: Clock,
    rules: Partial<Record<RateClass, RateRule>> = {},
  ) {
    this.rules = { ...DEFAULT_RATES, ...rules }
  }

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
