import type { ConsoleApi } from '../../../shared/api'
import { CALL_NAMES, type CallName } from '../../../shared/contract'
import type { Result } from '../../../shared/result'
import { unavailable } from './unavailable'

const HINT = 'restart the console if this keeps happening.'

type AnyCall = (input: unknown) => Promise<Result<unknown>>

/**
 * Electron: the preload's bridge, with a rejected or missing IPC call turned into a Result like every other
 * failure. Built from the contract's list of calls; the cast asserts what the preload already guarantees.
 */
export function ipcApi(bridge: ConsoleApi): ConsoleApi {
  const route =
    (name: CallName): AnyCall =>
    async (input) => {
      const call = bridge[name] as AnyCall | undefined
      if (typeof call !== 'function') return unavailable(`the desktop bridge has no call ${name}`, HINT)
      try {
        return await call(input)
      } catch (cause) {
        return unavailable(cause, HINT)
      }
    }
  return Object.fromEntries(CALL_NAMES.map((name) => [name, route(name)])) as ConsoleApi
}
