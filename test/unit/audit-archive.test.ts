import { copyFileSync, existsSync, readFileSync, truncateSync, writeFileSync } from 'node:fs'
import { generateKeyPairSync, sign } from 'node:crypto'
import { join } from 'node:path'
import { gunzipSync, gzipSync } from 'node:zlib'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  AuditArchiver,
  checkArchiveSequence,
  readRetention,
  verifyArchiveFile,
  writeRetention,
} from '../../src/main/engines/audit/audit-archive'
import { canonicalEntry, type AuditRow } from '../../src/main/engines/audit/audit-log'
import { auditMetrics, searchAudit } from '../../src/main/engines/audit/audit-query'
import { buildBundle, verifyBundle } from '../../src/main/engines/audit/evidence-bundle'
import { scanParallel, scanSegment } from '../../src/main/engines/audit/verify-worker'
import { expectOk, expectRefusal } from '../support/pipeline-calls'
import { signedInAdmin, tempConsole, tempDir, type TestConsole } from '../support/temp-console'

const DAY = 86_400_000
let t: TestConsole
let archiver: AuditArchiver
let out: string

const ev = (i: number, note = `event ${i}`) => ({
  type: 'data_access' as const,
  actor: i % 2 ? 'alice' : 'bob',
  client: 'cli:test',
  action: `act${i}`,
  result: 'success' as const,
  details: { note },
})

beforeEach(async () => {
  t = await tempConsole()
  // 2,500 entries a year and a half ago, then 20 recent ones.
  for (let b = 0; b < 5; b++) t.core.audit.recordMany(Array.from({ length: 500 }, (_, i) => ev(b * 500 + i)))
  t.clock.advance(540 * DAY)
  t.core.audit.recordMany(Array.from({ length: 20 }, (_, i) => ev(10_000 + i, `recent ${i}`)))
  archiver = new AuditArchiver(t.core.db, t.clock, t.core.audit, join(t.dataDir, 'audit-archives'))
  out = join(tempDir('qqsec-archive-'), 'a.jsonl.gz')
})
afterEach(() => t.cleanup())

const rows = (from: number, to: number) =>
  t.core.db
    .prepare(`SELECT * FROM audit_log WHERE seq BETWEEN ? AND ? ORDER BY seq`)
    .all(from, to) as AuditRow[]
const oldest = () => (t.core.db.prepare(`SELECT min(seq) AS s FROM audit_log`).get() as { s: number }).s
const archive = (over: Partial<Parameters<AuditArchiver['archive']>[0]> = {}) =>
  archiver.archive({ olderThanDays: 365, output: out, actor: 'admin', client: 'cli:test', ...over })

/** Rewrite an archive's uncompressed lines, as someone holding the file could. */
const rewrite = (file: string, f: (lines: string[]) => string[]) => {
  const lines = gunzipSync(readFileSync(file)).toString('utf8').split('\n')
  lines.pop() // the final newline
  writeFileSync(file, gzipSync(f(lines).join('\n') + '\n'))
}

