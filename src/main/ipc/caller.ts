/** Who is calling, as the transport established it. Never taken from the renderer's own words. */
export interface Caller {
  transport: 'ipc' | 'http' | 'cli'
  /** Stable client id for rate limits and audit: `ipc:<webContents id>`, `http:<address>`, `cli:<os user>`. */
  client: string
  /** The client's network address where the transport has one (browser mode), for client restrictions. */
  address?: string
  /** The transport's sender check: Electron main frame of the app's own origin; HTTP host, origin and start token. */
  senderVerified: boolean
  /** The session token bound to this client by the transport (IPC: per webContents; HTTP: cookie; CLI: keystore). */
  sessionToken: string | null
  /** A call started (token) or ended (null) this client's session; the transport keeps it, the renderer never sees it. */
  bindSession(token: string | null): void
}
