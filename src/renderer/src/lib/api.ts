import type { ConsoleApi } from '../../../shared/api'
import { httpApi } from './http-transport'
import { ipcApi } from './ipc-transport'

export type Transport = 'electron' | 'browser'

/** Picked once at start: the preload's bridge when it exists, the loopback server otherwise. */
export const transport: Transport = window.qqsec ? 'electron' : 'browser'

export const api: ConsoleApi = window.qqsec ? ipcApi(window.qqsec) : httpApi