describe('audit retention archives', () => {
  it('archive round trip: the old entries move to a signed archive, the live log continues from the cut', async () => {
    const plan = archiver.plan(365)!
    expect(plan.from).toBe(0)
    const before = rows(1, plan.to)
    const newestOld = before.at(-1)!
    expect(Date.parse(newestOld.time)).toBeLessThan(t.clock.now() - 365 * DAY)

    const r = (await archive())!
    expect(r).toMatchObject({ file: out, firstSeq: 1, lastSeq: plan.to, entries: plan.to })
    // Every archived entry, byte for byte as it was in the database.
    const lines = gunzipSync(readFileSync(out)).toString('utf8').trimEnd().split('\n')
    const header = JSON.parse(lines[0]!) as { anchor: { seq: number }; head: { seq: number; hash: string } }
    expect(header.anchor.seq).toBe(0)
    expect(header.head).toMatchObject({ seq: plan.to, hash: newestOld.hash })
    const archived = lines.slice(1, -1).map((l) => JSON.parse(l) as unknown[])
    expect(archived).toHaveLength(before.length)
    for (const [i, a] of archived.entries()) {
      const b = before[i]!
      expect(a).toEqual([
        b.seq,
        b.time,
        b.type,
        b.actor,
        b.client,
        b.session,
        b.action,
        b.resource,
        b.result,
        b.data_type,
        b.risk,
        b.details,
        b.prev_hash,
        b.hash,
      ])
    }
    const v = await verifyArchiveFile(out)
    expect(v).toMatchObject({ ok: true, entries: plan.to, checkpoints: 3, problems: [] })

    // The live log: rows gone, cut recorded, chain intact from the anchor, the archiving itself audited.
    expect(oldest()).toBe(plan.to + 1)
    expect(t.core.audit.currentCut()).toMatchObject({ seq: plan.to, hash: newestOld.hash, firstSeq: 1 })
    const live = t.core.audit.verify()
    expect(live).toMatchObject({ ok: true, archivedThrough: plan.to, problems: [] })
    expect(await t.core.audit.verifyAsync()).toMatchObject({ ok: true, archivedThrough: plan.to })
    const last = t.core.audit.recent(1).entries[0]!
    expect(last).toMatchObject({ action: 'audit.archived', type: 'export', actor: 'admin' })
    expect(JSON.parse(last.details)).toMatchObject({ firstSeq: 1, lastSeq: plan.to, archiveSha256: v.digest })

    // Search, metrics and evidence bundles keep working over the live entries.
    t.core.audit.indexForSearch()
    expect(searchAudit(t.core.db, { text: 'recent' }, 50).entries).toHaveLength(20)
    expect(searchAudit(t.core.db, { text: 'event' }, 50).entries).toHaveLength(0)
    expect(auditMetrics(t.core.db).total).toBe(live.entries)
    t.core.audit.checkpoint(true)
    const signer = t.core.audit.checkpointSigner!
    const bundle = buildBundle({
      db: t.core.db,
      publicKey: signer.publicKeyPem,
      sign: (d) => signer.signDigest(d),
      from: new Date(t.clock.now() - DAY).toISOString(),
      to: new Date(t.clock.now() + DAY).toISOString(),
      report: {},
      reportHtml: '',
      createdAt: new Date(t.clock.now()).toISOString(),
    })
    expect(bundle.startCheckpoint.count).toBe(plan.to)
    expect(verifyBundle(JSON.parse(JSON.stringify(bundle)))).toMatchObject({ ok: true, periodEntries: 21 })
  })

  it('the archive verifies on its own, from a copy, with the console gone', async () => {
    await archive()
    const copy = join(tempDir('qqsec-clean-'), 'copy.jsonl.gz')
    copyFileSync(out, copy)
    t.cleanup()
    const v = await verifyArchiveFile(copy)
    expect(v.ok).toBe(true)
    expect(v.keyFingerprint).toMatch(/^SHA256:/)
    t = await tempConsole() // for afterEach
  })

  it('names an edited entry in the archive', async () => {
    await archive()
    rewrite(out, (l) => l.map((x, i) => (i === 11 ? x.replace('"act', '"forged-act') : x)))
    const v = await verifyArchiveFile(out)
    expect(v.ok).toBe(false)
    expect(v.problems[0]).toMatchObject({ kind: 'edited', seq: 11 })
    expect(v.problems.map((p) => p.kind)).toContain('bad-signature')
  })

  it('names a dropped entry', async () => {
    await archive()
    rewrite(out, (l) => l.filter((_, i) => i !== 40))
    expect((await verifyArchiveFile(out)).problems[0]).toMatchObject({ kind: 'deleted', seq: 40 })
  })

  it('names a changed signature, and only that', async () => {
    await archive()
    const other = generateKeyPairSync('ed25519').privateKey
    rewrite(out, (l) => [
      ...l.slice(0, -1),
      JSON.stringify({ signature: sign(null, Buffer.alloc(32), other).toString('base64') }),
    ])
    const v = await verifyArchiveFile(out)
    expect(v.problems).toHaveLength(1)
    expect(v.problems[0]).toMatchObject({ kind: 'bad-signature' })
  })

  it('names a truncated file (compressed bytes cut) and a file cut after a whole line', async () => {
    await archive()
    const copy = `${out}.2`
    copyFileSync(out, copy)
    truncateSync(out, Math.floor(readFileSync(out).length / 2))
    expect((await verifyArchiveFile(out)).problems[0]).toMatchObject({ kind: 'truncated' })
    rewrite(copy, (l) => l.slice(0, 500))
    const v = await verifyArchiveFile(copy)
    expect(v.problems[0]).toMatchObject({ kind: 'truncated' })
    expect(v.problems.map((p) => p.message).join('; ')).toContain('no signature line')
  })

  it('refuses something that is not an archive', async () => {
    writeFileSync(out, gzipSync('{"format":"other"}\n'))
    expect((await verifyArchiveFile(out)).problems[0]).toMatchObject({ kind: 'unreadable' })
    writeFileSync(out, 'plain text')
    expect((await verifyArchiveFile(out)).problems[0]).toMatchObject({ kind: 'unreadable' })
  })

  it('keeps every other DELETE and UPDATE refused after a cut', async () => {
    const r = (await archive())!
    const db = t.core.db
    expect(() => db.prepare(`DELETE FROM audit_log WHERE seq = ?`).run(r.lastSeq + 1)).toThrow(/append-only/)
    expect(() => db.prepare(`UPDATE audit_log SET actor = 'x' WHERE seq = ?`).run(r.lastSeq + 1)).toThrow(
      /append-only/,
    )
    expect(() => db.prepare(`DELETE FROM audit_cuts`).run()).toThrow(/append-only/)
    expect(() => db.prepare(`UPDATE audit_cuts SET seq = seq + 5`).run()).toThrow(/append-only/)
    expect(t.core.audit.verify().ok).toBe(true)
  })

  it('without a cut, deleting old rows stays refused', () => {
    expect(() => t.core.db.prepare(`DELETE FROM audit_log WHERE seq = 1`).run()).toThrow(/append-only/)
  })

  it('detects a forged cut: rows deleted under a cut record the audit key did not sign', () => {
    const db = t.core.db
    const cp = db.prepare(`SELECT * FROM audit_checkpoints ORDER BY count LIMIT 1`).get() as {
      count: number
      signature: string
    }
    expect(cp.count).toBeGreaterThanOrEqual(1000)
    const at = db.prepare(`SELECT hash FROM audit_log WHERE seq = ?`).get(cp.count) as { hash: string }
    // The attacker reuses a real checkpoint signature for the cut record, then deletes the rows it "covers".
    db.prepare(
      `INSERT INTO audit_cuts (seq, hash, time, first_seq, archive_name, archive_digest, signature) VALUES (?, ?, ?, 1, 'x', ?, ?)`,
    ).run(cp.count, at.hash, new Date(t.clock.now()).toISOString(), 'a'.repeat(64), cp.signature)
    db.prepare(`DELETE FROM audit_log WHERE seq <= ?`).run(cp.count)
    db.prepare(`DELETE FROM audit_checkpoints WHERE count < ?`).run(cp.count)
    const r = t.core.audit.verify()
    expect(r.ok).toBe(false)
    expect(r.problems[0]).toMatchObject({ kind: 'deleted', seq: cp.count })
    expect(r.problems[0]!.message).toMatch(/did not sign/)
  })

  it('detects rows deleted past a real cut, and edits in the live log after it', async () => {
    const r = (await archive())!
    t.core.db.exec(`DROP TRIGGER audit_log_no_delete; DROP TRIGGER audit_log_no_update;`)
    t.core.db.prepare(`UPDATE audit_log SET actor = 'mallory' WHERE seq = ?`).run(r.lastSeq + 3)
    expect(t.core.audit.verify().problems[0]).toMatchObject({ kind: 'edited', seq: r.lastSeq + 3 })
    t.core.db.prepare(`DELETE FROM audit_log WHERE seq <= ?`).run(r.lastSeq + 1)
    expect(t.core.audit.verify().problems[0]).toMatchObject({ kind: 'deleted', seq: r.lastSeq + 2 })
  })

  it('detects a truncated live tail after a cut (the outside checkpoint)', async () => {
    await archive()
    t.core.audit.checkpoint()
    const head = (t.core.db.prepare(`SELECT max(seq) AS s FROM audit_log`).get() as { s: number }).s
    t.core.db.exec(`DROP TRIGGER audit_log_no_delete;`)
    t.core.db.prepare(`DELETE FROM audit_log WHERE seq > ?`).run(head - 3)
    expect(t.core.audit.verify().problems[0]).toMatchObject({ kind: 'truncated', seq: head })
  })

  it('a crash between writing the archive and cutting leaves everything consistent; archiving again is safe', async () => {
    const before = rows(1, 99_999).length
    await expect(
      archive({
        beforeCut: () => {
          throw new Error('simulated crash')
        },
      }),
    ).rejects.toThrow('simulated crash')
    expect(existsSync(out)).toBe(true)
    expect((await verifyArchiveFile(out)).ok).toBe(true)
    expect(rows(1, 99_999)).toHaveLength(before)
    expect(t.core.audit.currentCut()).toBeNull()
    expect(t.core.audit.verify().ok).toBe(true)
    // The same file name is refused (the orphan stays as it is); another name completes the archive.
    await expect(archive()).rejects.toThrow(/already exists/)
    const r = (await archive({ output: `${out}.retry` }))!
    expect(r.firstSeq).toBe(1)
    expect(t.core.audit.verify().ok).toBe(true)
  })

  it('a second archive continues the first; the two join', async () => {
    const a = (await archive())!
    t.core.audit.recordMany(Array.from({ length: 30 }, (_, i) => ev(20_000 + i)))
    t.clock.advance(400 * DAY)
    t.core.audit.record(ev(30_000))
    const b = (await archive({ output: `${out}.b` }))!
    expect(b.firstSeq).toBe(a.lastSeq + 1)
    const va = await verifyArchiveFile(out)
    const vb = await verifyArchiveFile(`${out}.b`)
    expect(vb.anchor).toEqual({ seq: a.lastSeq, hash: va.head!.hash })
    expect(checkArchiveSequence([vb, va])).toEqual([])
    expect(t.core.audit.verify()).toMatchObject({ ok: true, archivedThrough: b.lastSeq })
    expect(t.core.audit.cuts()).toHaveLength(2)
  })

  it('archives nothing when nothing is old enough, and refuses a bad age', async () => {
    expect(await archive({ olderThanDays: 3650 })).toBeNull()
    expect(existsSync(out)).toBe(false)
    await expect(archive({ olderThanDays: -1 })).rejects.toThrow(/whole number/)
  })

  it('refuses to archive a damaged chain', async () => {
    t.core.db.exec(`DROP TRIGGER audit_log_no_update;`)
    t.core.db.prepare(`UPDATE audit_log SET actor = 'mallory' WHERE seq = 5`).run()
    await expect(archive()).rejects.toThrow(/damaged/)
    expect(existsSync(out)).toBe(false)
    expect(oldest()).toBe(1)
  })

  it('archives on schedule only when retention is on, into the archive folder', async () => {
    expect(await archiver.runScheduled()).toBeNull()
    expect(t.core.audit.currentCut()).toBeNull()
    writeRetention(t.core.db, t.clock, { days: 365 }, 'admin')
    archiver.startSchedule(3_600_000, 10)
    await expect.poll(() => t.core.audit.currentCut()?.seq ?? 0).toBeGreaterThan(0)
    archiver.stopSchedule()
    const cut = t.core.audit.currentCut()!
    expect(cut.archiveName).toMatch(/^audit-1-\d+-\d{4}-\d{2}-\d{2}\.jsonl\.gz$/)
    expect((await verifyArchiveFile(join(t.dataDir, 'audit-archives', cut.archiveName))).ok).toBe(true)
    const last = t.core.audit.recent(1).entries[0]!
    expect(last).toMatchObject({ action: 'audit.archived', actor: null, client: 'console:retention' })
    // A failing run is audited, not thrown: a damaged chain is not archived.
    t.clock.advance(400 * DAY)
    t.core.db.exec(`DROP TRIGGER audit_log_no_update;`)
    t.core.db.prepare(`UPDATE audit_log SET actor = 'mallory' WHERE seq = ?`).run(cut.seq + 2)
    expect(await archiver.runScheduled()).toBeNull()
    expect(t.core.audit.recent(1).entries[0]).toMatchObject({
      action: 'audit.archiveFailed',
      result: 'failure',
    })
    expect(t.core.audit.currentCut()!.seq).toBe(cut.seq)
  })

  it('stores the retention setting, off by default', () => {
    expect(readRetention(t.core.db)).toEqual({ days: null })
    writeRetention(t.core.db, t.clock, { days: 400 }, 'admin')
    expect(readRetention(t.core.db)).toEqual({ days: 400 })
    expect(() => writeRetention(t.core.db, t.clock, { days: 0 }, 'admin')).toThrow()
    expect(readRetention(t.core.db)).toEqual({ days: 400 })
  })
})

