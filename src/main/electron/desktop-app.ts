import type {
  App,
  BrowserWindow,
  BrowserWindowConstructorOptions,
  Dialog,
  IpcMain,
  Protocol,
  Session,
  Shell,
} from 'electron'
import { openConsole, type ConsoleCore } from '../console-core'
import { DomainError } from '../domain-error'
import { selectKeyStore } from '../keystore/select-keystore'
import { dataFiles, ensureDataDir, resolveDataDir } from '../platform/data-dir'
import { acquireInstanceLock, type InstanceLock } from '../platform/instance-lock'
import { stderrLogger, type Logger } from '../platform/logger'
import { APP_SCHEME } from './app-origin'
import { registerIpcBridge, type IpcBridge } from './ipc-bridge'
import { bundlePaths, electronSqliteBinding, type BundlePaths } from './paths'
import { APP_SCHEME_PRIVILEGES, createAppProtocolHandler } from './protocol'
import { denyAllPermissions, guardAllWebContents } from './security'
import { focusWindow, openMainWindow } from './window'

/** The parts of Electron the desktop host uses; main.ts passes the real module, tests pass fakes. */
export interface ElectronModules {
  app: App
  BrowserWindow: new (options: BrowserWindowConstructorOptions) => BrowserWindow
  dialog: Pick<Dialog, 'showErrorBox'>
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>
  protocol: Pick<Protocol, 'registerSchemesAsPrivileged' | 'handle'>
  session: { defaultSession: Session }
  shell: Pick<Shell, 'openExternal'>
  /** Desktop notifications for threats (Electron's Notification class). */
  Notification?: {
    new (options: { title: string; body: string; silent?: boolean }): { show(): void }
    isSupported(): boolean
  }
}

export interface DesktopOptions {
  /** Folder of the main bundle (out/main); the preload and renderer are found beside it. */
  mainDir: string
  env?: NodeJS.ProcessEnv
  logger?: Logger
  open?: typeof openConsole
}

const FAILURE_TITLE = 'QQ-Verse Security Console cannot start'

const NATIVE_HINT =
  ' The desktop app needs better-sqlite3 built for Electron: run `node scripts/build-electron-sqlite.mjs` (npm start does this when it can).'

/** What the error dialog says: a DomainError's own message, never a stack; anything else points at the log. */
export function startupFailureMessage(error: unknown, nativeBinding: string | undefined): string {
  if (!(error instanceof DomainError)) {
    return 'Something unexpected stopped the console from starting; the details are in its log.'
  }
  const wrongAbi = nativeBinding === undefined && /NODE_MODULE_VERSION/.test(error.message)
  return wrongAbi ? `${error.message}${NATIVE_HINT}` : error.message
}

/**
 * The desktop host's life: privileged scheme and sandbox before ready; one app instance per data dir (Electron's
 * lock is keyed by userData, which is the data dir) plus the data-dir lock shared with `qqsec serve`; then the
 * console core, the guards, the protocol, the IPC bridge and the window. A startup failure is shown and the
 * app exits non-zero; it never falls back to another data dir or keystore.
 */
export async function startDesktopApp(electron: ElectronModules, opts: DesktopOptions): Promise<void> {
  const { app, dialog, protocol } = electron
  const env = opts.env ?? process.env
  const logger = opts.logger ?? stderrLogger
  const paths = bundlePaths(opts.mainDir)
  let lock: InstanceLock | null = null
  let core: ConsoleCore | null = null
  let nativeBinding: string | undefined

  const fail = (error: unknown) => {
    logger.error('the desktop console could not start', error)
    core?.close()
    lock?.release()
    dialog.showErrorBox(FAILURE_TITLE, startupFailureMessage(error, nativeBinding))
    app.exit(1)
  }

  // Before ready, synchronously: these only take effect if set before the app is ready.
  protocol.registerSchemesAsPrivileged(APP_SCHEME_PRIVILEGES)
  app.enableSandbox()
  let dataDir: string
  try {
    dataDir = resolveDataDir(undefined, env)
    ensureDataDir(dataDir)
    app.setPath('userData', dataDir)
  } catch (e) {
    fail(e)
    return
  }
  if (!app.requestSingleInstanceLock()) {
    // The first instance on this data dir gets 'second-instance' and comes forward.
    app.quit()
    return
  }
  guardAllWebContents(
    app,
    (url) => electron.shell.openExternal(url),
    (e) => logger.error('openExternal failed', e),
  )

  await app.whenReady()
  try {
    lock = acquireInstanceLock(dataFiles(dataDir).hostLock)
    nativeBinding = electronSqliteBinding({
      isPackaged: app.isPackaged,
      resourcesPath: process.resourcesPath,
      projectDir: paths.projectDir,
    })
    const keyStore = selectKeyStore(dataDir, undefined, env)
    core = await (opts.open ?? openConsole)({ dataDir, keyStore, nativeBinding, logger })
  } catch (e) {
    fail(e)
    return
  }
  try {
    wireUp(electron, core, lock, paths, logger)
  } catch (e) {
    fail(e)
  }
}

/** After the core is open: guards on the session, the protocol, the IPC bridge, the window and shutdown. */
function wireUp(
  electron: ElectronModules,
  running: ConsoleCore,
  held: InstanceLock,
  paths: BundlePaths,
  logger: Logger,
): void {
  const { app, protocol } = electron
  denyAllPermissions(electron.session.defaultSession)
  const Notifier = electron.Notification
  if (Notifier?.isSupported()) {
    // Alerts reach the operator even when the window is in the background; the detail stays in the Threats view.
    running.threats.onThreat = (t) =>
      new Notifier({
        title: t.decision === 'block' ? 'QQ-Verse: request blocked' : 'QQ-Verse: threat alert',
        body: `${t.summary} — client ${t.client}${t.user ? `, account ${t.user}` : ''} (risk ${t.risk}). Open Threats to review.`,
      }).show()
  }
  protocol.handle(APP_SCHEME, createAppProtocolHandler(paths.rendererDir))
  let closing = false
  const bridge: IpcBridge = registerIpcBridge(electron.ipcMain, running.invoke, (caller) => {
    if (closing) return
    running
      .invoke(caller, 'auth.logout', {})
      .catch((e: unknown) => logger.error('ending a session failed', e))
  })

  let win: BrowserWindow | null = openMainWindow(electron.BrowserWindow, paths.preloadPath, (e) =>
    logger.error('the console page did not load', e),
  )
  win.on('closed', () => {
    win = null
  })
  app.on('second-instance', () => focusWindow(win))
  // One window, one console: closing it ends the app on every platform, releasing the database and the lock.
  app.on('window-all-closed', () => app.quit())
  app.on('will-quit', () => {
    closing = true
    bridge.dispose()
    running.close()
    held.release()
  })
}
