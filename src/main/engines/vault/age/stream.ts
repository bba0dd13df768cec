import { createCipheriv, createDecipheriv } from 'node:crypto'
import { CryptoPool, newSlot, runFileJob, shortChunkError, WORKERS, type Slot } from './crypto-pool'
import { hkdf } from '@noble/hashes/hkdf.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { AgeError } from './errors'
import { readFull, type ByteSink, type ByteSource, type FileRange } from './io'

/** age STREAM: 64 KiB plaintext chunks, ChaCha20-Poly1305, 11-byte big-endian counter + final flag as nonce. */
export const CHUNK = 64 * 1024
export const TAG = 16
export const CT_CHUNK = CHUNK + TAG
export const NONCE_BYTES = 16
/** Chunks handled per batch (1 MiB); a fixed set of batch buffers is reused, whatever the file size. */
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

/** Payloads at least this large, from a regular file to a regular file, go through `runFileJob`. */
const FILE_JOB_MIN = 4 * 1024 * 1024

/** Awaits pool results in order; a rejection is observed at once so none goes unhandled. */
class InOrder {
  private readonly queue: { done: Promise<number>; slot: Slot }[] = []
  push(done: Promise<number>, slot: Slot): void {
    done.catch(() => undefined)
    this.queue.push({ done, slot })
  }
  get size(): number {
    return this.queue.length
  }
  shift(): { done: Promise<number>; slot: Slot } {
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
  const range = sink.reserve ? (src.claimFile?.(FILE_JOB_MIN) ?? null) : null
  if (range && sink.reserve) {
    const chunks = Math.ceil(range.length / CHUNK)
    const out = sink.reserve(range.length + chunks * TAG)
    const lastLen = range.length - (chunks - 1) * CHUNK
    await runFileJob({
      op: 'sealFile',
      key,
      inFd: range.fd,
      inOffset: range.offset,
      outFd: out.fd,
      outOffset: out.offset,
      chunks,
      finalIndex: chunks - 1,
      lastLen,
      onChunks: opts.onProgress
        ? (done) => opts.onProgress?.(done === chunks ? range.length : done * CHUNK)
        : undefined,
    })
    return range.length
  }
  const cap = BATCH * CHUNK
  const carry = Buffer.allocUnsafeSlow(CHUNK)
  let carried = 0
  let counter = 0
  let total = 0
  let written = 0
  let pool: CryptoPool | null = null
  const free: Slot[] = [newSlot(cap + BATCH * TAG)]
  const inflight = new InOrder()
  const drainOne = async (): Promise<void> => {
    const { done, slot } = inflight.shift()
    const len = await done
    sink.write([slot.output.subarray(0, len)])
    free.push(slot)
    written += len - Math.ceil(len / CT_CHUNK) * TAG
    await opts.onProgress?.(written)
  }
  try {
    for (;;) {
      const slot = free.pop() ?? newSlot(cap + BATCH * TAG)
      const buf = slot.input
      let len = carry.copy(buf, 0, 0, carried)
      carried = 0
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
      if (!eof) carried = buf.copy(carry, 0, use, cap)
      pool ??= new CryptoPool(key, WORKERS)
      inflight.push(pool.run({ op: 'seal', slot, len: use, counter, lastFinal: eof }), slot)
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
  const range = sink.reserve ? (src.claimFile?.(FILE_JOB_MIN) ?? null) : null
  if (range && sink.reserve) return decryptFile(key, range, sink.reserve.bind(sink), opts)
  const cap = BATCH * CT_CHUNK
  const carry = Buffer.allocUnsafeSlow(CT_CHUNK)
  let carried = 0
  let counter = 0
  let total = 0
  let pool: CryptoPool | null = null
  const free: Slot[] = [newSlot(cap)]
  const inflight = new InOrder()
  const drainOne = async (): Promise<void> => {
    const { done, slot } = inflight.shift()
    const len = await done
    sink.write([slot.output.subarray(0, len)])
    free.push(slot)
    total += len
    await opts.onProgress?.(total)
  }
  try {
    for (;;) {
      const slot = free.pop() ?? newSlot(cap)
      const buf = slot.input
      let len = carry.copy(buf, 0, 0, carried)
      carried = 0
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
      if (!eof) carried = buf.copy(carry, 0, use, cap)
      const chunks = Math.ceil(use / CT_CHUNK)
      if (eof && use - (chunks - 1) * CT_CHUNK === TAG) throw emptyFinal()
      pool ??= new CryptoPool(key, WORKERS)
      inflight.push(pool.run({ op: 'open', slot, len: use, counter, lastFinal: eof }), slot)
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

/** A file-to-file payload: every worker opens chunks with positional I/O; errors as in a sequential pass. */
async function decryptFile(
  key: Buffer,
  range: FileRange,
  reserve: (length: number) => { fd: number; offset: number },
  opts: StreamOptions,
): Promise<number> {
  const chunks = Math.ceil(range.length / CT_CHUNK)
  const lastLen = range.length - (chunks - 1) * CT_CHUNK
  // A bad last chunk is reported only if everything before it authenticates, as a sequential pass would.
  const lastError = lastLen < TAG + 1 ? (lastLen === TAG ? emptyFinal() : shortChunkError()) : null
  const plaintext = range.length - chunks * TAG
  const out = reserve(Math.max(0, plaintext))
  const opened = lastError ? chunks - 1 : chunks
  await runFileJob({
    op: 'openFile',
    key,
    inFd: range.fd,
    inOffset: range.offset,
    outFd: out.fd,
    outOffset: out.offset,
    chunks: opened,
    finalIndex: chunks - 1,
    lastLen,
    onChunks: opts.onProgress
      ? (done) => opts.onProgress?.(done === chunks ? plaintext : done * CHUNK)
      : undefined,
  })
  if (lastError) throw lastError
  return plaintext
}
