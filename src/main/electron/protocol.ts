import { readFile, realpath, stat } from 'node:fs/promises'
import { extname, isAbsolute, relative, resolve, sep } from 'node:path'
import type { CustomScheme } from 'electron'
import { SECURITY_HEADERS } from '../security/content-policy'
import { APP_HOST, APP_SCHEME } from './app-origin'

/**
 * `app:` as a standard, secure scheme: relative URLs, a real origin for storage and CSP 'self', and a secure
 * context. Must be registered before the app is ready.
 */
export const APP_SCHEME_PRIVILEGES: CustomScheme[] = [
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true } },
]

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
}

export const contentTypeOf = (path: string): string =>
  CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream'

const isInside = (root: string, candidate: string): boolean => {
  const rel = relative(root, candidate)
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel)
}

/**
 * Map a request path to a file inside the renderer folder, or null. The URL parser already folds `..`
 * segments, but encoded separators (`..%2f`) survive it, so the decoded path is resolved and checked again.
 */
export function rendererFilePath(rendererDir: string, pathname: string): string | null {
  let decoded: string
  try {
    decoded = decodeURIComponent(pathname)
  } catch {
    return null
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null
  const root = resolve(rendererDir)
  const file = resolve(root, `.${sep}${decoded === '/' ? 'index.html' : decoded}`)
  return isInside(root, file) ? file : null
}

type ResponseBody = ConstructorParameters<typeof Response>[0]

const respond = (status: number, body: ResponseBody, contentType: string): Response =>
  new Response(body, { status, headers: { ...SECURITY_HEADERS, 'Content-Type': contentType } })

const plain = (status: number, text: string): Response => respond(status, text, 'text/plain; charset=utf-8')

/**
 * The `app:` protocol handler: serves the built renderer for host `console` only, GET and HEAD only, with the
 * console's security headers (CSP included) on every response, errors too.
 */
export function createAppProtocolHandler(rendererDir: string): (request: Request) => Promise<Response> {
  return async (request) => {
    let url: URL
    try {
      url = new URL(request.url)
    } catch {
      return plain(400, 'Bad request')
    }
    if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return plain(404, 'Not found')
    if (request.method !== 'GET' && request.method !== 'HEAD') return plain(405, 'Method not allowed')
    const file = rendererFilePath(rendererDir, url.pathname)
    if (!file) return plain(404, 'Not found')
    try {
      // A symlink inside the folder must not lead outside it either.
      const [realRoot, realFile] = await Promise.all([realpath(rendererDir), realpath(file)])
      if (!isInside(realRoot, realFile) || !(await stat(realFile)).isFile()) return plain(404, 'Not found')
      const body = request.method === 'HEAD' ? null : new Uint8Array(await readFile(realFile))
      return respond(200, body, contentTypeOf(realFile))
    } catch {
      return plain(404, 'Not found')
    }
  }
}
