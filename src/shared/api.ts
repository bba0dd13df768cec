import type { CallInput, CallName, CallOutput } from './contract'
import type { Result } from './result'

/** The shape the renderer sees: one async function per contract call, returning a Result. */
export type ConsoleApi = { [N in CallName]: (input: CallInput<N>) => Promise<Result<CallOutput<N>>> }
