import type { BrowserWindow, BrowserWindowConstructorOptions, WebPreferences } from 'electron'
import { APP_ENTRY_URL } from './app-origin'

/**
 * The renderer's web preferences, following Electron's security checklist: isolated, sandboxed, no Node in any
 * frame or worker, web security on, no <webview>, no experimental or Blink features. The preload is the only
 * bridge, and it exposes named contract calls only.
 */
export function secureWebPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
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
  }
}

export function mainWindowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    title: 'QQ-Verse Security Console',
    width: 1280,
    height: 820,
    minWidth: 960,
    minHeight: 600,
    // Shown once the first paint is ready, so the window never flashes blank.
    show: false,
    backgroundColor: '#1a1b1e',
    autoHideMenuBar: true,
    webPreferences: secureWebPreferences(preloadPath),
  }
}

type WindowClass = new (options: BrowserWindowConstructorOptions) => BrowserWindow

/** Open the console window on the app's own entry page; it never loads a remote URL. */
export function openMainWindow(
  Window: WindowClass,
  preloadPath: string,
  onLoadError: (error: unknown) => void,
): BrowserWindow {
  const win = new Window(mainWindowOptions(preloadPath))
  win.once('ready-to-show', () => win.show())
  win.loadURL(APP_ENTRY_URL).catch(onLoadError)
  return win
}

/** A second launch brings the existing window forward instead of starting another console. */
export function focusWindow(win: BrowserWindow | null): void {
  if (!win || win.isDestroyed()) return
  if (win.isMinimized()) win.restore()
  win.show()
  win.focus()
}
