/**
 * npm run bench:audit — the audit trail at scale on this machine:
 * append rate in batches, full-chain verification against `sha256sum` over the same number of bytes,
 * filtered paginated search p95, and security metrics over the whole log.
 * Usage: npm run bench:audit [-- --entries N]   (default 1,000,000)
 */
import { execFileSync } from 'node:child_process'
import Database from 'better-sqlite3'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, tmpdir } from 'node:os'
import { join } from 'node:path'
import { openConsole } from '../src/main/console-core'
import { TUNING_PRAGMAS } from '../src/main/db/connection'
import { canonicalEntry, type AuditEvent, type AuditRow } from '../src/main/engines/audit/audit-log'
import { auditMetrics, searchAudit, type AuditFilter } from '../src/main/engines/audit/audit-query'
import { PasswordHasher } from '../src/main/engines/auth/password-hasher'
import { FileKeyStore } from '../src/main/keystore/file-keystore'
import { KDF_FLOOR } from '../src/main/keystore/kdf-params'
import { dataFiles } from '../src/main/platform/data-dir'
import { silentLogger } from '../src/main/platform/logger'

const arg = process.argv.indexOf('--entries')
const N = arg > 0 ? Number(process.argv[arg + 1]) : 1_000_000
const BATCH = 10_000
const USERS = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi']
const TYPES: AuditEvent['type'][] = [
  'authentication',
  'authorization',
  'data_access',
  'configuration',
  'system',
]
const RISKS = ['low', 'low', 'low', 'medium', 'high', 'critical'] as const

const ms = (t: number) => `${t.toFixed(1)} ms`
const now = () => performance.now()

/**
 * Entries are spread over a month, as a real log of this size would be (the clock moves on at every reading, and
 * the audit log reads it once per entry): periods, hour rollups and date-range searches then see many hours.
 */
const STEP_MS = Math.max(1, Math.floor((30 * 86_400_000) / N))
let clockMs = Date.now() - 30 * 86_400_000
const clock = { now: () => (clockMs += STEP_MS) }
const detailsOf = (i: number) => ({
  transport: 'http',
  note: `event ${i}`,
  code: i % 7 === 0 ? 'FORBIDDEN' : undefined,
  ...(i % 11 === 0 ? {} : { consent: 'contract', purpose: 'support', encrypted: 1, minimumNecessary: 1 }),
  ...(i % 13 === 0 ? {} : { authorizedBy: 'alice', approver: 'bob' }),
})
const DATA_TYPES = [null, null, null, null, null, null, null, 'personal', 'financial', 'health'] as const