describe('audit retention through the pipeline', () => {
  it('settings, the archive job, forwarding targets behind the cut, and bundles only over the live log', async () => {
    const admin = await signedInAdmin(t)
    const core = t.core
    expect(await expectOk(core, admin, 'audit.retention', {})).toMatchObject({ days: null, cuts: [] })
    // Retention off and no age: refused, nothing changes.
    expect(await expectRefusal(core, admin, 'audit.archive', {})).toMatchObject({ code: 'INVALID_INPUT' })
    expect(await expectRefusal(core, admin, 'audit.setRetention', { days: 0 })).toMatchObject({
      code: 'INVALID_INPUT',
    })
    expect(await expectOk(core, admin, 'audit.setRetention', { days: 365 })).toEqual({ days: 365 })
    // A browser names no path on the machine running the server (the same session, over browser mode).
    const fromBrowser = { ...admin, transport: 'http' as const }
    expect(
      await expectRefusal(core, fromBrowser, 'audit.archive', { output: '/tmp/elsewhere.jsonl.gz' }),
    ).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/not a path on the server/) })
    expect(existsSync('/tmp/elsewhere.jsonl.gz')).toBe(false)
    const preview = await expectOk(core, admin, 'audit.retention', {})
    expect(preview.eligible).toMatchObject({ firstSeq: 1 })
    core.db
      .prepare(`INSERT INTO audit_forward_cursors (target, last_seq) VALUES ('relp://siem:2514', 10)`)
      .run()

    const job = await expectOk(core, admin, 'audit.archive', {})
    let info = core.jobs.get(job.id, core.users.idOf('alice'))
    while (info.state === 'running') {
      await new Promise((r) => setTimeout(r, 20))
      info = core.jobs.get(job.id, core.users.idOf('alice'))
    }
    expect(info.state, JSON.stringify(info.error)).toBe('done')
    expect(info.result).toMatchObject({
      firstSeq: 1,
      lastSeq: preview.eligible!.lastSeq,
      notForwarded: [{ target: 'relp://siem:2514', lastSeq: 10 }],
    })
    expect(String(info.result!.file)).toContain(join(t.dataDir, 'audit-archives'))
    expect((await verifyArchiveFile(String(info.result!.file))).ok).toBe(true)
    const after = await expectOk(core, admin, 'audit.retention', {})
    expect(after.cuts).toHaveLength(1)
    expect(after.eligible).toBeNull()
    expect(await expectOk(core, admin, 'audit.verify', {})).toMatchObject({
      ok: true,
      archivedThrough: preview.eligible!.lastSeq,
    })

    const now = t.clock.now()
    const refused = await expectRefusal(core, admin, 'audit.exportBundle', {
      from: new Date(now - 600 * DAY).toISOString(),
      to: new Date(now + DAY).toISOString(),
    })
    expect(refused).toMatchObject({ code: 'INVALID_INPUT' })
    expect(refused.message).toMatch(/are archived/)
    const bundle = await expectOk(core, admin, 'audit.exportBundle', {
      from: new Date(now - DAY).toISOString(),
      to: new Date(now + DAY).toISOString(),
    })
    expect(verifyBundle(JSON.parse(bundle.bundle))).toMatchObject({ ok: true })
  })
})

