import type { App, Session, WebContents } from 'electron'
import { externalHttpsUrl, isAppUrl } from './app-origin'

/**
 * The console needs no browser permission (camera, notifications, clipboard read, geolocation, USB...):
 * every request is refused and every check answers false, for all sessions' web contents.
 */
export function denyAllPermissions(
  session: Pick<
    Session,
    'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'setDevicePermissionHandler'
  >,
): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false))
  session.setPermissionCheckHandler(() => false)
  session.setDevicePermissionHandler(() => false)
}

export type OpenExternal = (url: string) => Promise<void>

/**
 * Lock one web contents to the app's origin: navigation and redirects elsewhere are cancelled, no window is ever
 * opened (an https link goes to the OS browser instead), and <webview> cannot attach.
 */
export function guardWebContents(
  contents: WebContents,
  openExternal: OpenExternal,
  onError: (error: unknown) => void,
): void {
  const stayOnOrigin = (event: { preventDefault(): void }, url: string) => {
    if (!isAppUrl(url)) event.preventDefault()
  }
  contents.on('will-navigate', stayOnOrigin)
  contents.on('will-redirect', stayOnOrigin)
  contents.on('will-attach-webview', (event) => event.preventDefault())
  contents.setWindowOpenHandler(({ url }) => {
    const external = externalHttpsUrl(url)
    if (external) openExternal(external).catch(onError)
    return { action: 'deny' }
  })
}

/** Apply the guards to every web contents the app ever creates, including ones created before a window loads. */
export function guardAllWebContents(
  app: Pick<App, 'on'>,
  openExternal: OpenExternal,
  onError: (error: unknown) => void,
): void {
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents, openExternal, onError))
}
