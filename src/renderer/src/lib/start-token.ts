/**
 * Browser mode opens with `?token=…` (the start token). The server has already turned it into an HttpOnly
 * cookie, so the token leaves the address bar (and the history entry) before anything else runs.
 */
export function dropStartTokenFromAddress(): void {
  const url = new URL(window.location.href)
  if (!url.searchParams.has('token')) return
  url.searchParams.delete('token')
  window.history.replaceState(window.history.state, '', `${url.pathname}${url.search}${url.hash}`)
}
