import type { CallName } from '../../../shared/contract'
import type { Db } from '../../db/connection'
import type { AuditLog } from '../../engines/audit/audit-log'
import type { AuthService } from '../../engines/auth/auth.service'
import type { JobRunner } from '../../engines/jobs/job-runner'
import type { ThreatService } from '../../engines/threats/threats.service'
import type { VaultService } from '../../engines/vault/vault.service'
import type { ScannerService } from '../../engines/scanner/scanner.service'
import type { WaiverService } from '../../engines/waivers/waivers'
import type { ComplianceService } from '../../engines/compliance/compliance.service'
import type { MfaService } from '../../engines/auth/mfa.service'
import type { RbacService } from '../../engines/rbac/rbac.service'
import type { SettingsStore } from '../../engines/settings/settings.store'
import type { UsersService } from '../../engines/users/users.service'
import type { Clock } from '../../platform/clock'
import { DomainError } from '../../domain-error'
import type { ResolvedSession } from '../../engines/auth/auth.service'
import type { HandlerContext, Handlers } from '../pipeline'

/** Everything a handler may use: the engines of one console, injected. */
export interface HandlerDeps {
  db: Db
  auth: AuthService
  users: UsersService
  mfa: MfaService
  rbac: RbacService
  settings: SettingsStore
  audit: AuditLog
  compliance: ComplianceService
  jobs: JobRunner
  threats: ThreatService
  vault: VaultService
  scanner: ScannerService
  waivers: WaiverService
  clock: Clock
  dataDir: string
}

/** The handlers of the calls whose names start with one of the given domains. */
export type DomainHandlers<D extends string> = Pick<Handlers, Extract<CallName, `${D}.${string}`>>

/** The signed-in session; the pipeline guarantees one for every non-public call. */
export const me = (ctx: HandlerContext): ResolvedSession => {
  if (!ctx.session) throw new DomainError('UNAUTHENTICATED', 'You are not signed in.')
  return ctx.session
}

/**
 * Files written where the console runs are named by the CLI and the desktop app only: a browser names no path on the
 * machine running the server (`instead` says what it does instead).
 */
export const noPathsFromBrowser = (ctx: HandlerContext, path: string | undefined, instead: string): void => {
  if (path !== undefined && ctx.caller.transport === 'http')
    throw new DomainError('INVALID_INPUT', `In browser mode ${instead}, not a path on the server.`)
}
