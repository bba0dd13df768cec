import { me, type DomainHandlers, type HandlerDeps } from './handler-deps'

/** The console-wide waivers: accept a risk (scanner, threats, compliance) with reason, owner and expiry. */
export function waiversHandlers(d: HandlerDeps): DomainHandlers<'waivers'> {
  const { waivers } = d
  return {
    'waivers.create': (input, ctx) => {
      const s = me(ctx)
      const w = waivers.create(
        {
          domain: input.domain,
          scope: input.scope,
          reason: input.reason,
          owner: input.owner,
          approver: input.approver ?? null,
          // a bare date means the end of that day (UTC)
          expiresAt: input.expiresAt.length === 10 ? `${input.expiresAt}T23:59:59.999Z` : input.expiresAt,
        },
        s.userName,
      )
      ctx.audit.resource = `waiver:${w.id}`
      ctx.audit.details = {
        domain: w.domain,
        scope: `${w.scope.kind}:${w.scope.value}`,
        owner: w.owner,
        approver: w.approver,
        expiresAt: w.expiresAt,
        reason: w.reason,
      }
      return w
    },
    'waivers.list': (input) => ({ waivers: waivers.list(input) }),
    'waivers.revoke': (input, ctx) => {
      const s = me(ctx)
      ctx.audit.resource = `waiver:${input.waiverId}`
      const w = waivers.revoke(input.waiverId, input.reason, s.userName)
      ctx.audit.details = {
        domain: w.domain,
        scope: `${w.scope.kind}:${w.scope.value}`,
        reason: input.reason,
      }
      return w
    },
  }
}
