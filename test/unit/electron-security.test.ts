import type { App, Session, WebContents } from 'electron'
import { describe, expect, it, vi } from 'vitest'
import { externalHttpsUrl, isAppUrl } from '../../src/main/electron/app-origin'
import { denyAllPermissions, guardAllWebContents, guardWebContents } from '../../src/main/electron/security'

type Listener = (...args: unknown[]) => unknown
type OpenHandler = (details: { url: string }) => { action: string }

/** A web contents that records its listeners and window-open handler. */
function fakeContents() {
  const listeners = new Map<string, Listener>()
  let openHandler: OpenHandler | null = null
  const contents = {
    on(event: string, fn: Listener) {
      listeners.set(event, fn)
      return contents
    },
    setWindowOpenHandler(fn: OpenHandler) {
      openHandler = fn
    },
  }
  const fire = (event: string, url?: string) => {
    const ev = { preventDefault: vi.fn() }
    listeners.get(event)?.(ev, url)
    return ev.preventDefault.mock.calls.length > 0
  }
  return {
    contents: contents as unknown as WebContents,
    events: () => [...listeners.keys()].sort(),
    /** True when the listener cancelled the event. */
    prevented: fire,
    open: (url: string) => {
      if (!openHandler) throw new Error('no window-open handler')
      return openHandler({ url })
    },
  }
}

describe('permissions', () => {
  it('refuses every permission request and answers false to every check', () => {
    let request: Listener = () => {}
    let check: Listener = () => true
    let device: Listener = () => true
    const session = {
      setPermissionRequestHandler: (fn: Listener) => (request = fn),
      setPermissionCheckHandler: (fn: Listener) => (check = fn),
      setDevicePermissionHandler: (fn: Listener) => (device = fn),
    }
    denyAllPermissions(session as unknown as Session)
    for (const permission of [
      'media',
      'notifications',
      'geolocation',
      'clipboard-read',
      'openExternal',
      'fullscreen',
    ]) {
      const callback = vi.fn()
      request({}, permission, callback, {})
      expect(callback, permission).toHaveBeenCalledExactlyOnceWith(false)
      expect(check({}, permission, 'app://console', {}), permission).toBe(false)
    }
    expect(device({ deviceType: 'usb' })).toBe(false)
  })
})

describe('navigation and new windows', () => {
  const guarded = () => {
    const fake = fakeContents()
    const openExternal = vi.fn(async (_url: string) => {})
    const onError = vi.fn()
    guardWebContents(fake.contents, openExternal, onError)
    return { ...fake, openExternal, onError }
  }

  it.each([
    'https://example.com/',
    'http://localhost:3000/',
    'file:///etc/passwd',
    'app://evil/index.html',
    'app://console.evil/index.html',
    'app://console:8080/index.html',
    'javascript:alert(1)',
    'data:text/html,<script>1</script>',
    'not a url',
  ])('cancels navigation and redirects to %s', (url) => {
    const g = guarded()
    expect(g.prevented('will-navigate', url)).toBe(true)
    expect(g.prevented('will-redirect', url)).toBe(true)
  })

  it.each(['app://console/index.html', 'app://console/', 'app://console/index.html#/audit'])(
    'allows navigation within the app origin: %s',
    (url) => {
      const g = guarded()
      expect(g.prevented('will-navigate', url)).toBe(false)
      expect(g.prevented('will-redirect', url)).toBe(false)
    },
  )

  it('never attaches a <webview>', () => {
    const g = guarded()
    expect(g.prevented('will-attach-webview')).toBe(true)
  })

  it('denies every window and sends only https links to the OS browser', () => {
    const g = guarded()
    expect(g.open('https://owasp.org/Top10/')).toEqual({ action: 'deny' })
    expect(g.openExternal).toHaveBeenCalledExactlyOnceWith('https://owasp.org/Top10/')
    for (const url of [
      'http://owasp.org/',
      'file:///etc/passwd',
      'app://console/index.html',
      'javascript:alert(1)',
      'smb://host/share',
      'ms-msdt:/id PCWDiagnostic',
      'https://',
      'not a url',
    ]) {
      expect(g.open(url), url).toEqual({ action: 'deny' })
    }
    expect(g.openExternal).toHaveBeenCalledOnce()
  })

  it('reports a failed openExternal instead of leaving an unhandled rejection', async () => {
    const fake = fakeContents()
    const failure = new Error('no browser')
    const onError = vi.fn()
    guardWebContents(fake.contents, () => Promise.reject(failure), onError)
    fake.open('https://example.com/')
    await vi.waitFor(() => expect(onError).toHaveBeenCalledWith(failure))
  })

  it('guards every web contents the app creates', () => {
    let created: Listener = () => {}
    const app = {
      on: vi.fn((event: string, fn: Listener) => {
        if (event === 'web-contents-created') created = fn
      }),
    }
    guardAllWebContents(app as unknown as App, vi.fn(), vi.fn())
    expect(app.on).toHaveBeenCalledWith('web-contents-created', expect.any(Function))
    const fake = fakeContents()
    created({}, fake.contents)
    expect(fake.events()).toEqual(['will-attach-webview', 'will-navigate', 'will-redirect'])
    expect(fake.prevented('will-navigate', 'https://example.com/')).toBe(true)
  })
})

describe('origin helpers', () => {
  it('compares protocol and host, not URL.origin (which is "null" for app: in Node)', () => {
    expect(new URL('app://console/x').origin).toBe('null')
    expect(isAppUrl('app://console/x')).toBe(true)
    expect(isAppUrl('app://null/x')).toBe(false)
    expect(isAppUrl('null')).toBe(false)
  })

  it('normalises the external link it hands over', () => {
    expect(externalHttpsUrl('https://Example.com/a b')).toBe('https://example.com/a%20b')
    expect(externalHttpsUrl('HTTPS://example.com')).toBe('https://example.com/')
  })
})