describe('fast verification', () => {
  it('builds the exact canonical bytes in SQLite, for awkward text too', () => {
    const awkward = [
      'quote " back \\ slash',
      'ctl \u0001\u001f\u007f',
      'nl\n\r\t\b\f',
      'u2028 \u2028\u2029',
      '😀 ü ß 中',
      '',
    ]
    for (const s of awkward) {
      t.core.audit.record({ ...ev(1), actor: s, resource: s, details: { s } })
    }
    const row = rows(2521, 2521 + awkward.length)
    expect(row.length).toBeGreaterThan(0)
    const sql = t.core.db
      .prepare(
        `SELECT json_array(time, type, actor, client, session, action, resource, result, data_type, risk, details) AS j FROM audit_log WHERE seq = ?`,
      )
      .pluck()
    for (const r of row) expect(sql.get(r.seq)).toBe(canonicalEntry(r))
    const head = (t.core.db.prepare(`SELECT max(seq) AS s FROM audit_log`).get() as { s: number }).s
    expect(scanSegment(t.core.db, 0, head, new Set())).toMatchObject({ clean: true, rows: head })
  })

  it('never calls a log clean whose bytes line up but whose columns do not (a hash shifted into prev_hash)', () => {
    const head = (t.core.db.prepare(`SELECT max(seq) AS s FROM audit_log`).get() as { s: number }).s
    const r = rows(700, 700)[0]!
    t.core.db.exec(`DROP TRIGGER audit_log_no_update;`)
    // The concatenated bytes stay exactly the same; only the split between the two columns moves.
    t.core.db
      .prepare(`UPDATE audit_log SET hash = ?, prev_hash = ? WHERE seq = 700`)
      .run(r.hash.slice(0, 63), r.hash.slice(63) + r.prev_hash)
    expect(scanSegment(t.core.db, 0, head, new Set()).clean).toBe(false)
    expect(t.core.audit.verify().problems[0]).toMatchObject({ kind: 'edited', seq: 700 })
  })

  it('checks segments on worker threads and joins them; damage anywhere is not clean', async () => {
    const head = (t.core.db.prepare(`SELECT max(seq) AS s FROM audit_log`).get() as { s: number }).s
    const ok = await scanParallel(t.core.db, undefined, 0, head, new Set([1000, 2000]))
    expect(ok).toMatchObject({ clean: true, rows: head })
    expect(new Map(ok!.at).get(2000)).toBe(rows(2000, 2000)[0]!.hash)
    t.core.db.exec(`DROP TRIGGER audit_log_no_update;`)
    t.core.db.prepare(`UPDATE audit_log SET actor = 'mallory' WHERE seq = ?`).run(head - 2)
    expect((await scanParallel(t.core.db, undefined, 0, head, new Set()))!.clean).toBe(false)
    expect(t.core.audit.verify().problems[0]).toMatchObject({ kind: 'edited', seq: head - 2 })
  })
})