async function main(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'qqsec-bench-audit-'))
  const dataDir = join(root, 'data')
  console.log(
    `audit benchmark — ${N.toLocaleString()} entries, Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}`,
  )
  const core = await openConsole({
    dataDir,
    keyStore: new FileKeyStore(dataFiles(dataDir).fileKeystore, 'bench-keystore-passphrase', KDF_FLOOR),
    logger: silentLogger,
    hasher: new PasswordHasher({ memoryCost: 19_456, timeCost: 2, parallelism: 1 }),
    clock,
  })
  try {
    let i = 0
    const event = (): AuditEvent => {
      i++
      return {
        type: TYPES[i % TYPES.length]!,
        actor: USERS[i % USERS.length]!,
        client: `http:10.0.${(i >> 8) & 255}.${i & 255}`,
        action: ['auth.login', 'users.list', 'vault.export', 'settings.updateIdentity'][i % 4]!,
        resource: i % 3 === 0 ? `user:${i % 1000}` : null,
        result: i % 7 === 0 ? 'failure' : 'success',
        risk: RISKS[i % RISKS.length]!,
        // 30 % of entries carry a data type, some with the consent/approval/encryption the compliance rules want
        dataType: DATA_TYPES[i % DATA_TYPES.length]!,
        details: detailsOf(i),
      }
    }
    // Append
    const t0 = now()
    const cpu0 = process.cpuUsage()
    for (let done = 0; done < N; done += BATCH)
      core.audit.recordMany(Array.from({ length: Math.min(BATCH, N - done) }, event))
    const appendMs = now() - t0
    const appendCpu = process.cpuUsage(cpu0)
    // Peer: a plain better-sqlite3 insert loop into the same table and indexes (copied from this schema), same
    // batches, WAL, synchronous=FULL — no hashing, no chain, no rollups.
    const peer = plainInsertPeer(core.db, join(root, 'peer.sqlite'), N, 'FULL')
    const peerMs = peer.ms
    // The same peer with synchronous=NORMAL: what FULL costs at this batch size (README: why FULL)
    const peerNormalMs = plainInsertPeer(core.db, join(root, 'peer-normal.sqlite'), N, 'NORMAL').ms
    const cpuPer = (c: NodeJS.CpuUsage) => ((c.user + c.system) / N).toFixed(1)
    const rate = (n: number, t: number) => Math.round(n / (t / 1000)).toLocaleString()
    console.log(
      `append: ${N.toLocaleString()} entries in ${(appendMs / 1000).toFixed(1)} s = ${rate(N, appendMs)} entries/s, ${cpuPer(appendCpu)} µs CPU per entry (batches of ${BATCH.toLocaleString()}, WAL, synchronous=FULL, hour rollups in the same transaction, full-text indexed later in batches; target ≥ 50,000/s); peer plain better-sqlite3 insert loop (same table and indexes, no hashing): ${rate(N, peerMs)} rows/s, ${cpuPer(peer.cpu)} µs CPU per row; ratio ${(appendMs / peerMs).toFixed(2)}× its time; the same peer with synchronous=NORMAL: ${rate(N, peerNormalMs)} rows/s (FULL costs ${(((peerMs - peerNormalMs) / peerNormalMs) * 100).toFixed(0)} %)`,
    )

    // Verify
    // Single-threaded path first (the one small logs use), then the parallel one (worker threads over segments).
    const t1s = now()
    const single = core.audit.verify()
    const singleMs = now() - t1s
    if (!single.ok) throw new Error(`verify failed: ${single.problems[0]?.message}`)
    const t1 = now()
    const report = await core.audit.verifyAsync()
    const verifyMs = now() - t1
    if (!report.ok) throw new Error(`verify failed: ${report.problems[0]?.message}`)
    let bytes = 0
    const chunks: string[] = []
    for (const r of core.db.prepare(`SELECT * FROM audit_log ORDER BY seq`).iterate() as Iterable<AuditRow>) {
      const s = `${r.prev_hash}\n${canonicalEntry(r)}`
      bytes += Buffer.byteLength(s)
      chunks.push(s)
    }
    const shm = mkdtempSync(join('/dev/shm', 'qqsec-bench-'))
    const file = join(shm, 'canonical.txt')
    writeFileSync(file, chunks.join(''))
    chunks.length = 0
    const t2 = now()
    execFileSync('sha256sum', [file])
    const shaMs = now() - t2
    rmSync(shm, { recursive: true, force: true })
    console.log(
      `verify: ${N.toLocaleString()} entries (${(bytes / 1e6).toFixed(0)} MB hashed) in ${(verifyMs / 1000).toFixed(2)} s (worker threads; single-threaded ${(singleMs / 1000).toFixed(2)} s = ${(singleMs / shaMs).toFixed(1)}×); peer sha256sum over the same bytes: ${(shaMs / 1000).toFixed(2)} s; ratio ${(verifyMs / shaMs).toFixed(1)}× (target ≤ 2×)`,
    )

    // Search (the full-text index is filled in one batch first, as the first text search after a burst does)
    const t4 = now()
    const indexed = core.audit.indexForSearch()
    console.log(
      `search index: ${indexed.toLocaleString()} entries indexed for full-text search in ${((now() - t4) / 1000).toFixed(1)} s (once, on the first text search after appends)`,
    )
    // Every filter of the Audit view, alone and combined, including combinations that match nothing (actor and
    // risk never meet for half the users) and periods inside the log.
    const timeAt = (seq: number) =>
      core.db.prepare(`SELECT time FROM audit_log WHERE seq = ?`).pluck().get(Math.max(1, seq)) as string
    const shapes: ((q: number) => AuditFilter)[] = [
      (q) => ({ actor: USERS[q % USERS.length] }),
      (q) => ({ type: TYPES[q % TYPES.length] }),
      (q) => ({ risk: 'critical', actor: USERS[q % USERS.length] }),
      () => ({ result: 'failure', type: 'authorization' }),
      (q) => ({ text: `event ${1 + ((q * 7919) % N)}` }),
      (q) => ({ client: `http:10.0.${(q * 37) & 255}.${(q * 101) & 255}` }),
      (q) => ({ resource: `user:${(q * 13) % 1000}`, result: 'failure' }),
      (q) => ({
        from: timeAt(Math.floor(N * (0.1 + (q % 8) / 10))),
        to: timeAt(Math.floor(N * (0.12 + (q % 8) / 10))),
      }),
      (q) => ({
        actor: USERS[q % USERS.length],
        risk: 'high',
        from: timeAt(Math.floor(N * 0.5)),
        to: timeAt(Math.floor(N * 0.6)),
      }),
      (q) => ({ text: 'FORBIDDEN', actor: USERS[q % USERS.length], type: 'data_access' }),
    ]
    const times: number[] = []
    const perShape = shapes.map(() => [] as number[])
    for (let q = 0; q < 300; q++) {
      const filter = shapes[q % shapes.length]!(q)
      const s = now()
      // a page of 50 newest-first; then the next page by cursor, as the UI scrolls
      const page = searchAudit(core.db, filter, 50)
      const cursor = page.entries.at(-1)?.seq
      if (page.hasMore && cursor) searchAudit(core.db, filter, 50, cursor)
      const t = now() - s
      times.push(t)
      perShape[q % shapes.length]!.push(t)
    }
    const p = (xs: number[], f: number) =>
      [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * f))]!
    console.log(
      `search: 300 filtered queries over ${shapes.length} filter shapes (two pages of 50 each) — median ${ms(p(times, 0.5))}, p95 ${ms(p(times, 0.95))}, worst shape p95 ${ms(Math.max(...perShape.map((xs) => p(xs, 0.95))))} (target p95 < 20 ms)`,
    )

    // Metrics: the whole log, the Dashboard's week (ends after now, starts inside an hour), the last day
    const last = Date.parse(timeAt(N))
    for (const [label, from, to] of [
      ['whole log', undefined, undefined],
      [
        'Dashboard week',
        new Date(last - 7 * 86_400_000).toISOString(),
        new Date(last + 60_000).toISOString(),
      ],
      ['last 24 h', new Date(last - 86_400_000 + 1234).toISOString(), new Date(last + 1).toISOString()],
    ] as const) {
      const runs: number[] = []
      let total = 0
      for (let r = 0; r < 3; r++) {
        const t3 = now()
        total = auditMetrics(core.db, from, to).total
        runs.push(now() - t3)
      }
      console.log(
        `metrics (${label}): ${total.toLocaleString()} entries summarised in ${ms(p(runs, 0.5))} (median of 3; from hour rollups, clients from the client index)`,
      )
    }

    // Compliance report over the whole log (its audit-integrity rule runs the full single-threaded verify above)
    const t5 = now()
    const cr = core.compliance.report('all', new Date(0).toISOString(), new Date(last + 1).toISOString())
    const reportMs = now() - t5
    const t6 = now()
    core.audit.verify()
    const verifyAgainMs = now() - t6
    console.log(
      `compliance report: ${cr.totals.entries.toLocaleString()} entries, ${cr.rules.length} rules, ${cr.rules.reduce((n, r) => n + r.violations, 0).toLocaleString()} violations in ${(reportMs / 1000).toFixed(2)} s, of which chain verification ≈ ${(verifyAgainMs / 1000).toFixed(2)} s (target < 5 s)`,
    )
  } finally {
    core.close()
    rmSync(root, { recursive: true, force: true })
  }
}

