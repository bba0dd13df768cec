import { createRequire } from 'node:module'
import { availableParallelism } from 'node:os'
import { Worker } from 'node:worker_threads'
import { hash as sha256Once } from 'node:crypto'
import type { Db } from '../../db/connection'

/**
 * Fast chain verification. SQLite builds, for a batch of 1024 entries at once, one byte string holding every
 * entry's `hash ‖ prev_hash ‖ "\n" ‖ json_array(the eleven fields) ‖ "\n"` — the bytes each hash covers, built
 * in C instead of eleven JavaScript values, a slice and a JSON.stringify per row — and each entry's bytes are
 * hashed in place with one-shot SHA-256. The split is exact: SQL confirms every hash and prev_hash is 64 bytes, each
 * entry's first newline must follow them, and each batch must be consumed to its last byte in as many entries as
 * it holds (so no field held a raw newline: JSON text never does). The batch's order is SQLite's scan of the seq
 * range (rowid order); were it ever another, the links would not hold and the exact walk would run.
 *
 * This path can only say "clean". Anything amiss — a hash that does not match, a broken link, a missing row, a
 * batch in another order, or json_array ever differing from JavaScript's canonicalEntry for some text — sends the
 * caller to the exact, slower walk over the rows (canonicalEntry in JavaScript), which names the problem. So the
 * hash format is unchanged and reporting is the same.
 *
 * Rows store their prev_hash, so seq ranges verify independently: large logs are split into segments checked by
 * worker threads, each with its own read-only connection (WAL lets readers run beside the writer); the caller
 * checks the links across segment boundaries. The worker is plain JavaScript evaluated from a string (as in the
 * vault's crypto pool), so it runs the same under tsx, Vitest and the Electron bundle.
 */
export const BATCH_SQL = `SELECT CAST(group_concat(hash || prev_hash || char(10) || json_array(time, type, actor, client, session, action, resource, result, data_type, risk, details) || char(10), '') AS BLOB) AS b, count(*) AS n, sum(octet_length(hash) <> 64 OR octet_length(prev_hash) <> 64) AS odd FROM audit_log WHERE seq > ? AND seq <= ?`
/** Entries per SQLite call. */
export const BATCH = 1024

/** What one segment (seq in (from, to]) looked like, when every row in it was continuous and matched its hash. */
export interface SegmentResult {
  clean: boolean
  rows: number
  firstPrev: string | null
  lastHash: string | null
  /** Hashes at the requested seqs (checkpoints), as [seq, hash]. */
  at: [number, string][]
}

/** The segment check on this thread (small logs, or when workers are unavailable). Same logic as the worker's. */
export function scanSegment(db: Db, from: number, to: number, wanted: ReadonlySet<number>): SegmentResult {
  const stmt = db.prepare(BATCH_SQL)
  let prev: Buffer | null = null
  let prevOff = 0
  let firstPrev: string | null = null
  const at: [number, string][] = []
  const fail = (): SegmentResult => ({ clean: false, rows: 0, firstPrev, lastHash: null, at })
  for (let lo = from; lo < to; lo += BATCH) {
    const hi = Math.min(to, lo + BATCH)
    const r = stmt.get(lo, hi) as { b: Buffer | null; n: number; odd: number | null }
    if (r.n !== hi - lo || r.odd !== 0 || !r.b) return fail()
    const buf = r.b
    let s = 0
    for (let k = 0; k < r.n; k++) {
      // hash and prev_hash (64 bytes each, checked in SQL) hold no newline: the first one is right after them.
      if (s + 130 > buf.length || buf.indexOf(10, s) !== s + 128) return fail()
      const e = buf.indexOf(10, s + 129)
      if (e < 0) return fail()
      if (prev === null) firstPrev = buf.toString('latin1', s + 64, s + 128)
      else if (buf.compare(prev, prevOff, prevOff + 64, s + 64, s + 128) !== 0) return fail()
      const hash = buf.toString('latin1', s, s + 64)
      if (sha256Once('sha256', buf.subarray(s + 64, e), 'hex') !== hash) return fail()
      if (wanted.has(lo + k + 1)) at.push([lo + k + 1, hash])
      prev = buf
      prevOff = s
      s = e + 1
    }
    if (s !== buf.length) return fail()
  }
  const lastHash = prev ? prev.toString('latin1', prevOff, prevOff + 64) : null
  return { clean: true, rows: to - from, firstPrev, lastHash, at }
}

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads')
const crypto = require('node:crypto')
const Database = require(workerData.sqlitePath)
const once = typeof crypto.hash === 'function'
  ? (b) => crypto.hash('sha256', b, 'hex')
  : (b) => crypto.createHash('sha256').update(b).digest('hex')
