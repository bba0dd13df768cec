import { availableParallelism } from 'node:os'
import { Worker } from 'node:worker_threads'
import { AgeError } from './errors'

/**
 * STREAM chunks are independent once their counter is known, so large payloads are sealed/opened on worker
 * threads (one per core). The worker is plain JavaScript evaluated from this string, so it runs the same under
 * tsx, Vitest, Electron and a bundle, with no loader.
 *
 * Two kinds of job, neither allocating per batch on the calling thread:
 * - `batch`: the caller reads a batch into a fixed SharedArrayBuffer slot, a worker seals/opens it into the
 *   slot's output half, the caller writes that out and reuses the slot (any source and sink).
 * - `file`: both ends are regular files, so every worker claims 1 MiB batches from a shared counter and reads,
 *   seals/opens and writes them itself with positional I/O; the calling thread only waits.
 */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads')
const { createCipheriv, createDecipheriv, createSecretKey } = require('node:crypto')
const { readSync, writevSync } = require('node:fs')
const CHUNK = 65536, TAG = 16, CT = CHUNK + TAG, BATCH = 16
const NEXT = 0, FAIL = 1, ABORT = 2, DONE = 3, NONE = 0x7fffffff
const nonce = Buffer.alloc(12)
// Every chunk's output is a new 64 KiB buffer; left to V8's external-memory heuristics each thread would hold
// ~64 MiB of dead ones. A young-generation collection every few batches keeps the footprint flat. The flag is
// switched straight back off, so nothing else sees a gc() global.
let collect = () => {}
try {
  const v8 = require('node:v8')
  v8.setFlagsFromString('--expose-gc')
  const gc = require('node:vm').runInNewContext('gc')
  v8.setFlagsFromString('--no-expose-gc')
  if (typeof gc === 'function') collect = () => gc({ type: 'minor' })
} catch {}
let batches = 0
// Every 16 batches (16 MiB): every 4 cost ~15 % more CPU in collections for ~20 MiB less peak memory (512 MiB file:
// 0.34–0.37 s user and 114 MiB peak, against 0.40–0.43 s and 91 MiB); never collecting peaks near 150 MiB.
const collectSometimes = () => { if (++batches % 16 === 0) collect() }
let keyBytes = null, keyObj = null
function keyFor(k) {
  const b = Buffer.from(k)
  if (!keyBytes || !b.equals(keyBytes)) { keyBytes = b; keyObj = createSecretKey(b) }
  return keyObj
}
function setNonce(counter, final) {
  nonce.writeUIntBE(counter, 5, 6)
  nonce[11] = final ? 1 : 0
  return nonce
}
function seal(key, counter, final, plain, out) {
  const c = createCipheriv('chacha20-poly1305', key, setNonce(counter, final), { authTagLength: TAG })
  out.push(c.update(plain))
  c.final()
  out.push(c.getAuthTag())
}
function open(key, counter, final, ct) {
  const d = createDecipheriv('chacha20-poly1305', key, setNonce(counter, final), { authTagLength: TAG })
  d.setAuthTag(ct.subarray(ct.length - TAG))
  const plain = d.update(ct.subarray(0, ct.length - TAG))
  try { d.final() } catch { return null }
  return plain
}
function readAt(fd, buf, len, pos) {
  let got = 0
  while (got < len) {
    const n = readSync(fd, buf, got, len - got, pos + got)
    if (n === 0) throw Object.assign(new Error('The input file shrank while it was being read.'), { code: 'ESHRANK' })
    got += n
  }
}
function writeAt(fd, bufs, pos) {
  let list = bufs.filter((b) => b.length > 0)
  while (list.length > 0) {
    let n = writevSync(fd, list, pos)
    pos += n
    let i = 0
    while (i < list.length && n >= list[i].length) n -= list[i++].length
    list = list.slice(i)
    if (n > 0 && list.length > 0) list[0] = list[0].subarray(n)
  }
}
function batch(m) {
  const key = keyFor(m.key)
  const input = Buffer.from(m.input, 0, m.len)
  const output = Buffer.from(m.output)
  let o = 0
  if (m.op === 'seal') {
    const chunks = Math.max(1, Math.ceil(m.len / CHUNK))
    for (let i = 0; i < chunks; i++) {
      const parts = []
      seal(key, m.counter + i, m.lastFinal && i === chunks - 1, input.subarray(i * CHUNK, Math.min((i + 1) * CHUNK, m.len)), parts)
      o += parts[0].copy(output, o)
      o += parts[1].copy(output, o)
    }
  } else {
    const chunks = Math.ceil(m.len / CT)
    for (let i = 0; i < chunks; i++) {
      const ct = input.subarray(i * CT, Math.min((i + 1) * CT, m.len))
      const final = m.lastFinal && i === chunks - 1
      if (ct.length <= TAG) return { id: m.id, error: { counter: m.counter + i, short: true } }
      const plain = open(key, m.counter + i, final, ct)
      if (!plain) return { id: m.id, error: { counter: m.counter + i, short: false } }
      o += plain.copy(output, o)
    }
  }
  collectSometimes()
  return { id: m.id, len: o }
}
let fileBuf = null
function file(m) {
  const key = keyFor(m.key)
  const ctrl = new Int32Array(m.ctrl)
  const seal_ = m.op === 'sealFile'
  const inStep = seal_ ? CHUNK : CT, outStep = seal_ ? CT : CHUNK
  if (!fileBuf) fileBuf = Buffer.allocUnsafeSlow(BATCH * CT)
  for (;;) {
    if (Atomics.load(ctrl, ABORT) !== 0) break
    const c0 = Atomics.add(ctrl, NEXT, 1) * BATCH
    if (c0 >= m.chunks || c0 >= Atomics.load(ctrl, FAIL)) break
    const c1 = Math.min(c0 + BATCH, m.chunks)
    const len = (c1 - c0 - 1) * inStep + (c1 - 1 === m.finalIndex ? m.lastLen : inStep)
    readAt(m.inFd, fileBuf, len, m.inOffset + c0 * inStep)
    const out = []
    let failed = -1
    for (let c = c0; c < c1; c++) {
      const part = fileBuf.subarray((c - c0) * inStep, Math.min((c - c0 + 1) * inStep, len))
      if (seal_) seal(key, c, c === m.finalIndex, part, out)
      else {
        const plain = open(key, c, c === m.finalIndex, part)
        if (!plain) { failed = c; break }
        out.push(plain)
      }
    }
    if (failed >= 0) {
      for (let f = Atomics.load(ctrl, FAIL); failed < f; f = Atomics.load(ctrl, FAIL))
        if (Atomics.compareExchange(ctrl, FAIL, f, failed) === f) break
      continue
    }
    writeAt(m.outFd, out, m.outOffset + c0 * outStep)
    Atomics.add(ctrl, DONE, c1 - c0)
    collectSometimes()
  }
}
parentPort.on('message', (m) => {
  if (m.op === 'sealFile' || m.op === 'openFile') {
    try { file(m); parentPort.postMessage({ id: m.id, len: 0 }) }
    catch (e) {
      Atomics.store(new Int32Array(m.ctrl), ABORT, 1)
      parentPort.postMessage({ id: m.id, io: { message: String(e && e.message), code: e && e.code } })
    }
  } else parentPort.postMessage(batch(m))
})
`

interface Reply {
  id: number
  len?: number
  error?: { counter: number; short: boolean }
  io?: { message: string; code?: string }
}

interface Pending {
  resolve: (len: number) => void
  reject: (e: Error) => void
}

const authError = (counter: number): AgeError =>
  new AgeError(
    'payload',
    `The encrypted payload fails authentication at chunk ${counter}: the file is altered, truncated, extended or its chunks reordered.`,
  )

export const shortChunkError = (): AgeError =>
  new AgeError('payload', 'The encrypted payload is truncated (a chunk is too short).')

/** One worker thread and the replies it owes. */
class CryptoWorker {
  readonly thread: Worker
  private seq = 0
  private readonly waiting = new Map<number, Pending>()
  broken = false

  constructor() {
    this.thread = new Worker(WORKER_SOURCE, { eval: true })
    this.thread.unref()
    this.thread.on('message', (r: Reply) => this.settle(r))
    this.thread.on('error', (e) => this.fail(e))
    this.thread.on('exit', () => this.fail(new Error('a crypto worker stopped')))
  }

  private fail(e: Error): void {
    this.broken = true
    for (const p of this.waiting.values()) p.reject(e)
    this.waiting.clear()
  }

  private settle(r: Reply): void {
    const p = this.waiting.get(r.id)
    if (!p) return
    this.waiting.delete(r.id)
    if (r.io) p.reject(Object.assign(new Error(r.io.message), { code: r.io.code }))
    else if (r.error) p.reject(r.error.short ? shortChunkError() : authError(r.error.counter))
    else p.resolve(r.len ?? 0)
  }

  post(message: Record<string, unknown>): Promise<number> {
    const id = this.seq++
    return new Promise<number>((resolve, reject) => {
      if (this.broken) return reject(new Error('a crypto worker stopped'))
      this.waiting.set(id, { resolve, reject })
      this.thread.postMessage({ ...message, id })
    })
  }
}

export const WORKERS = Math.max(1, Math.min(4, availableParallelism()))

/** Idle workers kept for the next payload (unreferenced: they never keep the process alive). */
const idle: CryptoWorker[] = []
let idleTimer: NodeJS.Timeout | null = null
const IDLE_MS = 10_000

function take(n: number): CryptoWorker[] {
  if (idleTimer) {
    clearTimeout(idleTimer)
    idleTimer = null
  }
  const out: CryptoWorker[] = []
  while (out.length < n) {
    const w = idle.pop()
    if (!w) break
    if (!w.broken) out.push(w)
  }
  while (out.length < n) out.push(new CryptoWorker())
  for (const w of out) w.thread.ref()
  return out
}

function giveBack(workers: readonly CryptoWorker[]): void {
  for (const w of workers) {
    w.thread.unref()
    if (!w.broken) idle.push(w)
  }
  idleTimer ??= setTimeout(() => {
    idleTimer = null
    for (const w of idle.splice(0)) void w.thread.terminate()
  }, IDLE_MS).unref()
}

/** Start the workers now (e.g. while a CLI loads the rest of its modules), so a large payload finds them ready. */
export function prewarm(n = WORKERS): void {
  giveBack(take(Math.max(0, n - idle.length)))
}

/** A batch's plaintext or ciphertext in, its output out: fixed shared buffers reused for every batch. */
export interface Slot {
  input: Buffer
  output: Buffer
  sabIn: SharedArrayBuffer
  sabOut: SharedArrayBuffer
}

export function newSlot(bytes: number): Slot {
  const sabIn = new SharedArrayBuffer(bytes)
  const sabOut = new SharedArrayBuffer(bytes)
  return { sabIn, sabOut, input: Buffer.from(sabIn), output: Buffer.from(sabOut) }
}

export interface BatchJob {
  op: 'seal' | 'open'
  slot: Slot
  len: number
  counter: number
  lastFinal: boolean
}

/** Workers for the `batch` jobs of one payload; results are the output lengths in the slots. */
export class CryptoPool {
  private readonly workers: CryptoWorker[]
  private next = 0

  constructor(
    private readonly key: Uint8Array,
    size: number,
  ) {
    this.workers = take(size)
  }

  run(job: BatchJob): Promise<number> {
    const worker = this.workers[this.next]!
    this.next = (this.next + 1) % this.workers.length
    return worker.post({
      op: job.op,
      key: this.key,
      input: job.slot.sabIn,
      output: job.slot.sabOut,
      len: job.len,
      counter: job.counter,
      lastFinal: job.lastFinal,
    })
  }

  close(): Promise<void> {
    giveBack(this.workers)
    return Promise.resolve()
  }
}

export interface FileJob {
  op: 'sealFile' | 'openFile'
  key: Uint8Array
  inFd: number
  inOffset: number
  outFd: number
  outOffset: number
  /** Chunks to process, from counter 0. */
  chunks: number
  /** The counter of the final chunk (may be `chunks`, i.e. not processed here). */
  finalIndex: number
  /** Input bytes of the final chunk. */
  lastLen: number
  /** Called now and then with the chunks done so far; may throw to stop. */
  onChunks?: (done: number) => void | Promise<void>
}

/** Slots of the shared control array; the worker also uses NEXT = 0 (the next batch to claim). */
const FAIL = 1
const ABORT = 2
const DONE = 3
const NONE = 0x7fffffff

const tick = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

/** Run a whole-file job on every worker; throws the first failing chunk's error, like a sequential pass. */
export async function runFileJob(job: FileJob): Promise<void> {
  const ctrl = new Int32Array(new SharedArrayBuffer(16))
  ctrl[FAIL] = NONE
  const workers = take(WORKERS)
  const { onChunks, ...message } = job
  let settled = false
  const all = Promise.allSettled(workers.map((w) => w.post({ ...message, ctrl: ctrl.buffer }))).finally(
    () => {
      settled = true
    },
  )
  let stop: unknown = null
  try {
    while (onChunks && !settled && stop === null) {
      await Promise.race([all, tick(50)])
      try {
        await onChunks(Atomics.load(ctrl, DONE))
      } catch (e) {
        stop = e
        Atomics.store(ctrl, ABORT, 1)
      }
    }
    const results = await all
    if (stop !== null) throw stop
    const failed = Atomics.load(ctrl, FAIL)
    if (failed !== NONE) throw authError(failed)
    for (const r of results) if (r.status === 'rejected') throw r.reason
    await onChunks?.(job.chunks)
  } finally {
    giveBack(workers)
  }
}
