import { createRequire } from 'node:module'
import { availableParallelism } from 'node:os'
import { Worker } from 'node:worker_threads'
import { hash as sha256Once } from 'node:crypto'
import type { Db } from '../../db/connection'

/**
 * Fast chain verification. The bytes an entry's hash covers (`prev_hash ‖ "\n" ‖ canonicalEntry`) are built by
 * SQLite's `json_array` over the eleven fields — one string per row instead of eleven values, a slice and a
 * JSON.stringify — and hashed with one-shot SHA-256. A row whose hash does not match this way is never called
 * damaged on that basis alone: any anomaly sends the caller to the exact, slower walk (JavaScript's canonicalEntry),
 * which names the problem. So the fast path can only say "clean", and the hash format is unchanged.
 *
 * Rows store their prev_hash, so seq ranges verify independently: large logs are split into segments checked by
 * worker threads, each with its own read-only connection (WAL lets readers run beside the writer); the caller
 * checks the links across segment boundaries. The worker is plain JavaScript evaluated from a string (as in the
 * vault's crypto pool), so it runs the same under tsx, Vitest and the Electron bundle.
 */
export const CANONICAL_SQL = `SELECT seq, prev_hash, json_array(time, type, actor, client, session, action, resource, result, data_type, risk, details), hash FROM audit_log WHERE seq > ? AND seq <= ? ORDER BY seq`

/** What one segment (seq in (from, to]) looked like, when every row in it was continuous and matched its hash. */
export interface SegmentResult {
  clean: boolean
  rows: number
  firstPrev: string | null
  lastHash: string | null
  /** Hashes at the requested seqs (checkpoints), as [seq, hash]. */
  at: [number, string][]
}

type RawRow = [number, string, string, string]

/** The segment check on this thread (small logs, or when workers are unavailable). Same logic as the worker's. */
export function scanSegment(db: Db, from: number, to: number, wanted: ReadonlySet<number>): SegmentResult {
  const stmt = db.prepare(CANONICAL_SQL).raw(true)
  let expected = from + 1
  let prev: string | null = null
  let firstPrev: string | null = null
  const at: [number, string][] = []
  for (const r of stmt.iterate(from, to) as Iterable<RawRow>) {
    if (r[0] !== expected) return { clean: false, rows: 0, firstPrev, lastHash: prev, at }
    if (prev === null) firstPrev = r[1]
    else if (r[1] !== prev) return { clean: false, rows: 0, firstPrev, lastHash: prev, at }
    if (sha256Once('sha256', r[1] + '\n' + r[2], 'hex') !== r[3])
      return { clean: false, rows: 0, firstPrev, lastHash: prev, at }
    if (wanted.has(r[0])) at.push([r[0], r[3]])
    prev = r[3]
    expected++
  }
  return { clean: expected - 1 === to, rows: expected - 1 - from, firstPrev, lastHash: prev, at }
}

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads')
const crypto = require('node:crypto')
const Database = require(workerData.sqlitePath)
const once = typeof crypto.hash === 'function'
  ? (s) => crypto.hash('sha256', s, 'hex')
  : (s) => crypto.createHash('sha256').update(s).digest('hex')
function scan(m) {
  const db = new Database(workerData.dbPath, { readonly: true, fileMustExist: true, nativeBinding: workerData.nativeBinding })
  try {
    const wanted = new Set(m.wanted)
    const stmt = db.prepare(workerData.sql).raw(true)
    let expected = m.from + 1, prev = null, firstPrev = null
    const at = []
    for (const r of stmt.iterate(m.from, m.to)) {
      if (r[0] !== expected) return { clean: false, rows: 0, firstPrev, lastHash: prev, at }
      if (prev === null) firstPrev = r[1]
      else if (r[1] !== prev) return { clean: false, rows: 0, firstPrev, lastHash: prev, at }
      if (once(r[1] + '\\n' + r[2]) !== r[3]) return { clean: false, rows: 0, firstPrev, lastHash: prev, at }
      if (wanted.has(r[0])) at.push([r[0], r[3]])
      prev = r[3]
      expected++
    }
    return { clean: expected - 1 === m.to, rows: expected - 1 - m.from, firstPrev, lastHash: prev, at }
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
      workerData: { sqlitePath: resolveSqlite(), dbPath, nativeBinding, sql: CANONICAL_SQL },
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
