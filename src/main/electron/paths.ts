import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'

/** Where the built bundles sit: out/main/index.js, out/preload/index.js and out/renderer/ are siblings. */
export interface BundlePaths {
  rendererDir: string
  preloadPath: string
  /** The project folder in development (two levels above out/main). */
  projectDir: string
}

export function bundlePaths(mainDir: string): BundlePaths {
  const outDir = resolve(mainDir, '..')
  return {
    rendererDir: join(outDir, 'renderer'),
    preloadPath: join(outDir, 'preload', 'index.js'),
    projectDir: resolve(outDir, '..'),
  }
}

export const ELECTRON_SQLITE_FILE = 'better_sqlite3.node'

/**
 * The better-sqlite3 addon built for Electron's ABI (scripts/build-electron-sqlite.mjs), or undefined when there
 * is none: node_modules keeps the Node build for the CLI and tests, which Electron cannot load. A packaged app
 * ships it under resources/electron-native/.
 */
export function electronSqliteBinding(opts: {
  isPackaged: boolean
  resourcesPath: string
  projectDir: string
  exists?: (path: string) => boolean
}): string | undefined {
  const exists = opts.exists ?? existsSync
  const candidate = opts.isPackaged
    ? join(opts.resourcesPath, 'electron-native', ELECTRON_SQLITE_FILE)
    : join(opts.projectDir, 'build', 'electron-native', ELECTRON_SQLITE_FILE)
  return exists(candidate) ? candidate : undefined
}
