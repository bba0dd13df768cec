import type { StateCreator } from 'zustand'
import type { SessionView } from '../../../shared/contract'
import type { CallError } from '../../../shared/result'
import { api } from '../lib/api'
import type { Notice } from './notice'
import type { AppState } from './app-state'

/** 'enroll': signed in, but the account's role requires MFA and the session may do nothing else until it is on. */
export type Phase = 'booting' | 'boot-failed' | 'setup' | 'login' | 'enroll' | 'shell'

export const SESSION_ENDED = 'Your session ended; sign in again.'

export interface SessionSlice {
  phase: Phase
  bootError: CallError | null
  session: SessionView | null
  /** Shown once on the next screen; never holds anything secret. */
  notice: Notice | null
  /** The account name just created or last used, so Login can prefill it. */
  lastAccountName: string
  boot: () => Promise<void>
  setupCompleted: (accountName: string) => void
  /** A sign-in (or a finished MFA enrollment) produced this session: to the shell, or to enrollment first. */
  signedIn: (session: SessionView) => void
  signedOut: () => void
  sessionEnded: () => void
  /** A session call succeeded: the server moved the idle deadline, so move the local estimate too. */
  sessionTouched: () => void
  sessionRefreshed: (session: SessionView) => void
  dismissNotice: () => void
}

const phaseFor = (session: SessionView): Phase =>
  session.restriction === 'mfa-enrollment' ? 'enroll' : 'shell'

const idleDeadline = (session: SessionView, now: number): string =>
  new Date(
    Math.min(now + session.idleTimeoutSeconds * 1000, Date.parse(session.absoluteExpiresAt)),
  ).toISOString()

export const createSessionSlice: StateCreator<AppState, [], [], SessionSlice> = (set, get) => ({
  phase: 'booting',
  bootError: null,
  session: null,
  notice: null,
  lastAccountName: '',

  boot: async () => {
    set({ phase: 'booting', bootError: null })
    const status = await api['system.status']({})
    if (!status.ok) {
      set({ phase: 'boot-failed', bootError: status.error })
      return
    }
    if (!status.value.initialized) {
      set({ phase: 'setup' })
      return
    }
    const restored = await api['auth.session']({})
    if (restored.ok) set({ phase: phaseFor(restored.value), session: restored.value })
    else set({ phase: 'login' })
  },

  setupCompleted: (accountName) =>
    set({
      phase: 'login',
      lastAccountName: accountName,
      notice: { tone: 'success', text: 'Administrator created — sign in' },
    }),

  signedIn: (session) =>
    set({ phase: phaseFor(session), session, notice: null, lastAccountName: session.user.name }),

  signedOut: () => {
    get().closePanels()
    set({ phase: 'login', session: null, notice: { tone: 'info', text: 'Signed out.' } })
  },

  sessionEnded: () => {
    const { phase } = get()
    if (phase !== 'shell' && phase !== 'enroll') return
    get().closePanels()
    set({ phase: 'login', session: null, notice: { tone: 'warning', text: SESSION_ENDED } })
  },

  sessionTouched: () => {
    const { session } = get()
    if (session) set({ session: { ...session, idleExpiresAt: idleDeadline(session, Date.now()) } })
  },

  sessionRefreshed: (session) => set({ session, phase: phaseFor(session) }),

  dismissNotice: () => set({ notice: null }),
})
