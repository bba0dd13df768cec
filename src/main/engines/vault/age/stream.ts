import { createCipheriv, createDecipheriv, createSecretKey, type KeyObject } from 'node:crypto'
import { hkdf } from '@noble/hashes/hkdf.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { AgeError } from './errors'
import { readFull, type ByteSink, type ByteSource } from './io'

/** age STREAM: 64 KiB plaintext chunks, ChaCha20-Poly1305, 11-byte big-endian counter + final flag as nonce. */
export const CHUNK = 64 * 1024
export const TAG = 16
export const CT_CHUNK = CHUNK + TAG
export const NONCE_BYTES = 16
/** Chunks handled per batch: 4 MiB of plaintext in memory at a time, whatever the file size. */
const BATCH = 64

export interface StreamOptions {
  /** Called after each batch with the plaintext bytes so far; may throw (cancellation) to stop. */
  onProgress?: (plaintextBytes: number) => void | Promise<void>
}

export const payloadKey = (fileKey: Uint8Array, nonce: Uint8Array): KeyObject =>
  createSecretKey(hkdf(sha256, fileKey, nonce, new TextEncoder().encode('payload'), 32))

const chunkNonce = (counter: number, final: boolean): Buffer => {
  const n = Buffer.alloc(12)
  n.writeUIntBE(counter, 5, 6)
  n[11] = final ? 1 : 0
  return n
}

function sealChunk(key: KeyObject, counter: number, final: boolean, plain: Buffer, out: Buffer[]): void {
  const c = createCipheriv('chacha20-poly1305', key, chunkNonce(counter, final), { authTagLength: TAG })
  out.push(c.update(plain))
  c.final()
  out.push(c.getAuthTag())
}

/** Encrypt everything `src` holds as STREAM chunks into `sink` (the nonce is written by the caller). */
export async function encryptPayload(
  key: KeyObject,
  src: ByteSource,
  sink: ByteSink,
  opts: StreamOptions = {},
): Promise<number> {
  const cap = BATCH * CHUNK
  const buf = Buffer.allocUnsafe(cap)
  let len = 0
  let counter = 0
  let total = 0
  for (;;) {
    const got = readFull(src, buf, len, cap - len)
    len += got
    const eof = len < cap
    const out: Buffer[] = []
    if (eof) {
      // The last chunk is final; an empty payload is one empty final chunk.
      let off = 0
      do {
        const end = Math.min(off + CHUNK, len)
        sealChunk(key, counter++, end === len, buf.subarray(off, end), out)
        off = end
      } while (off < len)
      sink.write(out)
      total += len
      await opts.onProgress?.(total)
      return total
    }
    // Keep the batch's last chunk back: only the next read tells whether it is the final one.
    const keep = cap - CHUNK
    for (let off = 0; off < keep; off += CHUNK)
      sealChunk(key, counter++, false, buf.subarray(off, off + CHUNK), out)
    sink.write(out)
    total += keep
    buf.copy(buf, 0, keep, cap)
    len = CHUNK
    await opts.onProgress?.(total)
  }
}

function openChunk(key: KeyObject, counter: number, final: boolean, ct: Buffer): Buffer {
  if (ct.length <= TAG && !(final && counter === 0 && ct.length === TAG))
    throw new AgeError('payload', 'The encrypted payload is truncated (a chunk is too short).')
  const d = createDecipheriv('chacha20-poly1305', key, chunkNonce(counter, final), { authTagLength: TAG })
  d.setAuthTag(ct.subarray(ct.length - TAG))
  const plain = d.update(ct.subarray(0, ct.length - TAG))
  try {
    d.final()
  } catch {
    throw new AgeError(
      'payload',
      final
        ? `The encrypted payload fails authentication at its end (chunk ${counter}): the file is truncated, extended or altered.`
        : `The encrypted payload fails authentication at chunk ${counter}: the file is altered, truncated or its chunks reordered.`,
    )
  }
  return plain
}

/**
 * Decrypt STREAM chunks from `src` into `sink`. Each chunk is authenticated before its plaintext reaches the
 * sink; callers that must release nothing on failure give an atomic sink and commit only after this returns.
 */
export async function decryptPayload(
  key: KeyObject,
  src: ByteSource,
  sink: ByteSink,
  opts: StreamOptions = {},
): Promise<number> {
  const cap = BATCH * CT_CHUNK
  const buf = Buffer.allocUnsafe(cap)
  let len = 0
  let counter = 0
  let total = 0
  for (;;) {
    len += readFull(src, buf, len, cap - len)
    const eof = len < cap
    const out: Buffer[] = []
    if (eof) {
      if (len === 0)
        throw new AgeError('payload', 'The encrypted payload has no final chunk: the file is truncated.')
      let off = 0
      while (off < len) {
        const end = Math.min(off + CT_CHUNK, len)
        const final = end === len
        const plain = openChunk(key, counter, final, buf.subarray(off, end))
        if (final && plain.length === 0 && counter > 0)
          throw new AgeError('payload', 'The encrypted payload ends with an empty chunk, which age forbids.')
        counter++
        out.push(plain)
        total += plain.length
        off = end
      }
      sink.write(out)
      await opts.onProgress?.(total)
      return total
    }
    const keep = cap - CT_CHUNK
    for (let off = 0; off < keep; off += CT_CHUNK) {
      const plain = openChunk(key, counter++, false, buf.subarray(off, off + CT_CHUNK))
      out.push(plain)
      total += plain.length
    }
    sink.write(out)
    buf.copy(buf, 0, keep, cap)
    len = CT_CHUNK
    await opts.onProgress?.(total)
  }
}
