import type { ConsoleApi } from '../../shared/api'

declare global {
  interface Window {
    /** The Electron preload's bridge: one function per contract call. Absent in browser mode. */
    qqsec?: ConsoleApi
  }
}

export {}
