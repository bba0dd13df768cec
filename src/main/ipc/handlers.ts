import type { Handlers } from './pipeline'
import { auditHandlers } from './handlers/audit.handlers'
import type { HandlerDeps } from './handlers/handler-deps'
import { identityHandlers } from './handlers/identity.handlers'
import { jobsHandlers } from './handlers/jobs.handlers'
import { threatsHandlers } from './handlers/threats.handlers'
import { vaultHandlers } from './handlers/vault.handlers'
import { scannerHandlers } from './handlers/scanner.handlers'
import { waiversHandlers } from './handlers/waivers.handlers'
import { systemHandlers } from './handlers/system.handlers'

export type { HandlerDeps } from './handlers/handler-deps'

/**
 * The handler map: the one place each call is bound to an engine. Each domain keeps its handlers in its own file
 * under handlers/; the return type makes sure every contract call has exactly one.
 */
export function createHandlers(d: HandlerDeps): Handlers {
  return {
    ...systemHandlers(d),
    ...identityHandlers(d),
    ...auditHandlers(d),
    ...jobsHandlers(d),
    ...threatsHandlers(d),
    ...vaultHandlers(d),
    ...scannerHandlers(d),
    ...waiversHandlers(d),
  }
}
