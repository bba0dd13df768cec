import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs'
import { DomainError } from '../domain-error'

export interface InstanceLock {
  release(): void
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * One long-running host (desktop app or browser mode) per data dir. The lock file holds the owner's pid;
 * a lock left by a process that no longer runs is taken over. One-shot CLI commands do not take it:
 * SQLite's own locking keeps them consistent beside a running host.
 */
export function acquireInstanceLock(path: string): InstanceLock {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600)
      writeSync(fd, String(process.pid))
      closeSync(fd)
      let released = false
      return {
        release() {
          if (released) return
          released = true
          try {
            if (readFileSync(path, 'utf8').trim() === String(process.pid)) unlinkSync(path)
          } catch {
            // already gone
          }
        },
      }
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e
      const owner = Number.parseInt(readFileSync(path, 'utf8').trim(), 10)
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && alive(owner)) {
        throw new DomainError(
          'CONFLICT',
          `Another console (process ${owner}) is already running on this data dir. Close it first, or use a different --data-dir.`,
        )
      }
      unlinkSync(path) // stale lock from a process that has ended
    }
  }
  throw new DomainError('CONFLICT', `Could not take the lock ${path}; remove it if no console is running.`)
}
