import { Worker } from 'node:worker_threads'
import { AgeError } from './errors'

/**
 * STREAM chunks are independent once their counter is known, so large payloads are sealed/opened on worker
 * threads (one per core) while the calling thread only reads and writes. The worker is plain JavaScript evaluated
 * from this string, so it runs the same under tsx, Vitest, Electron and a bundle, with no loader.
 */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads')
const { createCipheriv, createDecipheriv } = require('node:crypto')
const CHUNK = 65536, TAG = 16
function nonce(counter, final) {
  const n = Buffer.alloc(12)
  n.writeUIntBE(counter, 5, 6)
  n[11] = final ? 1 : 0
  return n
}
parentPort.on('message', (m) => {
  const key = Buffer.from(m.key)
  const input = Buffer.from(m.data, 0, m.len)
  try {
    if (m.op === 'seal') {
      const chunks = Math.max(1, Math.ceil(m.len / CHUNK))
      const out = Buffer.allocUnsafeSlow(m.len + chunks * TAG)
      let o = 0
      for (let i = 0; i < chunks; i++) {
        const plain = input.subarray(i * CHUNK, Math.min((i + 1) * CHUNK, m.len))
        const c = createCipheriv('chacha20-poly1305', key, nonce(m.counter + i, m.lastFinal && i === chunks - 1), { authTagLength: TAG })
        o += c.update(plain).copy(out, o)
        c.final()
        o += c.getAuthTag().copy(out, o)
      }
      parentPort.postMessage({ id: m.id, out: out.buffer, len: o }, [out.buffer])
    } else {
      const CT = CHUNK + TAG
      const chunks = Math.ceil(m.len / CT)
      const out = Buffer.allocUnsafeSlow(Math.max(1, m.len - chunks * TAG))
      let o = 0
      for (let i = 0; i < chunks; i++) {
        const ct = input.subarray(i * CT, Math.min((i + 1) * CT, m.len))
        const final = m.lastFinal && i === chunks - 1
        if (ct.length <= TAG) throw { counter: m.counter + i, final, short: true }
        const d = createDecipheriv('chacha20-poly1305', key, nonce(m.counter + i, final), { authTagLength: TAG })
        d.setAuthTag(ct.subarray(ct.length - TAG))
        const plain = d.update(ct.subarray(0, ct.length - TAG))
        try { d.final() } catch { throw { counter: m.counter + i, final, short: false } }
        o += plain.copy(out, o)
      }
      parentPort.postMessage({ id: m.id, out: out.buffer, len: o }, [out.buffer])
    }
  } catch (e) {
    parentPort.postMessage({ id: m.id, error: { counter: e.counter, final: e.final, short: e.short } })
  }
})
`

interface Reply {
  id: number
  out?: ArrayBuffer
  len?: number
  error?: { counter: number; final: boolean; short: boolean }
}

export interface PoolJob {
  op: 'seal' | 'open'
  /** Transferred to the worker: unusable by the caller afterwards. */
  data: Buffer
  len: number
  counter: number
  lastFinal: boolean
}

export class CryptoPool {
  private readonly workers: Worker[]
  private next = 0
  private seq = 0
  private readonly waiting = new Map<number, { resolve: (b: Buffer) => void; reject: (e: Error) => void }>()

  constructor(
    private readonly key: Uint8Array,
    size: number,
  ) {
    this.workers = Array.from({ length: size }, () => {
      const w = new Worker(WORKER_SOURCE, { eval: true })
      w.on('message', (r: Reply) => this.settle(r))
      w.on('error', (e) => {
        for (const p of this.waiting.values()) p.reject(e)
        this.waiting.clear()
      })
      return w
    })
  }

  private settle(r: Reply): void {
    const p = this.waiting.get(r.id)
    if (!p) return
    this.waiting.delete(r.id)
    if (r.error) {
      p.reject(
        r.error.short
          ? new AgeError('payload', 'The encrypted payload is truncated (a chunk is too short).')
          : new AgeError(
              'payload',
              `The encrypted payload fails authentication at chunk ${r.error.counter}: the file is altered, truncated, extended or its chunks reordered.`,
            ),
      )
    } else p.resolve(Buffer.from(r.out!, 0, r.len!))
  }

  run(job: PoolJob): Promise<Buffer> {
    const id = this.seq++
    const worker = this.workers[this.next]!
    this.next = (this.next + 1) % this.workers.length
    const ab = job.data.buffer
    return new Promise<Buffer>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject })
      worker.postMessage(
        {
          id,
          op: job.op,
          key: this.key,
          data: ab,
          len: job.len,
          counter: job.counter,
          lastFinal: job.lastFinal,
        },
        [ab as ArrayBuffer],
      )
    })
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()))
  }
}
