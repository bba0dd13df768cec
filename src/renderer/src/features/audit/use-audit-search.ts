import { useCallback, useEffect, useRef, useState } from 'react'
import type { AuditEntryView, CallInput } from '../../../../shared/contract'
import type { CallError } from '../../../../shared/result'
import { callApi } from '../../store/call'

export const AUDIT_PAGE = 200

interface State {
  key: string
  entries: AuditEntryView[]
  hasMore: boolean
  loading: boolean
  error: CallError | null
}

/**
 * Audit entries for a filter, newest first, loaded in pages of 200 with the `beforeSeq` cursor (never an
 * offset) as the user scrolls. `startBefore` starts the list just above a given seq. A new filter starts over;
 * answers for an older filter are dropped.
 */
export function useAuditSearch(input: CallInput<'audit.search'>, startBefore: number | null) {
  const [attempt, setAttempt] = useState(0)
  const key = JSON.stringify({ input, startBefore, attempt })
  const [state, setState] = useState<State>({ key, entries: [], hasMore: true, loading: true, error: null })
  const inFlight = useRef<string | null>(null)
  const keyRef = useRef(key)

  const current: State =
    state.key === key ? state : { key, entries: [], hasMore: true, loading: true, error: null }

  const load = useCallback(async (before: number | undefined, forKey: string) => {
    const marker = `${forKey}|${before ?? 'top'}`
    if (inFlight.current === marker) return
    inFlight.current = marker
    setState((s) => (s.key === forKey ? { ...s, loading: true, error: null } : s))
    const result = await callApi('audit.search', {
      ...(JSON.parse(forKey) as { input: CallInput<'audit.search'> }).input,
      limit: AUDIT_PAGE,
      ...(before !== undefined ? { beforeSeq: before } : {}),
    })
    if (inFlight.current === marker) inFlight.current = null
    if (keyRef.current !== forKey) return
    setState((s) => {
      const base =
        s.key === forKey ? s : { key: forKey, entries: [], hasMore: true, loading: true, error: null }
      if (!result.ok) return { ...base, loading: false, error: result.error }
      return {
        key: forKey,
        entries: before === undefined ? result.value.entries : base.entries.concat(result.value.entries),
        hasMore: result.value.hasMore,
        loading: false,
        error: null,
      }
    })
  }, [])

  useEffect(() => {
    keyRef.current = key
    inFlight.current = null
    void load(startBefore ?? undefined, key)
  }, [key, startBefore, load])

  const loadMore = useCallback(() => {
    if (current.loading || !current.hasMore || current.error) return
    const oldest = current.entries.at(-1)?.seq
    if (oldest === undefined || oldest <= 1) return
    void load(oldest, key)
  }, [current.loading, current.hasMore, current.error, current.entries, load, key])

  const retry = useCallback(() => {
    if (current.entries.length === 0) setAttempt((n) => n + 1)
    else {
      const oldest = current.entries.at(-1)?.seq
      if (oldest !== undefined) void load(oldest, key)
    }
  }, [current.entries, load, key])

  const reload = useCallback(() => setAttempt((n) => n + 1), [])

  return { ...current, loadMore, retry, reload }
}
