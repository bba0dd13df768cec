import type { CallOutput } from '../../../../shared/contract'
import { ok, type Result } from '../../../../shared/result'
import { callApi } from '../../store/call'

export type StateSummary = CallOutput<'vault.list'>['states'][number]
export type StateDetail = CallOutput<'vault.get'>

/** A chunk's bytes as base64 (no data: prefix), built in slices so large chunks do not overflow the call stack. */
export function bytesToBase64(bytes: Uint8Array): string {
  let binary = ''
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(i, Math.min(bytes.length, i + 0x8000)))
  return btoa(binary)
}

export class UploadCancelled extends Error {
  constructor() {
    super('The upload was cancelled; nothing was stored.')
    this.name = 'UploadCancelled'
  }
}

const pause = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const timer = window.setTimeout(resolve, ms)
    signal.addEventListener('abort', () => {
      window.clearTimeout(timer)
      resolve()
    })
  })

/**
 * Sends a picked or dropped file to main in order, chunk by chunk (vault.uploadBegin, vault.uploadChunk), the
 * same over Electron IPC and browser mode; main stages it encrypted. Resolves with the upload id once every byte
 * is in. A refusal resolves as that error (the upload is aborted); `signal` aborts it and throws UploadCancelled.
 * A rate refusal waits as told and sends the same chunk again.
 */
export async function uploadFile(
  file: File,
  opts: { signal: AbortSignal; onProgress: (sent: number) => void },
): Promise<Result<string>> {
  const begun = await callApi('vault.uploadBegin', {
    fileName: file.name.slice(0, 255) || 'state',
    size: file.size,
  })
  if (!begun.ok) return begun
  const { uploadId, chunkBytes } = begun.value
  const abort = () => void callApi('vault.uploadAbort', { uploadId })
  let offset = 0
  while (offset < file.size) {
    if (opts.signal.aborted) {
      abort()
      throw new UploadCancelled()
    }
    const end = Math.min(file.size, offset + chunkBytes)
    const bytes = new Uint8Array(await file.slice(offset, end).arrayBuffer())
    const r = await callApi('vault.uploadChunk', { uploadId, offset, content: bytesToBase64(bytes) })
    if (!r.ok) {
      if (r.error.code === 'RATE_LIMITED') {
        const wait = Number(r.error.details?.retryAfterSeconds ?? 1)
        await pause(Math.max(1, wait) * 1000, opts.signal)
        continue
      }
      abort()
      return r
    }
    offset = r.value.received
    opts.onProgress(offset)
  }
  return ok(uploadId)
}

/** Files dragged over an element: whether a drag carries files (not text or links). */
export const dragHasFiles = (e: { dataTransfer: DataTransfer | null }): boolean =>
  Array.from(e.dataTransfer?.types ?? []).includes('Files')

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
