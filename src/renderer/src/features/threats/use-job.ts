import { useCallback, useEffect, useState } from 'react'
import type { JobView } from '../../../../shared/contract'
import type { CallError } from '../../../../shared/result'
import { callApi } from '../../store/call'

const POLL_MS = 500

/** Follows a long operation: polls jobs.get every 500 ms while it runs; cancel asks main to stop it. */
export function useJob(initial: JobView | null) {
  const [job, setJob] = useState<JobView | null>(initial)
  const [error, setError] = useState<CallError | null>(null)
  const [shown, setShown] = useState(initial)
  if (shown !== initial) {
    setShown(initial)
    setJob(initial)
    setError(null)
  }
  const id = job?.id ?? null
  const running = job?.state === 'running'

  useEffect(() => {
    if (!id || !running) return
    let live = true
    const timer = window.setInterval(() => {
      void callApi('jobs.get', { jobId: id }).then((r) => {
        if (!live) return
        if (r.ok) setJob(r.value)
        else setError(r.error)
      })
    }, POLL_MS)
    return () => {
      live = false
      window.clearInterval(timer)
    }
  }, [id, running])

  const cancel = useCallback(async () => {
    if (!id) return
    const r = await callApi('jobs.cancel', { jobId: id })
    if (r.ok) setJob(r.value)
    else setError(r.error)
  }, [id])

  return { job, error, cancel }
}
