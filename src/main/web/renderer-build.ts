import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { DomainError } from '../domain-error'

/** Newest modification time of any file below `dir`. */
function newestMtime(dir: string): number {
  let newest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name)
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs)
  }
  return newest
}

/**
 * Browser mode serves the same renderer build as the desktop app (out/renderer). Build it when it is missing
 * or older than its sources, so a checkout that was never built still starts.
 */
export function ensureRendererBuild(projectRoot: string, say: (msg: string) => void): string {
  const outDir = join(projectRoot, 'out', 'renderer')
  const index = join(outDir, 'index.html')
  const sources = [join(projectRoot, 'src', 'renderer'), join(projectRoot, 'src', 'shared')].filter((d) =>
    existsSync(d),
  )
  const built = existsSync(index) ? statSync(index).mtimeMs : 0
  const stale = sources.length > 0 && sources.some((d) => newestMtime(d) > built)
  if (built > 0 && !stale) return outDir
  const cli = join(projectRoot, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js')
  if (!existsSync(cli)) {
    if (built > 0) return outDir
    throw new DomainError(
      'UNAVAILABLE',
      'The renderer is not built and electron-vite is not installed: run `npm ci` first.',
    )
  }
  say(
    built > 0
      ? 'Renderer sources changed; rebuilding (electron-vite build)…'
      : 'Building the renderer once (electron-vite build)…',
  )
  const r = spawnSync(process.execPath, [cli, 'build'], {
    cwd: projectRoot,
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  if (r.status !== 0 || !existsSync(index))
    throw new DomainError(
      'UNAVAILABLE',
      'Building the renderer failed (electron-vite build); run `npm run build` to see why.',
    )
  return outDir
}
