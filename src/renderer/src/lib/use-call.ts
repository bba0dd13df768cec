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
 */
export function useCall<N extends CallName>(
  name: N,
  input: CallInput<N>,
  options: { enabled?: boolean } = {},
): { state: CallState<CallOutput<N>>; reload: () => void } {
  const enabled = options.enabled ?? true
  const inputKey = JSON.stringify(input)
  const [request, setRequest] = useState({ inputKey, input })
  if (request.inputKey !== inputKey) setRequest({ inputKey, input })
  const [attempt, setAttempt] = useState(0)
  const requestKey = `${name}|${request.inputKey}|${attempt}`
  const [settled, setSettled] = useState<{ key: string; state: CallState<CallOutput<N>> } | null>(null)

  useEffect(() => {
    if (!enabled) return
    let live = true
    void callApi(name, request.input).then((result) => {
      if (!live) return
      setSettled({
        key: requestKey,
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
  const state = settled && settled.key === requestKey ? settled.state : LOADING
  return { state, reload }
}
