import { useCallback, useState } from 'react'
import type { AuditEntryView } from '../../../../shared/contract'
import type { CallError } from '../../../../shared/result'
import { useCall } from '../../lib/use-call'
import { callApi } from '../../store/call'

const PAGE = 100

/** The newest page on mount, then older pages on demand (paged by `beforeSeq`, never by offset). */
export function useAuditPages() {
  const first = useCall('audit.recent', { limit: PAGE })
  const [older, setOlder] = useState<{ entries: AuditEntryView[]; total: number | null; exhausted: boolean }>(
    {
      entries: [],
      total: null,
      exhausted: false,
    },
  )
  const [loadingOlder, setLoadingOlder] = useState(false)
  const [olderError, setOlderError] = useState<CallError | null>(null)

  const firstEntries = first.state.status === 'ready' ? first.state.value.entries : []
  const entries = [...firstEntries, ...older.entries]
  const total = older.total ?? (first.state.status === 'ready' ? first.state.value.total : 0)
  const oldest = entries.at(-1)?.seq
  // A short page means the start of the log; the total alone cannot say so, as every view adds entries.
  const firstWasShort = first.state.status === 'ready' && firstEntries.length < PAGE
  const hasOlder = oldest !== undefined && oldest > 1 && !firstWasShort && !older.exhausted

  const loadOlder = useCallback(async () => {
    if (oldest === undefined) return
    setLoadingOlder(true)
    setOlderError(null)
    const result = await callApi('audit.recent', { limit: PAGE, beforeSeq: oldest })
    setLoadingOlder(false)
    if (!result.ok) {
      setOlderError(result.error)
      return
    }
    setOlder((o) => ({
      entries: [...o.entries, ...result.value.entries],
      total: result.value.total,
      exhausted: result.value.entries.length < PAGE,
    }))
  }, [oldest])

  const reloadFirst = first.reload
  const reload = useCallback(() => {
    setOlder({ entries: [], total: null, exhausted: false })
    setOlderError(null)
    reloadFirst()
  }, [reloadFirst])

  return { state: first.state, entries, total, hasOlder, loadOlder, loadingOlder, olderError, reload }
}
