import type { StateCreator } from 'zustand'
import type { AppState } from './app-state'

export interface UiSlice {
  shortcutsOpen: boolean
  /** Sequence number of the audit entry shown in the detail drawer, if any. */
  auditDetailSeq: number | null
  setShortcutsOpen: (open: boolean) => void
  showAuditDetail: (seq: number | null) => void
  /** Esc, sign-out and session end close every panel at once. */
  closePanels: () => void
}

export const createUiSlice: StateCreator<AppState, [], [], UiSlice> = (set) => ({
  shortcutsOpen: false,
  auditDetailSeq: null,
  setShortcutsOpen: (open) => set({ shortcutsOpen: open }),
  showAuditDetail: (seq) => set({ auditDetailSeq: seq }),
  closePanels: () => set({ shortcutsOpen: false, auditDetailSeq: null }),
})
