/**
 * Saves text as a file the way a browser does: a Blob behind an object URL, a temporary <a download>, and the
 * URL revoked again once the click has started the download (in the Electron window too).
 */
export function downloadText(fileName: string, text: string, mime: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: mime }))
  const a = document.createElement('a')
  a.href = url
  a.download = fileName
  a.rel = 'noopener'
  a.style.display = 'none'
  document.body.append(a)
  try {
    a.click()
  } finally {
    a.remove()
    // The download has taken its own reference by the next task; revoking at once can cancel it in Chromium.
    window.setTimeout(() => URL.revokeObjectURL(url), 0)
  }
}

/** `2026-12-04T20-30-05Z`: a UTC time that sorts and is valid in a file name everywhere. */
export function fileStamp(iso: string): string {
  return `${iso.slice(0, 19).replace(/:/g, '-')}Z`
}
