import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { MAX_INPUT_BYTES } from '../../shared/contract'
import { err, type Result } from '../../shared/result'
import { constantTimeEqual, randomBytes } from '../crypto/primitives'
import type { Invoke } from '../ipc/pipeline'
import type { Caller } from '../ipc/caller'
import { RateLimiter } from '../ipc/rate-limiter'
import type { Clock } from '../platform/clock'
import type { Logger } from '../platform/logger'
import { SECURITY_HEADERS } from '../security/content-policy'
import { cookie, parseCookies } from './cookies'
import { readStatic, resolveStatic } from './static-files'

export interface WebServerOptions {
  invoke: Invoke
  rendererDir: string
  clock: Clock
  logger: Logger
  port?: number
  /** Loopback only; anything else is refused. */
  host?: '127.0.0.1' | '::1'
}

export interface WebServer {
  url: string
  port: number
  close(): Promise<void>
}

const BOOT_COOKIE = 'qqsec_boot'
const SESSION_COOKIE = 'qqsec_session'
const LOOPBACK = new Set(['127.0.0.1', '::1'])

/**
 * Browser mode: the renderer build and the guard pipeline over loopback HTTP.
 * Every request must name this server in Host (DNS rebinding); API calls must come from this origin
 * (Origin header, same-site fetch), carry the per-start token cookie, and be JSON within the size cap.
 */
