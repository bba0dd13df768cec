import { readFileSync } from 'node:fs'
import { describe, expect, it, vi } from 'vitest'
import { CALL_NAMES, ipcChannel } from '../../src/shared/contract'

const electron = vi.hoisted(() => ({
  contextBridge: { exposeInMainWorld: vi.fn() },
  ipcRenderer: { invoke: vi.fn(async (channel: string) => ({ ok: true, value: channel })) },
}))
vi.mock('electron', () => electron)

const exposed = async (): Promise<Record<string, unknown>> => {
  await import('../../src/preload/index')
  expect(electron.contextBridge.exposeInMainWorld).toHaveBeenCalledOnce()
  const [key, api] = electron.contextBridge.exposeInMainWorld.mock.calls[0] ?? []
  expect(key).toBe('qqsec')
  return api as Record<string, unknown>
}

describe('the preload bridge', () => {
  it("exposes exactly the contract's call names, as functions, in a frozen object", async () => {
    const api = await exposed()
    expect(Object.keys(api).sort()).toEqual([...CALL_NAMES].sort())
    for (const name of CALL_NAMES) expect(typeof api[name], name).toBe('function')
    expect(Object.isFrozen(api)).toBe(true)
  })

  it('has each call invoke its own channel with its one argument', async () => {
    const api = await exposed()
    for (const name of CALL_NAMES) {
      electron.ipcRenderer.invoke.mockClear()
      const fn = api[name] as (...args: unknown[]) => Promise<unknown>
      await expect(fn({ probe: name }, 'ignored extra argument')).resolves.toEqual({
        ok: true,
        value: ipcChannel(name),
      })
      expect(electron.ipcRenderer.invoke).toHaveBeenCalledExactlyOnceWith(ipcChannel(name), { probe: name })
    }
  })

  it('imports nothing but electron and the shared contract', () => {
    const source = readFileSync(new URL('../../src/preload/index.ts', import.meta.url), 'utf8')
    const imports = [...source.matchAll(/from\s+'([^']+)'/g)].map((m) => m[1])
    expect(imports.sort()).toEqual(['../shared/contract', 'electron'])
  })
})
