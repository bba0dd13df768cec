import { APP_VERSION } from '../../../shared/version'
import type { DomainHandlers, HandlerDeps } from './handler-deps'

export function systemHandlers(d: HandlerDeps): DomainHandlers<'system'> {
  const { auth } = d
  return {
    'system.status': () => ({ initialized: auth.hasAccounts(), version: APP_VERSION, dataDir: d.dataDir }),
  }
}
