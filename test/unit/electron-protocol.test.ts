import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  APP_SCHEME_PRIVILEGES,
  contentTypeOf,
  createAppProtocolHandler,
  rendererFilePath,
} from '../../src/main/electron/protocol'
import { CONTENT_SECURITY_POLICY, SECURITY_HEADERS } from '../../src/main/security/content-policy'

let root: string
let rendererDir: string
let serve: (request: Request) => Promise<Response>
const get = (url: string, method = 'GET') => serve(new Request(url, { method }))

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'qqsec-protocol-'))
  rendererDir = join(root, 'renderer')
  mkdirSync(join(rendererDir, 'assets'), { recursive: true })
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>console</title>')
  writeFileSync(join(rendererDir, 'assets', 'index-abc.js'), 'console.log(1)')
  writeFileSync(join(rendererDir, 'assets', 'index-abc.css'), 'body{}')
  writeFileSync(join(root, 'secret.txt'), 'outside the renderer')
  symlinkSync(join(root, 'secret.txt'), join(rendererDir, 'assets', 'link.txt'))
  serve = createAppProtocolHandler(rendererDir)
})
afterAll(() => rmSync(root, { recursive: true, force: true }))

const expectSecurityHeaders = (res: Response) => {
  for (const [name, value] of Object.entries(SECURITY_HEADERS))
    expect(res.headers.get(name), name).toBe(value)
}

describe('the app: protocol', () => {
  it('is registered as a standard, secure scheme', () => {
    expect(APP_SCHEME_PRIVILEGES).toEqual([{ scheme: 'app', privileges: { standard: true, secure: true } }])
  })

  it('serves index.html with the CSP and every security header', async () => {
    const res = await get('app://console/index.html')
    expect(res.status).toBe(200)
    expect(res.headers.get('Content-Security-Policy')).toBe(CONTENT_SECURITY_POLICY)
    expect(res.headers.get('Content-Type')).toBe('text/html; charset=utf-8')
    expectSecurityHeaders(res)
    expect(await res.text()).toContain('<title>console</title>')
  })

  it('serves index.html for the bare origin and assets with their content types', async () => {
    expect(await (await get('app://console/')).text()).toContain('<title>console</title>')
    const js = await get('app://console/assets/index-abc.js')
    expect(js.headers.get('Content-Type')).toBe('text/javascript; charset=utf-8')
    expect(await js.text()).toBe('console.log(1)')
    expect((await get('app://console/assets/index-abc.css')).headers.get('Content-Type')).toBe(
      'text/css; charset=utf-8',
    )
    expect(contentTypeOf('x.woff2')).toBe('font/woff2')
    expect(contentTypeOf('x.unknown')).toBe('application/octet-stream')
  })

  it.each([
    'app://console/..%2fsecret.txt',
    'app://console/%2e%2e/secret.txt',
    'app://console/assets/..%2f..%2fsecret.txt',
    'app://console/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
    'app://console/..%5csecret.txt',
    'app://console/assets/link.txt',
    'app://console/%00index.html',
    'app://console/%E0%A4%A',
    'app://console/assets',
    'app://console/missing.js',
  ])('refuses %s with 404 and still sends the headers', async (url) => {
    const res = await get(url)
    expect(res.status).toBe(404)
    expectSecurityHeaders(res)
    expect(await res.text()).not.toContain('outside the renderer')
  })

  it.each([
    'app://evil/index.html',
    'app://console.evil/index.html',
    'app://console:8080/index.html',
    'https://console/index.html',
  ])('answers 404 for another host or scheme: %s', async (url) => {
    const res = await get(url)
    expect(res.status).toBe(404)
    expectSecurityHeaders(res)
  })

  it('answers GET and HEAD only', async () => {
    expect((await get('app://console/index.html', 'POST')).status).toBe(405)
    const head = await get('app://console/index.html', 'HEAD')
    expect(head.status).toBe(200)
    expect(await head.text()).toBe('')
  })

  it('never maps a raw ../ path outside the renderer folder', () => {
    expect(rendererFilePath(rendererDir, '/../secret.txt')).toBeNull()
    expect(rendererFilePath(rendererDir, '../../../../etc/passwd')).toBeNull()
    expect(rendererFilePath(rendererDir, '/assets/../../secret.txt')).toBeNull()
    expect(rendererFilePath(rendererDir, '/..')).toBeNull()
    expect(rendererFilePath(rendererDir, '/assets/../index.html')).toBe(join(rendererDir, 'index.html'))
    expect(rendererFilePath(rendererDir, '/')).toBe(join(rendererDir, 'index.html'))
  })
})
