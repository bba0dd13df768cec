import { useEffect } from 'react'
import { navigate } from '../../lib/hash-router'
import { useAppStore } from '../../store'
import { SHORTCUT_ROUTES } from './routes'

const CHORD_MS = 1500

const isTyping = (target: EventTarget | null): boolean =>
  target instanceof HTMLElement &&
  (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))

/** `?` lists the shortcuts, Esc closes panels, `g` then a letter goes to a view. Never while typing. */
export function useShortcuts(): void {
  useEffect(() => {
    let chordUntil = 0
    const onKey = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return
      const { setShortcutsOpen, closePanels } = useAppStore.getState()
      if (event.key === 'Escape') {
        closePanels()
        return
      }
      if (event.key === '?') {
        event.preventDefault()
        setShortcutsOpen(true)
        return
      }
      if (Date.now() < chordUntil) {
        chordUntil = 0
        const route = SHORTCUT_ROUTES.find((r) => r.key === event.key)
        if (route) {
          event.preventDefault()
          closePanels()
          navigate(route.id)
        }
        return
      }
      if (event.key === 'g') chordUntil = Date.now() + CHORD_MS
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])
}
