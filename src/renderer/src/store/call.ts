import { contract, type CallInput, type CallName, type CallOutput } from '../../../shared/contract'
import type { Result } from '../../../shared/result'
import { api } from '../lib/api'
import { useAppStore } from './index'

/**
 * Every screen's calls go through here: an ended session sends the user back to Login with one plain
 * message, a session newly restricted to MFA enrollment (e.g. an admin reset this account's MFA) goes to
 * enrollment, and a successful session call moves the idle countdown the way the server just did.
 */
export async function callApi<N extends CallName>(
  name: N,
  input: CallInput<N>,
): Promise<Result<CallOutput<N>>> {
  const result = await api[name](input)
  const { sessionEnded, sessionTouched, sessionRefreshed, session } = useAppStore.getState()
  const needsSession = contract[name].access !== 'public'
  if (!result.ok && result.error.code === 'UNAUTHENTICATED') {
    sessionEnded()
  } else if (!result.ok && result.error.code === 'MFA_REQUIRED' && needsSession && session) {
    const current = await api['auth.session']({})
    if (current.ok) sessionRefreshed(current.value)
    else if (current.error.code === 'UNAUTHENTICATED') sessionEnded()
  } else if (result.ok && needsSession) {
    sessionTouched()
  }
  return result
}
