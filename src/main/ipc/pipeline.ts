import type { z } from 'zod'
import {
  contract,
  isCallName,
  MAX_INPUT_BYTES,
  type CallName,
  type CallOutput,
  type ParsedInput,
} from '../../shared/contract'
import { err, ok, type Result } from '../../shared/result'
import { DomainError } from '../domain-error'
import type { AuditLog } from '../engines/audit/audit-log'
import type { AuthService, ResolvedSession } from '../engines/auth/auth.service'
import type { RbacService } from '../engines/rbac/rbac.service'
import { isPermission } from '../../shared/permissions'
import type { Clock } from '../platform/clock'
import type { Logger } from '../platform/logger'
import type { Caller } from './caller'
import type { RateLimiter } from './rate-limiter'
import { illFormedPath } from '../platform/unicode'

export interface HandlerContext {
  caller: Caller
  session: ResolvedSession | null
  /** What the handler adds to the call's audit entry (never secrets). */
  audit: { actor?: string; resource?: string; details?: Record<string, unknown> }
}

export type Handlers = {
  [N in CallName]: (input: ParsedInput<N>, ctx: HandlerContext) => CallOutput<N> | Promise<CallOutput<N>>
}

export interface PipelineDeps {
  auth: AuthService
  rbac: RbacService
  audit: AuditLog
  rateLimiter: RateLimiter
  clock: Clock
  logger: Logger
  handlers: Handlers
  /** Threat detection: analyzes each allowed call before its handler runs (block refuses it, alert lets it run). */
  threats?: {
    inspect(
      caller: Caller,
      name: CallName,
      input: unknown,
      session: ResolvedSession | null,
      options?: { bulk: boolean },
    ): { decision: 'allow' | 'alert' | 'block'; message: string; threatId: string | null }
  }
}

export type Invoke = (caller: Caller, name: unknown, rawInput: unknown) => Promise<Result<unknown>>

const describeIssues = (e: z.ZodError): string =>
  e.issues
    .slice(0, 5)
    .map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message))
    .join('; ')

const inputSize = (raw: unknown): number => {
  try {
    return Buffer.byteLength(JSON.stringify(raw ?? null) ?? '', 'utf8')
  } catch {
    return Number.POSITIVE_INFINITY // cyclic or otherwise unserializable
  }
}

/**
 * The one guarded call path, shared by IPC, browser mode and the CLI:
 * sender → known call → size cap → input schema → rate limit → session → RBAC → handler → output schema
 * → audit (allowed and denied alike) → error mapping (codes and safe messages; internals stay in main's log).
 */
