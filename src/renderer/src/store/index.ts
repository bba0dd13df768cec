import { create } from 'zustand'
import type { AppState } from './app-state'
import { createSessionSlice } from './session-slice'
import { createUiSlice } from './ui-slice'

/** The one store, built from typed slices (zustand's slices pattern). Nothing in it is persisted. */
export const useAppStore = create<AppState>()((...args) => ({
  ...createSessionSlice(...args),
  ...createUiSlice(...args),
}))

export type { AppState } from './app-state'
export type { Phase } from './session-slice'
