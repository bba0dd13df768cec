import type { SessionSlice } from './session-slice'
import type { UiSlice } from './ui-slice'

export type AppState = SessionSlice & UiSlice
