import type { ConsoleApi } from '../../../shared/api'
import type { CallInput, CallName, CallOutput } from '../../../shared/contract'
import type { Result } from '../../../shared/result'
import { unavailable } from './unavailable'

const HINT = 'restart the console if this keeps happening.'

/** Electron: the preload's bridge, with a rejected IPC promise turned into a Result like every other failure. */
export function ipcApi(bridge: ConsoleApi): ConsoleApi {
  const route =
    <N extends CallName>(name: N) =>
    async (input: CallInput<N>): Promise<Result<CallOutput<N>>> => {
      try {
        return await bridge[name](input)
      } catch (cause) {
        return unavailable(cause, HINT)
      }
    }
  return {
    'system.status': route('system.status'),
    'auth.evaluatePassword': route('auth.evaluatePassword'),
    'auth.setupAdmin': route('auth.setupAdmin'),
    'auth.login': route('auth.login'),
    'auth.logout': route('auth.logout'),
    'auth.session': route('auth.session'),
    'users.list': route('users.list'),
    'audit.recent': route('audit.recent'),
  }
}
