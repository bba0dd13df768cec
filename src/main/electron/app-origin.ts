/**
 * The app's own origin. The renderer is served from `app://console/` only; navigation, IPC senders and
 * protocol requests are all checked against this one place.
 */
export const APP_SCHEME = 'app'
export const APP_HOST = 'console'
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`

const parse = (url: string): URL | null => {
  try {
    return new URL(url)
  } catch {
    return null
  }
}

/**
 * True for a URL on the app's own origin. Compares protocol and host rather than `URL.origin`, which is the
 * string "null" for schemes Node's URL parser does not know as special (such as `app:`).
 */
export function isAppUrl(url: string): boolean {
  const u = parse(url)
  return u !== null && u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST
}

/** The only kind of link the console hands to the OS browser: a well-formed https: URL. */
export function externalHttpsUrl(url: string): string | null {
  const u = parse(url)
  return u !== null && u.protocol === 'https:' && u.hostname !== '' ? u.href : null
}
