import { mkdirSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MAX_INPUT_BYTES } from '../../src/shared/contract'
import { silentLogger } from '../../src/main/platform/logger'
import { startWebServer, type WebServer } from '../../src/main/web/web-server'
import { STRONG_PASSWORD, tempConsole, tempDir, type TestConsole } from '../support/temp-console'

interface Reply {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

let t: TestConsole
let server: WebServer
let origin: string
let token: string
let bootCookie: string

/** Raw HTTP, so Host and Origin can be forged the way a rebinding page or curl would. */
function http(
  path: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: server.port,
        path,
        method: opts.method ?? 'GET',
        headers: { Host: `127.0.0.1:${server.port}`, ...opts.headers },
      },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        )
      },
    )
    req.on('error', reject)
    if (opts.body !== undefined) req.write(opts.body)
    req.end()
  })
}

const api = (name: string, input: unknown, extra: Record<string, string> = {}) =>
  http(`/api/${name}`, {
    method: 'POST',
    headers: { Origin: origin, 'Content-Type': 'application/json', Cookie: bootCookie, ...extra },
    body: JSON.stringify(input),
  })

beforeAll(async () => {
  t = await tempConsole()
  const rendererDir = join(tempDir(), 'renderer')
  mkdirSync(join(rendererDir, 'assets'), { recursive: true })
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>console</title>')
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log(1)')
  writeFileSync(join(tempDir(), 'secret.txt'), 'outside')
  server = await startWebServer({ invoke: t.core.invoke, rendererDir, clock: t.clock, logger: silentLogger })
  const url = new URL(server.url)
  origin = url.origin
  token = url.searchParams.get('token')!
  bootCookie = `qqsec_boot=${token}`
})
afterAll(async () => {
  await server.close()
  t.cleanup()
})

