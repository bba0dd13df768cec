export type CopyOutcome = { ok: true; clearsAt: number } | { ok: false; reason: string }

let clearTimer: number | undefined
let pendingFocusClear: (() => void) | undefined

const describe = (cause: unknown): string =>
  cause instanceof Error && cause.message ? cause.message : 'no reason given'

async function clearNow(): Promise<void> {
  try {
    await navigator.clipboard.writeText('')
  } catch {
    // Browsers refuse clipboard writes while the page has no focus: clear as soon as it has it again.
    if (pendingFocusClear) return
    pendingFocusClear = () => {
      pendingFocusClear = undefined
      void navigator.clipboard.writeText('').catch(() => undefined)
    }
    window.addEventListener('focus', pendingFocusClear, { once: true })
  }
}

/**
 * Puts a secret on the clipboard and empties the clipboard again after `clearAfterMs` (30 s by default).
 * A refused clipboard (no permission, no focus, no clipboard API) comes back as a reason to show.
 */
export async function copySecret(text: string, clearAfterMs = 30_000): Promise<CopyOutcome> {
  if (!navigator.clipboard || typeof navigator.clipboard.writeText !== 'function')
    return { ok: false, reason: 'this window has no clipboard access' }
  try {
    await navigator.clipboard.writeText(text)
  } catch (cause) {
    return { ok: false, reason: describe(cause) }
  }
  window.clearTimeout(clearTimer)
  clearTimer = window.setTimeout(() => void clearNow(), clearAfterMs)
  return { ok: true, clearsAt: Date.now() + clearAfterMs }
}