export function createPipeline(deps: PipelineDeps): Invoke {
  const { auth, rbac, audit, rateLimiter, logger, handlers } = deps
  const lastRateAudit = new Map<string, number>()

  return async function invoke(caller, rawName, rawInput) {
    const name = isCallName(rawName) ? rawName : null
    const action = name ?? `unknown:${String(rawName).slice(0, 64)}`
    const spec = name ? contract[name] : null
    let session: ResolvedSession | null = null
    const ctx: HandlerContext = { caller, session, audit: {} }

    const record = (
      result: 'success' | 'failure',
      details: Record<string, unknown>,
      risk: 'low' | 'medium' | 'high' = 'low',
    ) => {
      try {
        audit.record({
          type: spec?.event ?? 'system',
          actor: session?.userName ?? ctx.audit.actor ?? null,
          client: caller.client,
          session: session?.id ?? null,
          action,
          resource: ctx.audit.resource ?? null,
          result,
          risk,
          details: { transport: caller.transport, ...ctx.audit.details, ...details },
        })
      } catch (e) {
        logger.error(`audit write failed for ${action}`, e)
        throw e
      }
    }
    const deny = (
      code: Parameters<typeof err>[0],
      message: string,
      risk: 'low' | 'medium' | 'high' = 'medium',
      extra?: Record<string, unknown>,
    ) => {
      record('failure', { code, ...(extra ?? {}) }, risk)
      return err(code, message, extra)
    }

    try {
      if (!caller.senderVerified)
        return deny('BAD_SENDER', 'This request did not come from the console itself.', 'high')
      if (!name || !spec)
        return deny('UNKNOWN_CALL', `There is no call named "${String(rawName).slice(0, 64)}".`, 'high')
      if (inputSize(rawInput) > MAX_INPUT_BYTES) {
        return deny(
          'PAYLOAD_TOO_LARGE',
          `The request is larger than ${MAX_INPUT_BYTES / 1024} KiB.`,
          'medium',
        )
      }
      // Text that UTF-8 cannot hold would be stored altered, and break the hashes and MACs taken over it.
      const illFormed = illFormedPath(rawInput)
      if (illFormed)
        return deny(
          'INVALID_INPUT',
          `${illFormed} is not valid Unicode text (it holds a lone surrogate); send well-formed text.`,
          'low',
        )
      const parsed = spec.input.safeParse(rawInput ?? {})
      if (!parsed.success) return deny('INVALID_INPUT', describeIssues(parsed.error), 'low')
      if (
        spec.access === 'public' &&
        parsed.data &&
        typeof parsed.data === 'object' &&
        'name' in parsed.data
      ) {
        ctx.audit.actor = String((parsed.data as { name: unknown }).name)
      }

      const rate = rateLimiter.take(caller.client, spec.rate)
      if (!rate.allowed) {
        const msg = `Too many requests; wait ${rate.retryAfterSeconds} s and try again.`
        const key = `${caller.client}|${spec.rate}`
        const last = lastRateAudit.get(key) ?? 0
        if (deps.clock.now() - last > 10_000) {
          lastRateAudit.set(key, deps.clock.now())
          return deny('RATE_LIMITED', msg, 'high', { retryAfterSeconds: rate.retryAfterSeconds })
        }
        return err('RATE_LIMITED', msg, { retryAfterSeconds: rate.retryAfterSeconds })
      }

      if (spec.access !== 'public') {
        const resolved = caller.sessionToken ? auth.resolve(caller.sessionToken) : null
        session = resolved?.session ?? null
        ctx.session = session
        if (!resolved || !session) {
          if (caller.sessionToken) caller.bindSession(null)
          return deny(
            'UNAUTHENTICATED',
            'You are not signed in, or your session has ended. Sign in again.',
            'low',
          )
        }
        // The account's roles changed: the old token has ended and this client gets a new one.
        if (resolved.rotatedToken) caller.bindSession(resolved.rotatedToken)
        if (
          session.restriction === 'mfa-enrollment' &&
          !('duringEnrollment' in spec && spec.duringEnrollment)
        ) {
          return deny(
            'MFA_REQUIRED',
            'Set up two-factor authentication first: your role requires it.',
            'medium',
          )
        }
      }
      const decision = rbac.authorize(
        session ? { userId: session.userId, roles: session.roles } : null,
        spec.access,
        {
          address: caller.address,
        },
      )
      if (!decision.allowed) {
        record('failure', { code: 'FORBIDDEN', authorization: decision.reason }, 'medium')
        return err('FORBIDDEN', `You do not have permission for this: ${decision.reason}.`, {
          reason: decision.reason,
        })
      }

      // Upload chunks come by the thousand at their own rate limit: not a flood of console calls.
      const threat = deps.threats?.inspect(caller, name, parsed.data, session, {
        bulk: spec.rate === 'upload',
      })
      if (threat?.decision === 'block')
        return deny('BLOCKED', threat.message, 'high', { threatId: threat.threatId })

      const handler = handlers[name] as (input: unknown, ctx: HandlerContext) => unknown
      const value = await handler(parsed.data, ctx)
      const out = spec.output.safeParse(value)
      if (!out.success)
        throw new Error(`output of ${name} does not match the contract: ${describeIssues(out.error)}`)
      if (session && isPermission(spec.access)) rbac.recordUse(session.userId, spec.access)
      // `authorization` is why RBAC allowed it; `reason` stays free for the reason a person gave.
      if (!('quietSuccess' in spec && spec.quietSuccess))
        record('success', { authorization: decision.reason })
      return ok(out.data)
    } catch (e) {
      if (e instanceof DomainError) {
        const risk = e.code === 'LOCKED' || e.code === 'BAD_CREDENTIALS' ? 'medium' : 'low'
        return deny(e.code, e.message, risk, e.details)
      }
      logger.error(`call ${action} failed`, e)
      try {
        record('failure', { code: 'INTERNAL' }, 'medium')
      } catch {
        // already logged
      }
      return err('INTERNAL', 'Something went wrong inside the console; the details are in its log.')
    }
  }
}
