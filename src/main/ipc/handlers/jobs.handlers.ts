import { me, type DomainHandlers, type HandlerDeps } from './handler-deps'

/** Long operations: progress and cancel for the account that started them. */
export function jobsHandlers(d: HandlerDeps): DomainHandlers<'jobs'> {
  const { jobs } = d
  return {
    'jobs.get': (input, ctx) => jobs.get(input.jobId, me(ctx).userId),
    'jobs.list': (_input, ctx) => ({ jobs: jobs.list(me(ctx).userId) }),
    'jobs.cancel': (input, ctx) => {
      const info = jobs.cancel(input.jobId, me(ctx).userId)
      ctx.audit.resource = `job:${info.id}`
      ctx.audit.details = { kind: info.kind }
      return info
    },
  }
}
