/**
 * npm run bench:audit — the audit trail at scale on this machine:
 * append rate in batches, full-chain verification against `sha256sum` over the same number of bytes,
 * filtered paginated search p95, and security metrics over the whole log.
 * Usage: npm run bench:audit [-- --entries N]   (default 1,000,000)
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, tmpdir } from 'node:os'
import { join } from 'node:path'
import { openConsole } from '../src/main/console-core'
import { canonicalEntry, type AuditEvent, type AuditRow } from '../src/main/engines/audit/audit-log'
import { auditMetrics, searchAudit } from '../src/main/engines/audit/audit-query'
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
        details: { transport: 'http', note: `event ${i}`, code: i % 7 === 0 ? 'FORBIDDEN' : undefined },
      }
    }
    // Append
    const t0 = now()
    for (let done = 0; done < N; done += BATCH)
      core.audit.recordMany(Array.from({ length: Math.min(BATCH, N - done) }, event))
    const appendMs = now() - t0
    console.log(
      `append: ${N.toLocaleString()} entries in ${(appendMs / 1000).toFixed(1)} s = ${Math.round(N / (appendMs / 1000)).toLocaleString()} entries/s (batches of ${BATCH.toLocaleString()}, WAL, synchronous=FULL, full-text indexed later in batches; target ≥ 50,000/s)`,
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
    const times: number[] = []
    for (let q = 0; q < 200; q++) {
      const filter = [
        { actor: USERS[q % USERS.length] },
        { type: TYPES[q % TYPES.length] },
        { risk: 'critical' as const, actor: USERS[q % USERS.length] },
        { result: 'failure' as const, type: 'authorization' as const },
        { text: `event ${1 + ((q * 7919) % N)}` },
      ][q % 5]!
      const s = now()
      const page = searchAudit(core.db, filter, 50)
      if (q % 5 !== 4 || page.entries.length > 0) {
        // a page of 50 newest-first; then the next page by cursor, as the UI scrolls
        const cursor = page.entries.at(-1)?.seq
        if (cursor) searchAudit(core.db, filter, 50, cursor)
      }
      times.push(now() - s)
    }
    times.sort((a, b) => a - b)
    console.log(
      `search: 200 filtered queries (two pages of 50 each) — median ${ms(times[100]!)}, p95 ${ms(times[189]!)} (target p95 < 20 ms)`,
    )

    // Metrics over everything (the compliance report's aggregate pass)
    const t3 = now()
    const m = auditMetrics(core.db)
    const metricsMs = now() - t3
    console.log(
      `metrics: ${m.total.toLocaleString()} entries aggregated in ${(metricsMs / 1000).toFixed(2)} s (target for a compliance report ≤ 5 s)`,
    )
  } finally {
    core.close()
    rmSync(root, { recursive: true, force: true })
  }
}

await main()
