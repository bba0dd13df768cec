import { useCallback, useEffect, useRef, useState } from 'react'
import type { JobView } from '../../../../shared/contract'
import type { CallError } from '../../../../shared/result'
import { callApi } from '../../store/call'

const POLL_MS = 500

export interface JobTracker {
  job: JobView | null
  /** A failure to read the job (not the job's own failure, which is in `job.error`). */
  error: CallError | null
  cancelling: boolean
  cancel: () => Promise<void>
}

/**
 * Follows one long operation: jobs.get every 500 ms until it is done, failed or cancelled. `onSettled` runs once
 * when it stops running. The first view comes from the call that started the job, so nothing flickers.
 */
export function useJob(started: JobView | null, onSettled?: (job: JobView) => void): JobTracker {
  const [job, setJob] = useState<JobView | null>(started)
  const [error, setError] = useState<CallError | null>(null)
  const [cancelling, setCancelling] = useState(false)
  const settledRef = useRef(onSettled)
  useEffect(() => {
    settledRef.current = onSettled
  }, [onSettled])
  const [startedId, setStartedId] = useState(started?.id ?? null)
  if ((started?.id ?? null) !== startedId) {
    setStartedId(started?.id ?? null)
    setJob(started)
    setError(null)
    setCancelling(false)
  }

  const jobId = job?.id ?? null
  const running = job?.state === 'running'
  useEffect(() => {
    if (!jobId || !running) return
    let live = true
    const timer = window.setTimeout(() => {
      void callApi('jobs.get', { jobId }).then((r) => {
        if (!live) return
        if (!r.ok) {
          setError(r.error)
          return
        }
        setJob(r.value)
        if (r.value.state !== 'running') settledRef.current?.(r.value)
      })
    }, POLL_MS)
    return () => {
      live = false
      window.clearTimeout(timer)
    }
  }, [jobId, running, job])

  const cancel = useCallback(async () => {
    if (!jobId) return
    setCancelling(true)
    const r = await callApi('jobs.cancel', { jobId })
    if (!r.ok) setError(r.error)
  }, [jobId])

  return { job, error, cancelling, cancel }
}
