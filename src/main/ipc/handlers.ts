import { APP_VERSION } from '../../shared/version'
import type { AuditLog, AuditRow } from '../engines/audit/audit-log'
import type { AuthService, ResolvedSession } from '../engines/auth/auth.service'
import type { CallOutput } from '../../shared/contract'
import type { Handlers } from './pipeline'

export interface HandlerDeps {
  auth: AuthService
  audit: AuditLog
  dataDir: string
}

const sessionView = (auth: AuthService, s: ResolvedSession): CallOutput<'auth.session'> => ({
  user: auth.userById(s.userId),
  permissions: s.permissions,
  idleExpiresAt: s.idleExpiresAt,
  absoluteExpiresAt: s.absoluteExpiresAt,
  idleTimeoutSeconds: auth.idleTimeoutSeconds,
})

const auditView = (r: AuditRow) => ({
  seq: r.seq,
  time: r.time,
  type: r.type,
  actor: r.actor,
  client: r.client,
  action: r.action,
  resource: r.resource,
  result: r.result,
  risk: r.risk,
  details: JSON.parse(r.details) as Record<string, unknown>,
  hash: r.hash,
})

/** The handler map: the one place each call's behaviour is bound to an engine. */
export function createHandlers({ auth, audit, dataDir }: HandlerDeps): Handlers {
  return {
    'system.status': () => ({ initialized: auth.hasAccounts(), version: APP_VERSION, dataDir }),
    'auth.evaluatePassword': (input) => auth.evaluatePassword(input.password, input.name, input.email),
    'auth.setupAdmin': async (input, ctx) => {
      const user = await auth.setupAdmin(input.name, input.password, input.email)
      ctx.audit.resource = `user:${user.id}`
      ctx.audit.details = { created: 'first administrator' }
      return { user }
    },
    'auth.login': async (input, ctx) => {
      const { token, session } = await auth.login(input.name, input.password, ctx.caller.client)
      ctx.caller.bindSession(token)
      ctx.session = session
      ctx.audit.details = { session: session.id }
      return sessionView(auth, session)
    },
    'auth.logout': (_input, ctx) => {
      if (ctx.caller.sessionToken) auth.logout(ctx.caller.sessionToken)
      ctx.caller.bindSession(null)
      return { signedOut: true as const }
    },
    'auth.session': (_input, ctx) => sessionView(auth, ctx.session!),
    'users.list': () => ({ users: auth.listUsers() }),
    'audit.recent': (input) => {
      const { entries, total } = audit.recent(input.limit, input.beforeSeq)
      return { entries: entries.map(auditView), total }
    },
  }
}
