import { randomBytes } from 'node:crypto'
import { hostname } from 'node:os'

/**
 * Who owns a staged upload, a running import or the rotation lock: a process (pid, host) and one engine instance
 * in it (tag). A killed process leaves its files and rows behind; the next start-up, or the next process that
 * needs the lock, recognizes them as stale because their owner no longer runs.
 */
export interface Owner {
  pid: number
  tag: string
  host: string
}

const LIVE_TAGS = new Set<string>()

/** A new owner identity for one engine instance of this process (alive until `retire`). */
export function newOwner(): Owner {
  const tag = randomBytes(6).toString('hex')
  LIVE_TAGS.add(tag)
  return { pid: process.pid, tag, host: hostname() }
}

export function retireOwner(o: Owner): void {
  LIVE_TAGS.delete(o.tag)
}

const pidAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Whether an owner still runs. In this process: its instance is not retired. Another process on this host: its
 * pid answers. Another host (a shared data dir): it is presumed alive while its heartbeat is recent.
 */
export function ownerAlive(o: Partial<Owner>, heartbeatMs: number | null, now: number): boolean {
  if (typeof o.pid !== 'number' || !Number.isInteger(o.pid) || o.pid <= 0) return false
  if (o.host !== undefined && o.host !== hostname())
    return heartbeatMs !== null && now - heartbeatMs < 5 * 60_000
  if (o.pid === process.pid) return typeof o.tag === 'string' && LIVE_TAGS.has(o.tag)
  return pidAlive(o.pid)
}