describe('browser mode', () => {
  it('listens on loopback and prints a URL with a 256-bit start token', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{43}$/)
  })

  it('serves the page with the token, sets the token cookie, and sends the security headers', async () => {
    const r = await http(`/?token=${token}`)
    expect(r.status).toBe(200)
    expect(r.headers['content-security-policy']).toMatch(/script-src 'self'/)
    expect(r.headers['content-security-policy']).not.toMatch(/unsafe-eval/)
    expect(r.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/)
    expect(r.headers['x-content-type-options']).toBe('nosniff')
    expect(r.headers['referrer-policy']).toBe('no-referrer')
    expect(String(r.headers['set-cookie'])).toMatch(/^qqsec_boot=.+; Path=\/; HttpOnly; SameSite=Strict$/)
  })

  it('refuses the page without the token, or with a wrong one', async () => {
    expect((await http('/')).status).toBe(401)
    expect((await http('/?token=wrong')).status).toBe(401)
    expect((await http('/', { headers: { Cookie: 'qqsec_boot=wrong' } })).status).toBe(401)
  })

  it('refuses a foreign Host header (DNS rebinding), even with the token', async () => {
    const r = await http(`/?token=${token}`, { headers: { Host: 'evil.example' } })
    expect(r.status).toBe(421)
    const a = await http(`/api/system.status`, {
      method: 'POST',
      headers: { Host: `evil.example:${server.port}`, Origin: origin, Cookie: bootCookie },
    })
    expect(a.status).toBe(421)
  })

  it('refuses cross-origin, origin-less and cross-site API calls', async () => {
    expect((await api('system.status', {}, { Origin: 'http://evil.example' })).status).toBe(403)
    expect(
      (
        await http('/api/system.status', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Cookie: bootCookie },
          body: '{}',
        })
      ).status,
    ).toBe(403)
    expect((await api('system.status', {}, { 'Sec-Fetch-Site': 'cross-site' })).status).toBe(403)
  })

  it('refuses API calls without the start token, non-JSON, bad JSON and oversized bodies', async () => {
    const noToken = await api('system.status', {}, { Cookie: '' })
    expect(noToken.status).toBe(401)
    expect(JSON.parse(noToken.body)).toMatchObject({ ok: false, error: { code: 'BAD_SENDER' } })
    expect((await api('system.status', {}, { 'Content-Type': 'text/plain' })).status).toBe(415)
    const bad = await http('/api/system.status', {
      method: 'POST',
      headers: { Origin: origin, 'Content-Type': 'application/json', Cookie: bootCookie },
      body: '{"a":',
    })
    expect(bad.status).toBe(400)
    expect(JSON.parse(bad.body)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })
    const big = await api('auth.evaluatePassword', { password: 'x'.repeat(MAX_INPUT_BYTES + 10) })
    expect(big.status).toBe(413)
    expect((await http('/api/system.status')).status).toBe(405)
  })

  it('runs calls through the pipeline and keeps the session in an HttpOnly cookie the page never sees', async () => {
    const status = await api('system.status', {})
    expect(JSON.parse(status.body)).toMatchObject({ ok: true, value: { initialized: false } })
    expect(
      JSON.parse((await api('auth.setupAdmin', { name: 'alice', password: STRONG_PASSWORD })).body).ok,
    ).toBe(true)
    const login = await api('auth.login', { name: 'alice', password: STRONG_PASSWORD })
    const body = JSON.parse(login.body)
    expect(body).toMatchObject({ ok: true, value: { user: { name: 'alice' } } })
    const setCookie = String(login.headers['set-cookie'])
    expect(setCookie).toMatch(/^qqsec_session=[A-Za-z0-9_-]{43}; Path=\/api; HttpOnly; SameSite=Strict$/)
    const session = setCookie.split(';')[0]!
    expect(login.body).not.toContain(session.split('=')[1])
    const me = await api('auth.session', {}, { Cookie: `${bootCookie}; ${session}` })
    expect(JSON.parse(me.body)).toMatchObject({ ok: true, value: { user: { name: 'alice' } } })
    const anon = await api('auth.session', {})
    expect(JSON.parse(anon.body)).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } })
    const out = await api('auth.logout', {}, { Cookie: `${bootCookie}; ${session}` })
    expect(String(out.headers['set-cookie'])).toMatch(
      /^qqsec_session=; Path=\/api; HttpOnly; SameSite=Strict; Max-Age=0$/,
    )
    const after = await api('auth.session', {}, { Cookie: `${bootCookie}; ${session}` })
    expect(JSON.parse(after.body)).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } })
    const entry = t.core.audit.recent(1).entries[0]!
    expect(entry.client).toBe('http:127.0.0.1')
  })

  it('serves only files inside the renderer folder', async () => {
    const c = { Cookie: bootCookie }
    expect((await http('/assets/app.js', { headers: c })).headers['content-type']).toMatch(/text\/javascript/)
    for (const p of [
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/%00',
      '/nope.js',
      '/assets/%E0%A4%A',
    ]) {
      const r = await http(p, { headers: c })
      expect([400, 404], p).toContain(r.status)
      expect(r.body).not.toContain('outside')
    }
  })
})

describe('browser mode and client restrictions', () => {
  it('passes the client address to the pipeline, so per-permission client restrictions apply', async () => {
    const seen: (string | undefined)[] = []
    const t2 = await tempConsole()
    const rendererDir = join(tempDir(), 'renderer')
    mkdirSync(rendererDir, { recursive: true })
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html>')
    const s2 = await startWebServer({
      invoke: (caller, name, input) => {
        seen.push(caller.address)
        return t2.core.invoke(caller, name, input)
      },
      rendererDir,
      clock: t2.clock,
      logger: silentLogger,
    })
    try {
      const u = new URL(s2.url)
      const r = await new Promise<number>((resolve, reject) => {
        const req = request(
          {
            host: '127.0.0.1',
            port: s2.port,
            path: '/api/system.status',
            method: 'POST',
            headers: {
              Host: u.host,
              Origin: u.origin,
              'Content-Type': 'application/json',
              Cookie: `qqsec_boot=${u.searchParams.get('token')}`,
            },
          },
          (res) => {
            res.resume()
            res.on('end', () => resolve(res.statusCode ?? 0))
          },
        )
        req.on('error', reject)
        req.end('{}')
      })
      expect(r).toBe(200)
      expect(seen).toEqual(['127.0.0.1'])
    } finally {
      await s2.close()
      t2.cleanup()
    }
  })
})
