import { createCipheriv, createDecipheriv } from 'node:crypto'
import { availableParallelism } from 'node:os'
import { CryptoPool } from './crypto-pool'
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
const BATCH = 16

export interface StreamOptions {
  /** Called after each batch with the plaintext bytes so far; may throw (cancellation) to stop. */
  onProgress?: (plaintextBytes: number) => void | Promise<void>
}

export const payloadKey = (fileKey: Uint8Array, nonce: Uint8Array): Buffer =>
  Buffer.from(hkdf(sha256, fileKey, nonce, new TextEncoder().encode('payload'), 32))

const chunkNonce = (counter: number, final: boolean): Buffer => {
  const n = Buffer.alloc(12)
  n.writeUIntBE(counter, 5, 6)
  n[11] = final ? 1 : 0
  return n
}

function sealChunk(key: Buffer, counter: number, final: boolean, plain: Buffer, out: Buffer[]): void {
  const c = createCipheriv('chacha20-poly1305', key, chunkNonce(counter, final), { authTagLength: TAG })
  out.push(c.update(plain))
  c.final()
  out.push(c.getAuthTag())
}

const WORKERS = Math.max(1, Math.min(4, availableParallelism()))

/** Awaits pool results in order; a rejection is observed at once so none goes unhandled. */
class InOrder {
  private readonly queue: Promise<Buffer>[] = []
  push(p: Promise<Buffer>): void {
    p.catch(() => undefined)
    this.queue.push(p)
  }
  get size(): number {
    return this.queue.length
  }
  shift(): Promise<Buffer> {
    return this.queue.shift()!
  }
}

/** Encrypt everything `src` holds as STREAM chunks into `sink` (the nonce is written by the caller). */
export async function encryptPayload(
  key: Buffer,
  src: ByteSource,
  sink: ByteSink,
  opts: StreamOptions = {},
): Promise<number> {
  const cap = BATCH * CHUNK
  let carry: Buffer | null = null
  let counter = 0
  let total = 0
  let written = 0
  let pool: CryptoPool | null = null
  const inflight = new InOrder()
  const drainOne = async (): Promise<void> => {
    const out = await inflight.shift()
    sink.write([out])
    written += out.length - Math.ceil(out.length / CT_CHUNK) * TAG
    await opts.onProgress?.(written)
  }
  try {
    for (;;) {
      const buf = Buffer.allocUnsafeSlow(cap)
      let len = 0
      if (carry) {
        len = carry.copy(buf, 0)
        carry = null
      }
      len += readFull(src, buf, len, cap - len)
      const eof = len < cap
      if (eof && counter === 0) {
        // Small payload: one batch, sealed here; an empty payload is one empty final chunk.
        const out: Buffer[] = []
        let off = 0
        do {
          const end = Math.min(off + CHUNK, len)
          sealChunk(key, counter++, end === len, buf.subarray(off, end), out)
          off = end
        } while (off < len)
        sink.write(out)
        await opts.onProgress?.(len)
        return len
      }
      // Keep the batch's last chunk back: only the next read tells whether it is the final one.
      const use = eof ? len : cap - CHUNK
      if (!eof) carry = Buffer.from(buf.subarray(use, cap))
      pool ??= new CryptoPool(key, WORKERS)
      inflight.push(pool.run({ op: 'seal', data: buf, len: use, counter, lastFinal: eof }))
      counter += eof ? Math.max(1, Math.ceil(use / CHUNK)) : use / CHUNK
      total += use
      if (inflight.size >= WORKERS) await drainOne()
      if (eof) break
    }
    while (inflight.size > 0) await drainOne()
    return total
  } finally {
    await pool?.close()
  }
}

function openChunk(key: Buffer, counter: number, final: boolean, ct: Buffer): Buffer {
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

const emptyFinal = (): AgeError =>
  new AgeError(
    'payload',
    'The encrypted payload ends with an empty chunk, which age forbids: the file was altered.',
  )

/**
 * Decrypt STREAM chunks from `src` into `sink`. Each chunk is authenticated before its plaintext reaches the
 * sink; callers that must release nothing on failure give an atomic sink and commit only after this returns.
 */
export async function decryptPayload(
  key: Buffer,
  src: ByteSource,
  sink: ByteSink,
  opts: StreamOptions = {},
): Promise<number> {
  const cap = BATCH * CT_CHUNK
  let carry: Buffer | null = null
  let counter = 0
  let total = 0
  let pool: CryptoPool | null = null
  const inflight = new InOrder()
  const drainOne = async (): Promise<void> => {
    const out = await inflight.shift()
    sink.write([out])
    total += out.length
    await opts.onProgress?.(total)
  }
  try {
    for (;;) {
      const buf = Buffer.allocUnsafeSlow(cap)
      let len = 0
      if (carry) {
        len = carry.copy(buf, 0)
        carry = null
      }
      len += readFull(src, buf, len, cap - len)
      const eof = len < cap
      if (eof && len === 0)
        throw new AgeError('payload', 'The encrypted payload has no final chunk: the file is truncated.')
      if (eof && counter === 0) {
        const out: Buffer[] = []
        let off = 0
        while (off < len) {
          const end = Math.min(off + CT_CHUNK, len)
          const final = end === len
          const plain = openChunk(key, counter, final, buf.subarray(off, end))
          if (final && plain.length === 0 && counter > 0) throw emptyFinal()
          counter++
          out.push(plain)
          off = end
        }
        sink.write(out)
        await opts.onProgress?.(len - counter * TAG)
        return len - counter * TAG
      }
      const use = eof ? len : cap - CT_CHUNK
      if (!eof) carry = Buffer.from(buf.subarray(use, cap))
      const chunks = Math.ceil(use / CT_CHUNK)
      if (eof && use - (chunks - 1) * CT_CHUNK === TAG) throw emptyFinal()
      pool ??= new CryptoPool(key, WORKERS)
      inflight.push(pool.run({ op: 'open', data: buf, len: use, counter, lastFinal: eof }))
      counter += chunks
      if (inflight.size >= WORKERS) await drainOne()
      if (eof) break
    }
    while (inflight.size > 0) await drainOne()
    return total
  } finally {
    await pool?.close()
  }
}
