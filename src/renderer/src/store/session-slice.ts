import type { StateCreator } from 'zustand'
import type { SessionView } from '../../../shared/contract'
import type { CallError } from '../../../shared/result'
import { api } from '../lib/api'
import type { Notice } from './notice'
import type { AppState } from './app-state'

/**
 * 'enroll': signed in, but the account's role requires MFA and the session may do nothing else until it is on.
 * 'locked': the session has ended (idle time ran out, or the Lock button); the lock screen asks the same
 * account to sign in again and the route in the address stays as it was.
 */
export type Phase = 'booting' | 'boot-failed' | 'setup' | 'login' | 'enroll' | 'shell' | 'locked'

/** Why the console locked: the Lock button, the idle timeout, or the session's maximum length. */
export type LockReason = 'manual' | 'idle' | 'lifetime'

export interface LockState {
  account: string
  reason: LockReason
  /** The idle timeout at the time, for the lock screen's sentence. */
  idleMinutes: number
  at: string
}

export const SESSION_ENDED = 'Your session ended; sign in again.'

export interface SessionSlice {
  phase: Phase
  bootError: CallError | null
  session: SessionView | null
  /** Shown once on the next screen; never holds anything secret. */
  notice: Notice | null
  /** The account name just created or last used, so Login can prefill it. */
  lastAccountName: string
  /** Set while locked: whose session it was and why it locked. Never holds a password. */
  lock: LockState | null
  boot: () => Promise<void>
  setupCompleted: (accountName: string) => void
  /** A sign-in (or a finished MFA enrollment) produced this session: to the shell, or to enrollment first. */
  signedIn: (session: SessionView) => void
  signedOut: (notice?: Notice) => void
  sessionEnded: () => void
  /** A session call succeeded: the server moved the idle deadline, so move the local estimate too. */
  sessionTouched: () => void
  sessionRefreshed: (session: SessionView) => void
  dismissNotice: () => void
  /** Lock the console: the screen changes at once and main ends the session (if it has not already). */
  lockConsole: (reason: LockReason) => void
  /** From the lock screen to the ordinary sign-in screen, e.g. to sign in as someone else. */
  leaveLock: () => void
}

const phaseFor = (session: SessionView): Phase =>
  session.restriction === 'mfa-enrollment' ? 'enroll' : 'shell'

const idleDeadline = (session: SessionView, now: number): string =>
  new Date(
    Math.min(now + session.idleTimeoutSeconds * 1000, Date.parse(session.absoluteExpiresAt)),
  ).toISOString()

let endingSession: Promise<unknown> = Promise.resolve()

/** Resolves once the session a lock ended is gone in main too, so a new sign-in never races the old logout. */
export const sessionEndSettled = (): Promise<unknown> => endingSession

export const createSessionSlice: StateCreator<AppState, [], [], SessionSlice> = (set, get) => ({
  phase: 'booting',
  bootError: null,
  session: null,
  notice: null,
  lastAccountName: '',
  lock: null,

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
    set({ phase: phaseFor(session), session, notice: null, lastAccountName: session.user.name, lock: null }),

  signedOut: (notice: Notice = { tone: 'info', text: 'Signed out.' }) => {
    get().closePanels()
    set({ phase: 'login', session: null, lock: null, notice })
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

  lockConsole: (reason) => {
    const { session, phase } = get()
    if (phase !== 'shell' || !session) return
    get().closePanels()
    set({
      phase: 'locked',
      session: null,
      notice: null,
      lastAccountName: session.user.name,
      lock: {
        account: session.user.name,
        reason,
        idleMinutes: Math.round(session.idleTimeoutSeconds / 60),
        at: new Date().toISOString(),
      },
    })
    // Called directly, not through callApi: an already ended session (UNAUTHENTICATED) is the expected case.
    endingSession = api['auth.logout']({}).catch(() => undefined)
  },

  leaveLock: () => set({ phase: 'login', lock: null, notice: null }),
})
