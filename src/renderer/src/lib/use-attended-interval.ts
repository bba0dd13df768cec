import { useEffect, useRef } from 'react'

/** User input in the page: a scheduled call is a call, and calls keep the session alive, so they follow the person. */
const ACTIVITY_EVENTS = ['keydown', 'pointerdown', 'pointermove', 'wheel'] as const

/**
 * Run `fn` now and every `intervalMs` — but only while someone is using the page (input within `activeWithinMs`).
 * A scheduled call from an unattended console would keep its session alive and defeat the idle lock and the
 * server's idle timeout; skipped ticks are not made up. `enabled: false` stops it.
 */
export function useAttendedInterval(
  fn: () => void,
  intervalMs: number,
  activeWithinMs: number,
  enabled = true,
): void {
  const latest = useRef(fn)
  useEffect(() => {
    latest.current = fn
  })
  useEffect(() => {
    if (!enabled) return
    let lastActivity = Date.now()
    const active = () => {
      lastActivity = Date.now()
    }
    for (const e of ACTIVITY_EVENTS) window.addEventListener(e, active, { passive: true })
    const tick = () => {
      if (Date.now() - lastActivity < activeWithinMs) latest.current()
    }
    const timer = window.setInterval(tick, intervalMs)
    return () => {
      window.clearInterval(timer)
      for (const e of ACTIVITY_EVENTS) window.removeEventListener(e, active)
    }
  }, [intervalMs, activeWithinMs, enabled])
}