function scan(m) {
  const db = new Database(workerData.dbPath, { readonly: true, fileMustExist: true, nativeBinding: workerData.nativeBinding })
  try {
    const wanted = new Set(m.wanted)
    const stmt = db.prepare(workerData.sql)
    let prev = null, prevOff = 0, firstPrev = null
    const at = []
    const fail = () => ({ clean: false, rows: 0, firstPrev, lastHash: null, at })
    for (let lo = m.from; lo < m.to; lo += workerData.batch) {
      const hi = Math.min(m.to, lo + workerData.batch)
      const r = stmt.get(lo, hi)
      if (r.n !== hi - lo || r.odd !== 0 || !r.b) return fail()
      const buf = r.b
      let s = 0
      for (let k = 0; k < r.n; k++) {
        if (s + 130 > buf.length || buf.indexOf(10, s) !== s + 128) return fail()
        const e = buf.indexOf(10, s + 129)
        if (e < 0) return fail()
        if (prev === null) firstPrev = buf.toString('latin1', s + 64, s + 128)
        else if (buf.compare(prev, prevOff, prevOff + 64, s + 64, s + 128) !== 0) return fail()
        const hash = buf.toString('latin1', s, s + 64)
        if (once(buf.subarray(s + 64, e)) !== hash) return fail()
        if (wanted.has(lo + k + 1)) at.push([lo + k + 1, hash])
        prev = buf
        prevOff = s
        s = e + 1
      }
      if (s !== buf.length) return fail()
    }
    const lastHash = prev ? prev.toString('latin1', prevOff, prevOff + 64) : null
    return { clean: true, rows: m.to - m.from, firstPrev, lastHash, at }
  } finally {
    db.close()
  }
}
parentPort.on('message', (m) => {
  try { parentPort.postMessage({ ok: scan(m) }) }
  catch (e) { parentPort.postMessage({ error: String(e && e.message) }) }
})
`

/** Logs smaller than this are verified on the calling thread: starting workers costs more than it saves. */
export const PARALLEL_MIN_ENTRIES = 100_000

const WORKERS = Math.max(1, Math.min(4, availableParallelism()))

let sqlitePath: string | null | undefined
function resolveSqlite(): string | null {
  if (sqlitePath === undefined) {
    try {
      sqlitePath = createRequire(import.meta.url).resolve('better-sqlite3')
    } catch {
      sqlitePath = null
    }
  }
  return sqlitePath
}

function runSegment(
  dbPath: string,
  nativeBinding: string | undefined,
  from: number,
  to: number,
  wanted: number[],
): Promise<SegmentResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      // Plain JavaScript: none of the parent's loaders (under tsx they would cost ~0.2 s per worker start).
      execArgv: [],
      workerData: { sqlitePath: resolveSqlite(), dbPath, nativeBinding, sql: BATCH_SQL, batch: BATCH },
    })
    let settled = false
    const done = (f: () => void) => {
      if (settled) return
      settled = true
      f()
      void worker.terminate()
    }
    worker.once('message', (m: { ok?: SegmentResult; error?: string }) =>
      done(() => (m.ok ? resolve(m.ok) : reject(new Error(m.error ?? 'verify worker failed')))),
    )
    worker.once('error', (e) => done(() => reject(e)))
    worker.once('exit', () => done(() => reject(new Error('a verify worker stopped'))))
    worker.postMessage({ from, to, wanted })
  })
}

/**
 * Check seq range (from, to] in parallel segments. Returns the joined result (clean only if every segment is clean
 * and each one starts where the one before ended), or null when workers cannot be used here (the caller then
 * verifies on its own thread).
 */
export async function scanParallel(
  db: Db,
  nativeBinding: string | undefined,
  from: number,
  to: number,
  wanted: ReadonlySet<number>,
): Promise<SegmentResult | null> {
  if (db.memory || !resolveSqlite() || WORKERS < 2) return null
  const n = WORKERS
  const step = Math.ceil((to - from) / n)
  const bounds: [number, number][] = []
  for (let lo = from; lo < to; lo += step) bounds.push([lo, Math.min(to, lo + step)])
  const want = [...wanted]
  let parts: SegmentResult[]
  try {
    parts = await Promise.all(
      bounds.map(([lo, hi]) =>
        runSegment(
          db.name,
          nativeBinding,
          lo,
          hi,
          want.filter((s) => s > lo && s <= hi),
        ),
      ),
    )
  } catch {
    return null
  }
  const at: [number, string][] = []
  let rows = 0
  let clean = true
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!
    clean &&= p.clean && (i === 0 || p.firstPrev === parts[i - 1]!.lastHash)
    rows += p.rows
    at.push(...p.at)
  }
  return { clean, rows, firstPrev: parts[0]?.firstPrev ?? null, lastHash: parts.at(-1)?.lastHash ?? null, at }
}
