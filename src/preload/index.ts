import { contextBridge, ipcRenderer } from 'electron'
import { CALL_NAMES, ipcChannel } from '../shared/contract'

/**
 * The whole bridge: one function per contract call, each invoking its own channel with one argument. No
 * ipcRenderer, no generic send, no Node API reaches the page; main checks the sender and everything else.
 */
const api = Object.freeze(
  Object.fromEntries(
    CALL_NAMES.map((name) => [
      name,
      (input: unknown): Promise<unknown> => ipcRenderer.invoke(ipcChannel(name), input),
    ]),
  ),
)

contextBridge.exposeInMainWorld('qqsec', api)