export async function startWebServer(opts: WebServerOptions): Promise<WebServer> {
  const host = opts.host ?? '127.0.0.1'
  if (!LOOPBACK.has(host)) throw new Error('browser mode binds loopback only')
  const startToken = randomBytes(32).toString('base64url')
  // Every HTTP request, before anything is parsed: a flood guard above the pipeline's own per-call classes (upload
  // chunks may come at 250/s there), so it never is the narrower limit for a legitimate page.
  const requestLimiter = new RateLimiter(opts.clock, {
    default: { capacity: 600, perSecond: 300 },
    auth: { capacity: 600, perSecond: 300 },
  })
  let allowedHosts = new Set<string>()
  let ownOrigins = new Set<string>()

  const send = (
    res: ServerResponse,
    status: number,
    body: string | Buffer,
    type: string,
    extra: Record<string, string | string[]> = {},
  ) => {
    res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': type, ...extra })
    res.end(body)
  }
  const sendResult = (
    res: ServerResponse,
    status: number,
    result: Result<unknown>,
    extra: Record<string, string | string[]> = {},
  ) => send(res, status, JSON.stringify(result), 'application/json; charset=utf-8', extra)

  const hasStartToken = (req: IncomingMessage, url: URL): 'query' | 'cookie' | null => {
    const q = url.searchParams.get('token')
    if (q && constantTimeEqual(Buffer.from(q), Buffer.from(startToken))) return 'query'
    const c = parseCookies(req.headers.cookie).get(BOOT_COOKIE)
    if (c && constantTimeEqual(Buffer.from(c), Buffer.from(startToken))) return 'cookie'
    return null
  }

  const readBody = (req: IncomingMessage): Promise<Buffer | 'too-large'> =>
    new Promise((resolve, reject) => {
      const chunks: Buffer[] = []
      let size = 0
      let over = false
      req.on('data', (c: Buffer) => {
        size += c.length
        if (size > MAX_INPUT_BYTES) {
          over = true
          chunks.length = 0
          return
        }
        if (!over) chunks.push(c)
      })
      req.on('end', () => resolve(over ? 'too-large' : Buffer.concat(chunks)))
      req.on('error', reject)
    })

  async function handleApi(req: IncomingMessage, res: ServerResponse, url: URL, name: string): Promise<void> {
    if (req.method !== 'POST')
      return sendResult(res, 405, err('INVALID_INPUT', 'API calls use POST.'), { Allow: 'POST' })
    const origin = req.headers.origin
    if (!origin || !ownOrigins.has(origin)) {
      return sendResult(res, 403, err('BAD_SENDER', 'Cross-origin requests are refused.'))
    }
    const site = req.headers['sec-fetch-site']
    if (site !== undefined && site !== 'same-origin')
      return sendResult(res, 403, err('BAD_SENDER', 'Cross-site requests are refused.'))
    if (!hasStartToken(req, url)) {
      return sendResult(
        res,
        401,
        err(
          'BAD_SENDER',
          'This page was not opened from the address `qqsec serve` printed (it carries the start token); open that address again.',
        ),
      )
    }
    if (!(req.headers['content-type'] ?? '').toLowerCase().startsWith('application/json')) {
      return sendResult(res, 415, err('INVALID_INPUT', 'API calls take application/json.'))
    }
    const declared = Number(req.headers['content-length'] ?? 0)
    if (declared > MAX_INPUT_BYTES) {
      return sendResult(
        res,
        413,
        err('PAYLOAD_TOO_LARGE', `The request is larger than ${MAX_INPUT_BYTES / 1024} KiB.`),
        {
          Connection: 'close',
        },
      )
    }
    const body = await readBody(req)
    if (body === 'too-large')
      return sendResult(
        res,
        413,
        err('PAYLOAD_TOO_LARGE', `The request is larger than ${MAX_INPUT_BYTES / 1024} KiB.`),
      )
    let input: unknown
    try {
      input = body.length === 0 ? {} : JSON.parse(body.toString('utf8'))
    } catch {
      return sendResult(res, 400, err('INVALID_INPUT', 'The request body is not valid JSON.'))
    }
    const setCookies: string[] = []
    const caller: Caller = {
      transport: 'http',
      client: `http:${req.socket.remoteAddress ?? 'unknown'}`,
      // For per-permission client restrictions (browser mode is the one transport with an address).
      address: req.socket.remoteAddress,
      senderVerified: true,
      sessionToken: parseCookies(req.headers.cookie).get(SESSION_COOKIE) ?? null,
      bindSession(token) {
        this.sessionToken = token
        setCookies.push(token ? cookie(SESSION_COOKIE, token, '/api') : cookie(SESSION_COOKIE, '', '/api', 0))
      },
    }
    const result = await opts.invoke(caller, name, input)
    sendResult(res, 200, result, setCookies.length ? { 'Set-Cookie': setCookies } : {})
  }

  function handleStatic(req: IncomingMessage, res: ServerResponse, url: URL): void {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return send(res, 405, 'Method not allowed', 'text/plain; charset=utf-8', { Allow: 'GET, HEAD' })
    }
    const via = hasStartToken(req, url)
    if (!via) {
      return send(
        res,
        401,
        '<!doctype html><title>QQ-Verse console</title><p>Open the address that <code>qqsec serve</code> printed: it carries this start&rsquo;s token.</p>',
        'text/html; charset=utf-8',
      )
    }
    const found = resolveStatic(opts.rendererDir, url.pathname)
    if (!found) return send(res, 404, 'Not found', 'text/plain; charset=utf-8')
    const extra: Record<string, string> =
      via === 'query' ? { 'Set-Cookie': cookie(BOOT_COOKIE, startToken, '/') } : {}
    send(res, 200, req.method === 'HEAD' ? '' : readStatic(found.file), found.type, extra)
  }

  const server = createServer((req, res) => {
    const hostHeader = req.headers.host ?? ''
    if (!allowedHosts.has(hostHeader)) {
      return send(
        res,
        421,
        'This console answers only to its own loopback address.',
        'text/plain; charset=utf-8',
      )
    }
    const limit = requestLimiter.take(`http:${req.socket.remoteAddress ?? ''}`, 'default')
    if (!limit.allowed) {
      return sendResult(res, 429, err('RATE_LIMITED', 'Too many requests; slow down.'), {
        'Retry-After': String(limit.retryAfterSeconds),
      })
    }
    let url: URL
    try {
      url = new URL(req.url ?? '/', `http://${hostHeader}`)
    } catch {
      return send(res, 400, 'Bad request', 'text/plain; charset=utf-8')
    }
    const api = /^\/api\/([A-Za-z0-9.]{1,80})$/.exec(url.pathname)
    const work = api ? handleApi(req, res, url, api[1]!) : Promise.resolve(handleStatic(req, res, url))
    work.catch((e: unknown) => {
      opts.logger.error('browser-mode request failed', e)
      if (!res.headersSent)
        sendResult(
          res,
          500,
          err('INTERNAL', 'Something went wrong inside the console; the details are in its log.'),
        )
      else res.destroy()
    })
  })
  server.headersTimeout = 10_000
  server.requestTimeout = 30_000

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port ?? 0, host, () => resolve())
  })
  const port = (server.address() as AddressInfo).port
  const hostname = host === '::1' ? '[::1]' : host
  allowedHosts = new Set([`${hostname}:${port}`, `localhost:${port}`])
  ownOrigins = new Set([...allowedHosts].map((h) => `http://${h}`))
  return {
    url: `http://${hostname}:${port}/?token=${startToken}`,
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
