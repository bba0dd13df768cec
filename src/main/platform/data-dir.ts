import { chmodSync, mkdirSync, statSync } from 'node:fs'
import { homedir } from 'node:os'
import { join, resolve } from 'node:path'
import { DomainError } from '../domain-error'

export const APP_FOLDER = 'qq-verse-console'

/**
 * The per-user app-data folder. The desktop app sets Electron's userData to this same path,
 * so the CLI, browser mode and the desktop window share one data dir by default.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), APP_FOLDER)
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', APP_FOLDER)
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), APP_FOLDER)
}

export function resolveDataDir(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const chosen = flag ?? env.QQSEC_DATA_DIR
  return resolve(chosen && chosen.length > 0 ? chosen : defaultDataDir(env))
}

/** Create the data dir readable by its owner only; refuse a path that exists and is not a folder. */
export function ensureDataDir(dir: string): void {
  try {
    const st = statSync(dir)
    if (!st.isDirectory())
      throw new DomainError('INVALID_INPUT', `The data dir ${dir} exists and is not a folder.`)
    return
  } catch (e) {
    if (e instanceof DomainError) throw e
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  chmodSync(dir, 0o700)
}

export const dataFiles = (dir: string) => ({
  database: join(dir, 'console.db'),
  fileKeystore: join(dir, 'keystore.json'),
  hostLock: join(dir, 'host.lock'),
  auditCheckpoint: join(dir, 'audit-checkpoint.json'),
})
