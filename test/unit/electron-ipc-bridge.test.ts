import type { IpcMain, IpcMainInvokeEvent } from 'electron'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { registerIpcBridge, type EndSession, type IpcBridge } from '../../src/main/electron/ipc-bridge'
import { CALL_NAMES, ipcChannel } from '../../src/shared/contract'
import type { Result } from '../../src/shared/result'
import { STRONG_PASSWORD, tempConsole, type TestConsole } from '../support/temp-console'

type Handler = (event: IpcMainInvokeEvent, input: unknown) => Promise<Result<unknown>>

interface FakeFrame {
  url: string
  parent: FakeFrame | null
  frameTreeNodeId: number
}

/** ipcMain as far as the bridge uses it: records every handler registered and removed. */
function fakeIpcMain() {
  const handlers = new Map<string, Handler>()
  const handle = vi.fn((channel: string, fn: Handler) => {
    if (handlers.has(channel)) throw new Error(`second handler for ${channel}`)
    handlers.set(channel, fn)
  })
  const removeHandler = vi.fn((channel: string) => handlers.delete(channel))
  return { ipcMain: { handle, removeHandler } as unknown as IpcMain, handlers, handle }
}

/** One web contents (a window) with its main frame; `destroy()` fires its 'destroyed' listeners. */
function fakeContents(id: number, url = 'app://console/index.html') {
  const mainFrame: FakeFrame = { url, parent: null, frameTreeNodeId: id * 100 }
  const onDestroyed: (() => void)[] = []
  const sender = {
    id,
    mainFrame,
    once: (event: string, fn: () => void) => {
      if (event === 'destroyed') onDestroyed.push(fn)
    },
  }
  const event = (frame: FakeFrame | null = mainFrame) =>
    ({ sender, senderFrame: frame }) as unknown as IpcMainInvokeEvent
  return { sender, mainFrame, event, destroy: () => onDestroyed.splice(0).forEach((fn) => fn()) }
}

let t: TestConsole
let ipc: ReturnType<typeof fakeIpcMain>
let bridge: IpcBridge
let endSession: ReturnType<typeof vi.fn<EndSession>>

beforeEach(async () => {
  t = await tempConsole()
  ipc = fakeIpcMain()
  endSession = vi.fn<EndSession>((caller) => void t.core.invoke(caller, 'auth.logout', {}))
  bridge = registerIpcBridge(ipc.ipcMain, t.core.invoke, endSession)
})
afterEach(() => t.cleanup())

const call = (event: IpcMainInvokeEvent, name: string, input: unknown = {}) => {
  const handler = ipc.handlers.get(`qqsec:${name}`)
  if (!handler) throw new Error(`no handler for ${name}`)
  return handler(event, input)
}
const codeOf = (r: Result<unknown>) => (r.ok ? 'OK' : r.error.code)

const signIn = async (event: IpcMainInvokeEvent) => {
  expect(codeOf(await call(event, 'auth.setupAdmin', { name: 'alice', password: STRONG_PASSWORD }))).toBe(
    'OK',
  )
  expect(codeOf(await call(event, 'auth.login', { name: 'alice', password: STRONG_PASSWORD }))).toBe('OK')
}

describe('the IPC bridge', () => {
  it('registers exactly one handler per contract call, on its own channel, and nothing else', () => {
    expect(ipc.handle).toHaveBeenCalledTimes(CALL_NAMES.length)
    expect([...ipc.handlers.keys()].sort()).toEqual(CALL_NAMES.map(ipcChannel).sort())
    expect(bridge.channels).toEqual(CALL_NAMES.map(ipcChannel))
  })

  it('answers the main frame of the app origin', async () => {
    const w = fakeContents(1)
    const r = await call(w.event(), 'system.status')
    expect(r).toMatchObject({ ok: true, value: { initialized: false } })
    expect(t.core.audit.recent(1).entries[0]).toMatchObject({ action: 'system.status', client: 'ipc:1' })
  })

  it.each([
    ['another origin', 'https://evil.example/index.html'],
    ['another app host', 'app://evil/index.html'],
    ['a look-alike host', 'app://console.evil/index.html'],
    ['a file page', 'file:///work/out/renderer/index.html'],
    ['an opaque page', 'about:blank'],
  ])('refuses a main frame from %s with BAD_SENDER', async (_what, url) => {
    const w = fakeContents(1, url)
    expect(codeOf(await call(w.event(), 'system.status'))).toBe('BAD_SENDER')
  })

  it('refuses a sub-frame, even one of the app origin', async () => {
    const w = fakeContents(1)
    const sub: FakeFrame = { url: 'app://console/index.html', parent: w.mainFrame, frameTreeNodeId: 101 }
    expect(codeOf(await call(w.event(sub), 'system.status'))).toBe('BAD_SENDER')
    const orphan: FakeFrame = { url: 'app://console/index.html', parent: null, frameTreeNodeId: 999 }
    expect(codeOf(await call(w.event(orphan), 'system.status'))).toBe('BAD_SENDER')
  })

  it('refuses a frame that has gone (senderFrame null)', async () => {
    const w = fakeContents(1)
    expect(codeOf(await call(w.event(null), 'system.status'))).toBe('BAD_SENDER')
  })

  it('passes the raw input to the pipeline, which validates it', async () => {
    const w = fakeContents(1)
    expect(codeOf(await call(w.event(), 'system.status', { extra: true }))).toBe('INVALID_INPUT')
  })

  it('keeps sessions per web contents and never returns the token', async () => {
    const a = fakeContents(1)
    const b = fakeContents(2)
    await signIn(a.event())
    const token = bridge.sessions.get(1)
    expect(token).toEqual(expect.any(String))
    const session = await call(a.event(), 'auth.session')
    expect(codeOf(session)).toBe('OK')
    expect(JSON.stringify(session)).not.toContain(token)
    expect(codeOf(await call(b.event(), 'auth.session'))).toBe('UNAUTHENTICATED')
    expect(bridge.sessions.get(2)).toBeNull()
  })

  it('forgets the session on logout', async () => {
    const a = fakeContents(1)
    await signIn(a.event())
    expect(codeOf(await call(a.event(), 'auth.logout'))).toBe('OK')
    expect(bridge.sessions.size).toBe(0)
    expect(codeOf(await call(a.event(), 'auth.session'))).toBe('UNAUTHENTICATED')
  })

  it('ends the session when its web contents is destroyed', async () => {
    const a = fakeContents(1)
    await signIn(a.event())
    const token = bridge.sessions.get(1)!
    a.destroy()
    expect(bridge.sessions.get(1)).toBeNull()
    expect(endSession).toHaveBeenCalledOnce()
    expect(endSession.mock.calls[0]?.[0]).toMatchObject({
      transport: 'ipc',
      client: 'ipc:1',
      sessionToken: token,
    })
    await vi.waitFor(() => expect(t.core.auth.resolve(token)).toBeNull())
  })

  it('does not call endSession for a web contents that never signed in', async () => {
    const a = fakeContents(3)
    await call(a.event(), 'system.status')
    a.destroy()
    expect(endSession).not.toHaveBeenCalled()
  })

  it('removes every handler it registered on dispose', () => {
    bridge.dispose()
    expect(ipc.handlers.size).toBe(0)
  })
})
