import { readFileSync, realpathSync, statSync } from 'node:fs'
import { extname, join, normalize, sep } from 'node:path'

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
}

/** Resolve a URL path to a file inside `root`, or null (traversal, links out of root, unknown type, missing). */
export function resolveStatic(root: string, urlPath: string): { file: string; type: string } | null {
  let decoded: string
  try {
    decoded = decodeURIComponent(urlPath)
  } catch {
    return null
  }
  if (decoded.includes('\0')) return null
  const rel = decoded === '/' ? 'index.html' : normalize(decoded).replace(/^([/\\])+/, '')
  if (rel.split(/[/\\]/).includes('..')) return null
  const type = TYPES[extname(rel).toLowerCase()]
  if (!type) return null
  try {
    const realRoot = realpathSync(root)
    const file = realpathSync(join(realRoot, rel))
    if (!file.startsWith(realRoot + sep) || !statSync(file).isFile()) return null
    return { file, type }
  } catch {
    return null
  }
}

export const readStatic = (file: string): Buffer => readFileSync(file)
