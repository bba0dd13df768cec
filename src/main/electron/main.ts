import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { app, BrowserWindow, dialog, ipcMain, Notification, protocol, session, shell } from 'electron'
import { startDesktopApp } from './desktop-app'

/** Entry of the desktop app (bundled to out/main/index.js). All behaviour lives in the modules beside it. */
// Everything the console writes (database, WAL, keystore, reports) is for this OS user only.
process.umask(0o077)
void startDesktopApp(
  { app, BrowserWindow, dialog, ipcMain, Notification, protocol, session, shell },
  { mainDir: dirname(fileURLToPath(import.meta.url)) },
)
