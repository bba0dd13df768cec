import type { ConsoleCore } from '../../src/main/console-core'
import type { Caller } from '../../src/main/ipc/caller'
import type { CallInput, CallName, CallOutput } from '../../src/shared/contract'
import type { CallError } from '../../src/shared/result'

/** A call through the pipeline that must succeed; its typed output. */
export async function expectOk<N extends CallName>(
  core: ConsoleCore,
  caller: Caller,
  name: N,
  input: CallInput<N>,
): Promise<CallOutput<N>> {
  const r = await core.invoke(caller, name, input)
  if (!r.ok) throw new Error(`${name} failed: ${r.error.code} ${r.error.message}`)
  return r.value as CallOutput<N>
}

/** A call through the pipeline that must be refused; its error. */
export async function expectRefusal(
  core: ConsoleCore,
  caller: Caller,
  name: CallName,
  input: unknown,
): Promise<CallError> {
  const r = await core.invoke(caller, name, input)
  if (r.ok) throw new Error(`${name} was expected to be refused`)
  return r.error
}
