import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { bundlePaths } from '../../src/main/electron/paths'
import { secureWebPreferences } from '../../src/main/electron/window'
import { dataFiles } from '../../src/main/platform/data-dir'
import { CALL_NAMES } from '../../src/shared/contract'
import { KEYSTORE_PASSPHRASE, tempDir } from '../support/temp-console'

type Listener = (...args: unknown[]) => unknown

/** The Electron module as the desktop host sees it, recording the order things happen in. */
const fake = vi.hoisted(() => {
  const order: string[] = []
  const appListeners = new Map<string, Listener[]>()
  const windows: { options: unknown; loadURL: ReturnType<typeof vi.fn>; focus: ReturnType<typeof vi.fn> }[] =
    []
  const state = { singleInstance: true }
  const app = {
    isPackaged: false,
    enableSandbox: vi.fn(() => void order.push('enableSandbox')),
    setPath: vi.fn((name: string) => void order.push(`setPath:${name}`)),
    requestSingleInstanceLock: vi.fn(() => {
      order.push('requestSingleInstanceLock')
      return state.singleInstance
    }),
    whenReady: vi.fn(async () => void order.push('ready')),
    on: vi.fn((event: string, fn: Listener) => {
      appListeners.set(event, [...(appListeners.get(event) ?? []), fn])
      return app
    }),
    quit: vi.fn(),
    exit: vi.fn(),
  }
  class BrowserWindow {
    loadURL = vi.fn(async () => {})
    focus = vi.fn()
    constructor(readonly options: unknown) {
      order.push('window')
      windows.push(this)
    }
    once() {
      return this
    }
    on() {
      return this
    }
    isDestroyed = () => false
    isMinimized = () => false
    restore = vi.fn()
    show = vi.fn()
  }
  const modules = {
    app,
    BrowserWindow,
    dialog: { showErrorBox: vi.fn() },
    ipcMain: { handle: vi.fn(), removeHandler: vi.fn() },
    protocol: {
      registerSchemesAsPrivileged: vi.fn(() => void order.push('registerSchemesAsPrivileged')),
      handle: vi.fn(),
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: vi.fn(),
        setPermissionCheckHandler: vi.fn(),
        setDevicePermissionHandler: vi.fn(),
      },
    },
    shell: { openExternal: vi.fn(async () => {}) },
    Notification: Object.assign(
      vi.fn(function () {
        return { show: vi.fn() }
      }),
      { isSupported: vi.fn(() => true) },
    ),
  }
  const emit = (event: string, ...args: unknown[]) =>
    (appListeners.get(event) ?? []).forEach((fn) => fn(...args))
  const reset = () => {
    order.length = 0
    windows.length = 0
    appListeners.clear()
    state.singleInstance = true
    vi.clearAllMocks()
  }
  return { modules, order, windows, state, emit, reset }
})
vi.mock('electron', () => fake.modules)

const { app, dialog, ipcMain, protocol, session } = fake.modules
const mainDir = join(dirname(fileURLToPath(import.meta.url)), '../../src/main/electron')
let root: string
let dataDir: string

const start = async () => {
  vi.resetModules()
  await import('../../src/main/electron/main')
}
const started = () => vi.waitFor(() => expect(fake.windows).toHaveLength(1), { timeout: 20_000 })
const failed = () => vi.waitFor(() => expect(app.exit).toHaveBeenCalled(), { timeout: 20_000 })

beforeEach(() => {
  fake.reset()
  // The host logs startup failures to stderr; the assertions below check what the user is shown.
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true)
  root = tempDir('qqsec-electron-main-')
  dataDir = join(root, 'data')
  vi.stubEnv('QQSEC_DATA_DIR', dataDir)
  vi.stubEnv('QQSEC_KEYSTORE', 'file')
  vi.stubEnv('QQSEC_KEYSTORE_PASSPHRASE', KEYSTORE_PASSPHRASE)
})
afterEach(() => {
  fake.emit('will-quit')
  vi.unstubAllEnvs()
  vi.restoreAllMocks()
  rmSync(root, { recursive: true, force: true })
})