/** The peer of the append figure: plain prepared inserts into a copy of the audit table and its indexes. */
function plainInsertPeer(
  db: Database.Database,
  path: string,
  n: number,
  synchronous: 'FULL' | 'NORMAL',
): { ms: number; cpu: NodeJS.CpuUsage } {
  const peer = new Database(path)
  try {
    peer.pragma('journal_mode = WAL')
    peer.pragma(`synchronous = ${synchronous}`)
    for (const p of TUNING_PRAGMAS) peer.pragma(p) // the console's own connection settings, for a like-for-like peer
    const ddl = db
      .prepare(
        `SELECT sql FROM sqlite_schema WHERE tbl_name = 'audit_log' AND type IN ('table', 'index') AND sql IS NOT NULL ORDER BY type DESC`,
      )
      .pluck()
      .all() as string[]
    for (const sql of ddl) peer.exec(sql)
    const insert = peer.prepare(
      `INSERT INTO audit_log (seq, time, type, actor, client, session, action, resource, result, data_type, risk, details, prev_hash, hash)
       VALUES (?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    const hash = 'f'.repeat(64)
    let j = 0
    const t = now()
    const cpu = process.cpuUsage()
    for (let done = 0; done < n; done += BATCH) {
      peer.transaction(() => {
        for (let k = 0; k < Math.min(BATCH, n - done); k++) {
          j++
          insert.run(
            j,
            new Date(clockMs + j).toISOString(),
            TYPES[j % TYPES.length],
            USERS[j % USERS.length],
            `http:10.0.${(j >> 8) & 255}.${j & 255}`,
            ['auth.login', 'users.list', 'vault.export', 'settings.updateIdentity'][j % 4],
            j % 3 === 0 ? `user:${j % 1000}` : null,
            j % 7 === 0 ? 'failure' : 'success',
            DATA_TYPES[j % DATA_TYPES.length],
            RISKS[j % RISKS.length],
            JSON.stringify(detailsOf(j)),
            hash,
            hash,
          )
        }
      })()
    }
    return { ms: now() - t, cpu: process.cpuUsage(cpu) }
  } finally {
    peer.close()
    for (const f of [path, `${path}-wal`, `${path}-shm`]) rmSync(f, { force: true })
  }
}

await main()
