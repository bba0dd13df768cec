import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
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
  /** Linux: the process's start time (clock ticks since boot) and the boot id, so a reused pid is not mistaken. */
  start?: string
  boot?: string
}

const procStart = (pid: number): string | undefined => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1')
    // fields after the command name (which may hold spaces) start at the last ')'; starttime is field 22
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]
  } catch {
    return undefined
  }
}

const bootId = (): string | undefined => {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'latin1').trim()
  } catch {
    return undefined
  }
}

const LIVE_TAGS = new Set<string>()

/** A new owner identity for one engine instance of this process (alive until `retire`). */
export function newOwner(): Owner {
  const tag = randomBytes(6).toString('hex')
  LIVE_TAGS.add(tag)
  return { pid: process.pid, tag, host: hostname(), start: procStart(process.pid), boot: bootId() }
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
  if (o.boot !== undefined && o.boot !== bootId()) return false // written before a reboot
  if (o.pid === process.pid && (o.start === undefined || o.start === procStart(process.pid)))
    return typeof o.tag === 'string' && LIVE_TAGS.has(o.tag)
  if (!pidAlive(o.pid)) return false
  // the pid runs, but is it still the same process?
  return o.start === undefined || procStart(o.pid) === undefined || procStart(o.pid) === o.start
}
