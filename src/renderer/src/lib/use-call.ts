import { useCallback, useEffect, useState } from 'react'
import type { CallInput, CallName, CallOutput } from '../../../shared/contract'
import type { CallError } from '../../../shared/result'
import { callApi } from '../store/call'

export type CallState<T> =
  { status: 'loading' } | { status: 'error'; error: CallError } | { status: 'ready'; value: T }

const LOADING = { status: 'loading' } as const

/**
 * Runs one call when the view mounts (and on `reload`), keeping loading / error / ready apart so every view
 * can show all three. An answer to an older request (other input, earlier attempt) is never shown.
 * A `reload` of the same input keeps showing the last answer until the new one arrives (`refreshing`), so a
 * table does not collapse into a skeleton after every change; other input starts from loading again.
 */
export function useCall<N extends CallName>(
  name: N,
  input: CallInput<N>,
  options: { enabled?: boolean } = {},
): { state: CallState<CallOutput<N>>; reload: () => void; refreshing: boolean } {
  const enabled = options.enabled ?? true
  const inputKey = JSON.stringify(input)
  const [request, setRequest] = useState({ inputKey, input })
  if (request.inputKey !== inputKey) setRequest({ inputKey, input })
  const [attempt, setAttempt] = useState(0)
  const requestKey = `${name}|${request.inputKey}|${attempt}`
  const [settled, setSettled] = useState<{
    key: string
    inputKey: string
    state: CallState<CallOutput<N>>
  } | null>(null)

  useEffect(() => {
    if (!enabled) return
    let live = true
    void callApi(name, request.input).then((result) => {
      if (!live) return
      setSettled({
        key: requestKey,
        inputKey: `${name}|${request.inputKey}`,
        state: result.ok
          ? { status: 'ready', value: result.value }
          : { status: 'error', error: result.error },
      })
    })
    return () => {
      live = false
    }
  }, [name, request, requestKey, enabled])

  const reload = useCallback(() => setAttempt((n) => n + 1), [])
  if (settled && settled.key === requestKey) return { state: settled.state, reload, refreshing: false }
  const previous =
    settled && settled.inputKey === `${name}|${request.inputKey}` && settled.state.status === 'ready'
      ? settled.state
      : null
  return previous
    ? { state: previous, reload, refreshing: true }
    : { state: LOADING, reload, refreshing: false }
}
