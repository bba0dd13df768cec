import { randomUUID } from 'node:crypto'
import { DomainError } from '../../domain-error'
import type { Clock } from '../../platform/clock'
import { iso } from '../../platform/clock'

export type JobState = 'running' | 'done' | 'failed' | 'cancelled'

export interface JobProgress {
  /** Units done so far (bytes, files, lines…). */
  done: number
  /** Units in all, when known. */
  total: number | null
  unit: string
  /** What is being worked on now, e.g. the current file. */
  current: string | null
  /** Units per second since the start. */
  rate: number
}

export interface JobInfo {
  id: string
  kind: string
  state: JobState
  startedAt: string
  endedAt: string | null
  progress: JobProgress
  /** A JSON summary of the outcome (state done). */
  result: Record<string, unknown> | null
  error: { code: string; message: string } | null
}

export interface JobContext {
  /** Aborted when the job is cancelled: long work checks it between steps and stops. */
  signal: AbortSignal
  progress(p: { done: number; total?: number | null; unit?: string; current?: string | null }): void
}

interface Job {
  info: JobInfo
  owner: string
  controller: AbortController
  startedMs: number
}

const KEEP_FINISHED = 50

/**
 * Long work (import, scan, verify, rotate, analyze) runs as a job: started by one call, it reports progress that
 * any transport can read (jobs.get), and can be cancelled (jobs.cancel). Jobs belong to the account that started
 * them; finished ones are kept for a while so their result can be read.
 */
export class JobRunner {
  private readonly jobs = new Map<string, Job>()

  constructor(private readonly clock: Clock) {}

  start(
    kind: string,
    owner: string,
    work: (ctx: JobContext) => Promise<Record<string, unknown>>,
    unit = 'items',
  ): JobInfo {
    const controller = new AbortController()
    const now = this.clock.now()
    const job: Job = {
      owner,
      controller,
      startedMs: now,
      info: {
        id: randomUUID(),
        kind,
        state: 'running',
        startedAt: iso(now),
        endedAt: null,
        progress: { done: 0, total: null, unit, current: null, rate: 0 },
        result: null,
        error: null,
      },
    }
    this.jobs.set(job.info.id, job)
    this.prune()
    const ctx: JobContext = {
      signal: controller.signal,
      progress: (p) => {
        const elapsed = Math.max(1, this.clock.now() - job.startedMs) / 1000
        job.info.progress = {
          done: p.done,
          total: p.total === undefined ? job.info.progress.total : p.total,
          unit: p.unit ?? job.info.progress.unit,
          current: p.current === undefined ? job.info.progress.current : p.current,
          rate: p.done / elapsed,
        }
      },
    }
    // Start on the next tick so the caller gets the id before any work (or failure) happens.
    setImmediate(() => {
      work(ctx).then(
        (result) => this.finish(job, controller.signal.aborted ? 'cancelled' : 'done', result, null),
        (e: unknown) => {
          if (controller.signal.aborted) return this.finish(job, 'cancelled', null, null)
          const error =
            e instanceof DomainError
              ? { code: e.code, message: e.message }
              : {
                  code: 'INTERNAL',
                  message: 'The job failed inside the console; the details are in its log.',
                }
          this.finish(job, 'failed', null, error)
          if (!(e instanceof DomainError)) this.onInternalError?.(kind, e)
        },
      )
    })
    return { ...job.info }
  }

  /** Called with unexpected job failures, for the main log. */
  onInternalError: ((kind: string, e: unknown) => void) | null = null

  private finish(
    job: Job,
    state: JobState,
    result: Record<string, unknown> | null,
    error: JobInfo['error'],
  ): void {
    job.info = { ...job.info, state, endedAt: iso(this.clock.now()), result, error }
  }

  private own(id: string, owner: string): Job {
    const job = this.jobs.get(id)
    if (!job || job.owner !== owner)
      throw new DomainError('NOT_FOUND', 'No such job (it may have finished long ago).')
    return job
  }

  get(id: string, owner: string): JobInfo {
    return { ...this.own(id, owner).info }
  }

  cancel(id: string, owner: string): JobInfo {
    const job = this.own(id, owner)
    if (job.info.state === 'running') job.controller.abort()
    return { ...job.info }
  }

  list(owner: string): JobInfo[] {
    return [...this.jobs.values()].filter((j) => j.owner === owner).map((j) => ({ ...j.info }))
  }

  /** Wait until a job ends (tests, CLI). */
  async wait(id: string, owner: string, pollMs = 20): Promise<JobInfo> {
    for (;;) {
      const info = this.get(id, owner)
      if (info.state !== 'running') return info
      await new Promise((r) => setTimeout(r, pollMs))
    }
  }

  private prune(): void {
    const finished = [...this.jobs.values()].filter((j) => j.info.state !== 'running')
    for (const j of finished.slice(0, Math.max(0, finished.length - KEEP_FINISHED)))
      this.jobs.delete(j.info.id)
  }
}

/** Throw the cancellation out of long work when its job was cancelled. */
export function throwIfCancelled(signal: AbortSignal): void {
  if (signal.aborted) throw new DomainError('CANCELLED', 'Cancelled.')
}
