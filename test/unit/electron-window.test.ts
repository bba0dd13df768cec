import type { BrowserWindow, BrowserWindowConstructorOptions } from 'electron'
import { describe, expect, it, vi } from 'vitest'
import {
  focusWindow,
  mainWindowOptions,
  openMainWindow,
  secureWebPreferences,
} from '../../src/main/electron/window'

describe('the console window', () => {
  it('uses exactly the hardened web preferences', () => {
    expect(secureWebPreferences('/app/out/preload/index.js')).toStrictEqual({
      preload: '/app/out/preload/index.js',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      enableBlinkFeatures: undefined,
      navigateOnDragDrop: false,
      spellcheck: false,
    })
  })

  it('starts hidden and carries those preferences', () => {
    const options = mainWindowOptions('/p.js')
    expect(options.show).toBe(false)
    expect(options.webPreferences).toStrictEqual(secureWebPreferences('/p.js'))
  })

  it("loads the app's own entry page, never a remote URL, and shows once ready", async () => {
    const created: BrowserWindowConstructorOptions[] = []
    const listeners = new Map<string, () => void>()
    const loadURL = vi.fn(async (_url: string) => {})
    const show = vi.fn()
    class FakeWindow {
      constructor(options: BrowserWindowConstructorOptions) {
        created.push(options)
      }
      once(event: string, fn: () => void) {
        listeners.set(event, fn)
        return this
      }
      loadURL = loadURL
      show = show
    }
    const onLoadError = vi.fn()
    openMainWindow(
      FakeWindow as unknown as new (o: BrowserWindowConstructorOptions) => BrowserWindow,
      '/p.js',
      onLoadError,
    )
    expect(created).toHaveLength(1)
    expect(created[0]?.webPreferences).toStrictEqual(secureWebPreferences('/p.js'))
    expect(loadURL).toHaveBeenCalledExactlyOnceWith('app://console/index.html')
    expect(show).not.toHaveBeenCalled()
    listeners.get('ready-to-show')?.()
    expect(show).toHaveBeenCalledOnce()
    await Promise.resolve()
    expect(onLoadError).not.toHaveBeenCalled()
  })

  it('reports a page that fails to load instead of leaving an unhandled rejection', async () => {
    const failure = new Error('ERR_FILE_NOT_FOUND')
    class FailingWindow {
      once() {
        return this
      }
      loadURL = () => Promise.reject(failure)
    }
    const onLoadError = vi.fn()
    openMainWindow(FailingWindow as unknown as new () => BrowserWindow, '/p.js', onLoadError)
    await vi.waitFor(() => expect(onLoadError).toHaveBeenCalledWith(failure))
  })

  it('a second launch restores and focuses the existing window', () => {
    const win = {
      isDestroyed: () => false,
      isMinimized: () => true,
      restore: vi.fn(),
      show: vi.fn(),
      focus: vi.fn(),
    }
    focusWindow(win as unknown as BrowserWindow)
    expect(win.restore).toHaveBeenCalledOnce()
    expect(win.focus).toHaveBeenCalledOnce()
    expect(() => focusWindow(null)).not.toThrow()
  })
})
