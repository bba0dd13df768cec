import QRCode from 'qrcode'
import type { CallOutput } from '../../../shared/contract'
import { DomainError } from '../../domain-error'
import type { ResolvedSession, SessionInfo } from '../../engines/auth/auth.service'
import { PASSWORD_PRESETS } from '../../engines/auth/password-policy'
import { iso } from '../../platform/clock'
import type { HandlerContext } from '../pipeline'
import { me, type DomainHandlers, type HandlerDeps } from './handler-deps'

/** Accounts, sessions, MFA, roles and identity settings. */
export function identityHandlers(
  d: HandlerDeps,
): DomainHandlers<'auth' | 'mfa' | 'users' | 'roles' | 'settings'> {
  const { auth, users, mfa, rbac, settings } = d

  const sessionView = (
    s: ResolvedSession,
    secondFactor: 'otp' | 'backup-code' | null = null,
  ): CallOutput<'auth.session'> => ({
    user: users.view(s.userId),
    permissions: s.permissions,
    idleExpiresAt: s.idleExpiresAt,
    absoluteExpiresAt: s.absoluteExpiresAt,
    idleTimeoutSeconds: auth.idleTimeoutSeconds,
    restriction: s.restriction,
    secondFactor,
  })
  const sessionsView = (list: SessionInfo[], currentRef?: string) =>
    list.map((s) => ({ ...s, current: s.id === currentRef }))
  const target = (ctx: HandlerContext, userId: string, reason?: string) => {
    const u = users.view(userId)
    ctx.audit.resource = `user:${u.id}`
    ctx.audit.details = { ...ctx.audit.details, target: u.name, ...(reason ? { reason } : {}) }
    return u
  }
  const mfaRequiredFor = (userId: string) => {
    const required = settings.get().mfaRequiredRoles
    return rbac.rolesOf(userId).some((r) => required.includes(r))
  }

  return {
    'auth.evaluatePassword': (input) => auth.evaluatePassword(input.password, input.name, input.email),
    'auth.setupAdmin': async (input, ctx) => {
      const user = await users.setupAdmin(input.name, input.password, input.email)
      ctx.audit.resource = `user:${user.id}`
      ctx.audit.details = { created: 'first administrator' }
      return { user }
    },
    'auth.login': async (input, ctx) => {
      const { token, session, secondFactor } = await auth.login(
        input.name,
        input.password,
        ctx.caller.client,
        {
          otp: input.otp,
          backupCode: input.backupCode,
        },
      )
      ctx.caller.bindSession(token)
      ctx.session = session
      ctx.audit.details = { session: session.id, secondFactor, restriction: session.restriction }
      return sessionView(session, secondFactor)
    },
    'auth.logout': (_input, ctx) => {
      if (ctx.caller.sessionToken) auth.logout(ctx.caller.sessionToken)
      ctx.caller.bindSession(null)
      return { signedOut: true as const }
    },
    'auth.session': (_input, ctx) => sessionView(me(ctx)),
    'auth.changePassword': async (input, ctx) => {
      const s = me(ctx)
      const otherSessionsEnded = await auth.changePassword(
        s.userId,
        input.currentPassword,
        input.newPassword,
        s.id,
      )
      ctx.audit.details = { otherSessionsEnded }
      return { otherSessionsEnded }
    },
    'auth.listSessions': (_input, ctx) => {
      const s = me(ctx)
      return { sessions: sessionsView(auth.listSessions(s.userId), s.id) }
    },
    'auth.signOutEverywhere': (_input, ctx) => {
      const ended = auth.revokeSessions(me(ctx).userId)
      ctx.caller.bindSession(null)
      ctx.audit.details = { ended }
      return { ended }
    },
    'mfa.status': (_input, ctx) => {
      const s = me(ctx)
      return { ...mfa.status(s.userId), required: mfaRequiredFor(s.userId) }
    },
    'mfa.beginEnrollment': async (input, ctx) => {
      const s = me(ctx)
      if (input.kind === 'totp' && input.secret !== undefined) {
        throw new DomainError(
          'INVALID_INPUT',
          'An authenticator app gets a new secret from the console; only HOTP tokens bring their own.',
        )
      }
      if (input.kind === 'hotp' && input.secret === undefined) {
        throw new DomainError('INVALID_INPUT', 'Enter the secret that came with the hardware token (base32).')
      }
      const e = mfa.begin(s.userId, s.userName, input.kind, input.secret?.toUpperCase())
      ctx.audit.details = { kind: e.kind }
      const qrSvg = await QRCode.toString(e.otpauthUri, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' })
      return { ...e, qrSvg }
    },
    'mfa.confirmEnrollment': (input, ctx) => {
      const s = me(ctx)
      const backupCodes = mfa.confirm(s.userId, input.code)
      auth.liftRestriction(s.userId)
      return { backupCodes }
    },
    'mfa.regenerateBackupCodes': async (input, ctx) => {
      const s = me(ctx)
      await auth.confirmPassword(s.userId, input.password)
      return { backupCodes: mfa.regenerateBackupCodes(s.userId) }
    },
    'mfa.disable': async (input, ctx) => {
      const s = me(ctx)
      await auth.confirmPassword(s.userId, input.password)
      if (mfaRequiredFor(s.userId)) {
        throw new DomainError(
          'FORBIDDEN',
          'Your role requires two-factor authentication; it cannot be turned off.',
        )
      }
      if (!mfa.remove(s.userId))
        throw new DomainError('CONFLICT', 'Two-factor authentication is already off.')
      return { disabled: true as const }
    },
    'users.list': () => ({ users: users.list() }),
    'users.create': async (input, ctx) => {
      const user = await users.create(me(ctx).userId, input)
      ctx.audit.resource = `user:${user.id}`
      ctx.audit.details = { target: user.name, roles: user.roles }
      return { user }
    },
    'users.delete': async (input, ctx) => {
      const s = me(ctx)
      target(ctx, input.userId, input.reason)
      await auth.confirmPassword(s.userId, input.confirmPassword)
      return { deleted: users.delete(s.userId, input.userId).name }
    },
    'users.lock': (input, ctx) => {
      target(ctx, input.userId, input.reason)
      return { user: users.lock(me(ctx).userId, input.userId) }
    },
    'users.unlock': (input, ctx) => {
      target(ctx, input.userId, input.reason)
      return { user: users.unlock(me(ctx).userId, input.userId) }
    },
    'users.grantRole': (input, ctx) => {
      target(ctx, input.userId, input.reason)
      ctx.audit.details = { ...ctx.audit.details, role: input.role, expiresAt: input.expiresAt ?? null }
      return { user: users.grantRole(me(ctx).userId, input.userId, input.role, input.expiresAt) }
    },
    'users.revokeRole': (input, ctx) => {
      target(ctx, input.userId, input.reason)
      ctx.audit.details = { ...ctx.audit.details, role: input.role }
      return { user: users.revokeRole(me(ctx).userId, input.userId, input.role) }
    },
    'users.resetPassword': async (input, ctx) => {
      target(ctx, input.userId, input.reason)
      return { user: await users.resetPassword(me(ctx).userId, input.userId, input.newPassword) }
    },
    'users.resetMfa': async (input, ctx) => {
      const s = me(ctx)
      target(ctx, input.userId, input.reason)
      await auth.confirmPassword(s.userId, input.confirmPassword)
      return { user: users.resetMfa(s.userId, input.userId) }
    },
    'users.listSessions': (input, ctx) => {
      target(ctx, input.userId)
      return { sessions: sessionsView(auth.listSessions(input.userId), me(ctx).id) }
    },
    'users.revokeSessions': (input, ctx) => {
      target(ctx, input.userId)
      const ended = input.sessionId
        ? auth.revokeSession(input.userId, input.sessionId)
        : auth.revokeSessions(input.userId)
      if (input.sessionId && ended === 0)
        throw new DomainError('NOT_FOUND', 'That session has already ended.')
      ctx.audit.details = { ...ctx.audit.details, ended }
      return { ended }
    },
    'users.accessReview': (_input, ctx) => {
      ctx.audit.details = { export: 'access review' }
      return { generatedAt: iso(d.clock.now()), rows: users.accessReview(settings.get().mfaRequiredRoles) }
    },
    'roles.list': () => ({ roles: rbac.listRoles() }),
    'roles.create': (input, ctx) => {
      const role = rbac.createRole(input.name, input.description, input.permissions, me(ctx).userName)
      ctx.audit.resource = `role:${role.name}`
      ctx.audit.details = { permissions: role.permissions }
      return { role }
    },
    'settings.getIdentity': () => ({
      settings: settings.get(),
      presets: Object.values(PASSWORD_PRESETS).map((p) => ({
        id: p.id,
        label: p.label,
        description: p.description,
      })),
    }),
    'settings.updateIdentity': (input, ctx) => {
      const before = settings.get()
      const next = settings.update(input.patch, me(ctx).userName)
      const changed = Object.keys(input.patch).filter(
        (k) =>
          JSON.stringify(before[k as keyof typeof before]) !== JSON.stringify(next[k as keyof typeof next]),
      )
      ctx.audit.details = { changed, patch: input.patch }
      return { settings: next }
    },
  }
}
