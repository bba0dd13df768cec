import type { CallOutput } from '../../../../shared/contract'

export type StateSummary = CallOutput<'vault.list'>['states'][number]
export type StateDetail = CallOutput<'vault.get'>

/** Largest base64 text vault.import takes inline (the contract's limit): about 180 KiB of file. */
export const MAX_INLINE_BASE64 = 240 * 1024

/** A picked file as base64 (no data: prefix), read in the page. */
export function fileToBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader()
    reader.onerror = () => reject(reader.error ?? new Error('The file could not be read'))
    reader.onload = () => {
      const url = String(reader.result)
      resolve(url.slice(url.indexOf(',') + 1))
    }
    reader.readAsDataURL(file)
  })
}

/** Saves base64 bytes as a file: a Blob behind an object URL, revoked once the download has started. */
export function downloadBase64(fileName: string, base64: string, mime: string): void {
  const binary = atob(base64)
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  const url = URL.createObjectURL(new Blob([bytes], { type: mime }))
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
    window.setTimeout(() => URL.revokeObjectURL(url), 0)
  }
}

/** A name safe in a file name everywhere. */
export const safeFileName = (name: string): string =>
  name.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80) || 'state'

export const CLASSIFICATION_COLOR: Record<StateSummary['classification'], string> = {
  public: 'gray',
  internal: 'blue',
  confidential: 'orange',
  restricted: 'red',
}
