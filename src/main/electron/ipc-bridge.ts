import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron'
import { CALL_NAMES, ipcChannel, type CallName } from '../../shared/contract'
import type { Caller } from '../ipc/caller'
import type { Invoke } from '../ipc/pipeline'
import { isAppUrl } from './app-origin'

/**
 * True only for the top-level frame of its web contents, showing a page of the app's own origin. A sub-frame,
 * a frame gone by the time the message is handled, or any other origin is not the console.
 */
export function isTrustedSender(event: Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>): boolean {
  const frame = event.senderFrame
  if (!frame || frame.parent !== null) return false
  if (frame.frameTreeNodeId !== event.sender.mainFrame.frameTreeNodeId) return false
  return isAppUrl(frame.url)
}

/**
 * Session tokens per web contents, kept in main only: the renderer never sees its token, it is identified by
 * the web contents that sent the message.
 */
export class SessionTable {
  private readonly tokens = new Map<number, string>()

  get(contentsId: number): string | null {
    return this.tokens.get(contentsId) ?? null
  }

  bind(contentsId: number, token: string | null): void {
    if (token === null) this.tokens.delete(contentsId)
    else this.tokens.set(contentsId, token)
  }

  /** Remove and return the token of a web contents that has gone. */
  take(contentsId: number): string | null {
    const token = this.get(contentsId)
    this.tokens.delete(contentsId)
    return token
  }

  get size(): number {
    return this.tokens.size
  }
}

export const ipcClientId = (contents: Pick<WebContents, 'id'>): string => `ipc:${contents.id}`

export function callerFor(
  event: Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>,
  sessions: SessionTable,
): Caller {
  const id = event.sender.id
  return {
    transport: 'ipc',
    client: ipcClientId(event.sender),
    senderVerified: isTrustedSender(event),
    sessionToken: sessions.get(id),
    bindSession: (token) => sessions.bind(id, token),
  }
}

export interface IpcBridge {
  readonly sessions: SessionTable
  readonly channels: readonly string[]
  /** Stop answering: removes every handler this bridge registered. */
  dispose(): void
}

/**
 * Called when a web contents holding a session is destroyed (window closed, renderer gone), so the session
 * ends with it instead of lingering until its timeout.
 */
export type EndSession = (caller: Caller) => void

/**
 * The one place IPC handlers are registered: one `ipcMain.handle` per contract call, each going straight into
 * the guard pipeline with a Caller built from the event (never from anything the renderer says).
 */
export function registerIpcBridge(
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>,
  invoke: Invoke,
  endSession: EndSession,
): IpcBridge {
  const sessions = new SessionTable()
  const watched = new Set<number>()

  const watch = (contents: WebContents) => {
    const id = contents.id
    if (watched.has(id)) return
    watched.add(id)
    contents.once('destroyed', () => {
      watched.delete(id)
      const token = sessions.take(id)
      if (token === null) return
      endSession({
        transport: 'ipc',
        client: ipcClientId(contents),
        // Main itself ends the session of its own web contents; no renderer message is involved.
        senderVerified: true,
        sessionToken: token,
        bindSession: () => {},
      })
    })
  }

  const handle = (name: CallName) => (event: IpcMainInvokeEvent, input: unknown) => {
    watch(event.sender)
    return invoke(callerFor(event, sessions), name, input)
  }

  const channels = CALL_NAMES.map((name) => {
    const channel = ipcChannel(name)
    ipcMain.handle(channel, handle(name))
    return channel
  })

  return {
    sessions,
    channels,
    dispose: () => channels.forEach((channel) => ipcMain.removeHandler(channel)),
  }
}