describe('the desktop host', () => {
  it('registers the scheme and sandbox before ready, keys the single-instance lock to the data dir', async () => {
    await start()
    await started()
    expect(fake.order.slice(0, 6)).toEqual([
      'registerSchemesAsPrivileged',
      'enableSandbox',
      'setPath:userData',
      'requestSingleInstanceLock',
      'ready',
      'window',
    ])
    expect(app.setPath).toHaveBeenCalledWith('userData', dataDir)
    expect(protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([
      { scheme: 'app', privileges: { standard: true, secure: true } },
    ])
  })

  it('opens the console, takes the data-dir lock, and wires guards, protocol, IPC and the window', async () => {
    await start()
    await started()
    expect(existsSync(dataFiles(dataDir).database)).toBe(true)
    expect(existsSync(dataFiles(dataDir).hostLock)).toBe(true)
    expect(app.on).toHaveBeenCalledWith('web-contents-created', expect.any(Function))
    expect(session.defaultSession.setPermissionRequestHandler).toHaveBeenCalledOnce()
    expect(session.defaultSession.setPermissionCheckHandler).toHaveBeenCalledOnce()
    expect(protocol.handle).toHaveBeenCalledExactlyOnceWith('app', expect.any(Function))
    expect(ipcMain.handle).toHaveBeenCalledTimes(CALL_NAMES.length)
    const win = fake.windows[0]!
    expect((win.options as { webPreferences: unknown }).webPreferences).toStrictEqual(
      secureWebPreferences(bundlePaths(mainDir).preloadPath),
    )
    expect(win.loadURL).toHaveBeenCalledExactlyOnceWith('app://console/index.html')
    expect(dialog.showErrorBox).not.toHaveBeenCalled()
  })

  it('asks whether desktop notifications are supported, to raise threat alerts with them', async () => {
    await start()
    await started()
    expect(fake.modules.Notification.isSupported).toHaveBeenCalled()
  })

  it('releases the data-dir lock and the handlers on quit', async () => {
    await start()
    await started()
    fake.emit('will-quit')
    expect(existsSync(dataFiles(dataDir).hostLock)).toBe(false)
    expect(ipcMain.removeHandler).toHaveBeenCalledTimes(CALL_NAMES.length)
  })

  it('quits when the window closes and focuses the window on a second launch', async () => {
    await start()
    await started()
    fake.emit('second-instance')
    expect(fake.windows[0]!.focus).toHaveBeenCalledOnce()
    fake.emit('window-all-closed')
    expect(app.quit).toHaveBeenCalledOnce()
  })

  it('a second instance on the same data dir quits at once and touches nothing', async () => {
    fake.state.singleInstance = false
    await start()
    await vi.waitFor(() => expect(app.quit).toHaveBeenCalledOnce())
    expect(app.whenReady).not.toHaveBeenCalled()
    expect(existsSync(dataFiles(dataDir).hostLock)).toBe(false)
    expect(fake.windows).toHaveLength(0)
  })

  it('shows the reason and exits 1 when the data dir holds a foreign database', async () => {
    mkdirSync(dataDir, { recursive: true })
    writeFileSync(dataFiles(dataDir).database, 'not a database at all, just text')
    await start()
    await failed()
    expect(app.exit).toHaveBeenCalledExactlyOnceWith(1)
    expect(dialog.showErrorBox).toHaveBeenCalledExactlyOnceWith(
      'QQ-Verse Security Console cannot start',
      expect.stringContaining('is not a SQLite database'),
    )
    expect(existsSync(dataFiles(dataDir).hostLock)).toBe(false)
    expect(fake.windows).toHaveLength(0)
    expect(ipcMain.handle).not.toHaveBeenCalled()
  })

  it('refuses a data dir another running console holds (e.g. qqsec serve)', async () => {
    mkdirSync(dataDir, { recursive: true })
    writeFileSync(dataFiles(dataDir).hostLock, String(process.ppid))
    await start()
    await failed()
    expect(app.exit).toHaveBeenCalledWith(1)
    expect(dialog.showErrorBox).toHaveBeenCalledWith(
      'QQ-Verse Security Console cannot start',
      expect.stringContaining('already running on this data dir'),
    )
    expect(existsSync(dataFiles(dataDir).hostLock)).toBe(true)
  })

  it('does not fall back to another keystore when the file keystore has no passphrase', async () => {
    vi.stubEnv('QQSEC_KEYSTORE_PASSPHRASE', '')
    await start()
    await failed()
    expect(app.exit).toHaveBeenCalledWith(1)
    expect(dialog.showErrorBox).toHaveBeenCalledWith(
      'QQ-Verse Security Console cannot start',
      expect.stringContaining('QQSEC_KEYSTORE_PASSPHRASE'),
    )
    expect(existsSync(dataFiles(dataDir).hostLock)).toBe(false)
  })
})
