import { contract, type CallInput, type CallName, type CallOutput } from '../../../shared/contract'
import type { Result } from '../../../shared/result'
import { api } from '../lib/api'
import { useAppStore } from './index'

/**
 * Every screen's calls go through here: an ended session sends the user back to Login with one plain
 * message, and a successful session call moves the idle countdown the way the server just did.
 */
export async function callApi<N extends CallName>(
  name: N,
  input: CallInput<N>,
): Promise<Result<CallOutput<N>>> {
  const result = await api[name](input)
  const { sessionEnded, sessionTouched } = useAppStore.getState()
  if (!result.ok && result.error.code === 'UNAUTHENTICATED') sessionEnded()
  else if (result.ok && contract[name].access !== 'public') sessionTouched()
  return result
}
