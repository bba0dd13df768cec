import { useSyncExternalStore } from 'react'

/**
 * A tiny hash router: the app loads from a custom protocol in Electron and from one page in browser mode,
 * so the route lives after '#'. `#/audit?risk=high` → { path: 'audit', query: URLSearchParams }.
 */
export interface HashLocation {
  path: string
  query: URLSearchParams
}

const subscribe = (onChange: () => void): (() => void) => {
  window.addEventListener('hashchange', onChange)
  return () => window.removeEventListener('hashchange', onChange)
}

const snapshot = (): string => window.location.hash

export function parseHash(hash: string): HashLocation {
  const raw = hash.replace(/^#\/?/, '')
  const cut = raw.indexOf('?')
  const path = (cut === -1 ? raw : raw.slice(0, cut)).replace(/\/+$/, '')
  return { path, query: new URLSearchParams(cut === -1 ? '' : raw.slice(cut + 1)) }
}

export function useHashLocation(): HashLocation {
  const hash = useSyncExternalStore(subscribe, snapshot)
  return parseHash(hash)
}

export const hrefFor = (path: string): string => `#/${path}`

export function navigate(path: string, options: { replace?: boolean } = {}): void {
  const target = hrefFor(path)
  if (options.replace) window.history.replaceState(window.history.state, '', target)
  else window.location.hash = target
  // replaceState does not fire hashchange; tell the subscribers ourselves.
  if (options.replace) window.dispatchEvent(new HashChangeEvent('hashchange'))
}

/** `users?tab=review&user=…` from a path and query values; null or '' leaves a key out. */
export function pathWithQuery(path: string, query: Record<string, string | null | undefined>): string {
  const params = new URLSearchParams()
  for (const [k, v] of Object.entries(query)) if (v) params.set(k, v)
  const text = params.toString()
  return text ? `${path}?${text}` : path
}
