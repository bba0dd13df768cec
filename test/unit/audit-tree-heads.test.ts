import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openConsole } from '../../src/main/console-core'
import type { Db } from '../../src/main/db/connection'
import { AuditArchiver } from '../../src/main/engines/audit/audit-archive'
import { CHECKPOINT_EVERY, chainHash, type AuditRow } from '../../src/main/engines/audit/audit-log'
import { leafHashes, rootOf } from '../../src/main/engines/audit/merkle'
import {
  verifyProofDocument,
  verifyTreeHeadSignature,
  type ProofEntry,
} from '../../src/main/engines/audit/tree-heads'
import { silentLogger } from '../../src/main/platform/logger'
import { fastHasher, fileKeyStore, tempConsole, tempDir, type TestConsole } from '../support/temp-console'

const ev = (i: number) => ({
  type: 'data_access' as const,
  actor: 'alice',
  client: 'cli:test',
  action: `act${i}`,
  result: 'success' as const,
  details: { i },
})
const chainOf = (e: ProofEntry): string => chainHash(e.prev_hash, e)

let t: TestConsole
beforeEach(async () => {
  t = await tempConsole()
})
afterEach(() => t.cleanup())

const write = (n: number, batch = 250) => {
  for (let done = 0; done < n; done += batch)
    t.core.audit.recordMany(Array.from({ length: Math.min(batch, n - done) }, (_, i) => ev(done + i)))
}
/** The root recomputed from scratch over every entry's chain hash (the reference). */
const fullRoot = (count: number) => {
  const rows = t.core.db
    .prepare(`SELECT hash FROM audit_log WHERE seq <= ? ORDER BY seq`)
    .all(count) as AuditRow[]
  return rootOf(leafHashes(rows.map((r) => Buffer.from(r.hash, 'hex')))).toString('hex')
}
const pem = () => t.core.audit.checkpointSigner!.publicKeyPem

describe('signed tree heads', () => {
  it('signs the Merkle root of entries 1..count with every periodic checkpoint, equal to a full recomputation', () => {
    write(3 * CHECKPOINT_EVERY + 100, 250)
    const heads = t.core.audit.treeHeads.list()
    const cps = t.core.db.prepare(`SELECT count FROM audit_checkpoints ORDER BY count`).all() as {
      count: number
    }[]
    expect(heads.map((h) => h.count)).toEqual(cps.map((c) => c.count))
    expect(heads.length).toBe(3)
    for (const h of heads) {
      expect(h.root).toBe(fullRoot(h.count))
      expect(verifyTreeHeadSignature(pem(), h)).toBe(true)
      expect(verifyTreeHeadSignature(pem(), { ...h, count: h.count + 1 })).toBe(false)
    }
    // The table is append-only.
    expect(() => t.core.db.exec(`UPDATE audit_tree_heads SET root = root`)).toThrow(/append-only/)
    expect(() => t.core.db.exec(`DELETE FROM audit_tree_heads`)).toThrow(/append-only/)
    expect(() =>
      t.core.db.prepare(`INSERT INTO audit_tree_heads VALUES (1, ?, 'x', 'y')`).run('0'.repeat(64)),
    ).toThrow(/only moves forward/)
  })

  it('continues from the stored frontier after a restart; rebuilds it from the hashes if it was altered; stops if the log no longer gives the signed root', async () => {
    const dir = tempDir()
    const dataDir = join(dir, 'data')
    const open = () =>
      openConsole({ dataDir, keyStore: fileKeyStore(dataDir), logger: silentLogger, hasher: fastHasher() })
    const rootOfLog = (db: Db, count: number) =>
      rootOf(
        leafHashes(
          (db.prepare(`SELECT hash FROM audit_log WHERE seq <= ? ORDER BY seq`).all(count) as AuditRow[]).map(
            (r) => Buffer.from(r.hash, 'hex'),
          ),
        ),
      ).toString('hex')
    const a = await open()
    a.audit.recordMany(Array.from({ length: 1500 }, (_, i) => ev(i)))
    a.close()
    const b = await open()
    b.audit.recordMany(Array.from({ length: 1200 }, (_, i) => ev(i)))
    expect(b.audit.treeHeads.list().map((h) => h.count)).toEqual([1500, 2700])
    expect(b.audit.treeHeads.list().at(-1)!.root).toBe(rootOfLog(b.db, 2700))
    // Someone edits the stored frontier: it is rebuilt from the chain hashes, and heads go on.
    const stored = JSON.parse(
      (b.db.prepare(`SELECT value FROM meta WHERE key = 'audit_tree_frontier'`).get() as { value: string })
        .value,
    ) as { size: number; nodes: string[] }
    expect(stored.size).toBe(2700)
    stored.nodes[1] = 'ab'.repeat(32)
    b.db.prepare(`UPDATE meta SET value = ? WHERE key = 'audit_tree_frontier'`).run(JSON.stringify(stored))
    b.close()
    const c = await open()
    c.audit.recordMany(Array.from({ length: 1000 }, (_, i) => ev(i)))
    expect(c.audit.treeHeads.unavailableReason).toBeNull()
    expect(c.audit.treeHeads.list().at(-1)).toMatchObject({ count: 3700, root: rootOfLog(c.db, 3700) })
    // The frontier is gone and an entry under a signed head was rewritten: no head is signed over the new log.
    c.db.prepare(`DELETE FROM meta WHERE key = 'audit_tree_frontier'`).run()
    c.db.exec(`DROP TRIGGER audit_log_no_update`)
    c.db.exec(`UPDATE audit_log SET hash = '${'2'.repeat(64)}' WHERE seq = 10`)
    c.close()
    const d = await open()
    d.audit.recordMany(Array.from({ length: 1000 }, (_, i) => ev(i)))
    expect(d.audit.treeHeads.list().at(-1)!.count).toBe(3700)
    expect(d.audit.treeHeads.unavailableReason).toMatch(
      /the log no longer gives the root of the signed tree head of 3700 entries/,
    )
    d.close()
  })

  it('makes inclusion and consistency proofs that verify on their own, and fail when tampered', () => {
    write(2 * CHECKPOINT_EVERY + 10)
    const th = t.core.audit.treeHeads
    for (const seq of [1, 2, 999, 1000, 1001, 1733, 2000]) {
      const proof = th.inclusion(seq, undefined, pem())
      expect(proof.treeHead.count).toBe(seq <= 1000 ? 1000 : 2000)
      expect(verifyProofDocument(proof, chainOf)).toMatchObject({ ok: true, kind: 'inclusion' })
      const later = th.inclusion(seq, 2000, pem())
      expect(verifyProofDocument(later, chainOf)).toMatchObject({ ok: true })
    }
    const p = th.inclusion(5, 2000, pem())
    expect(verifyProofDocument({ ...p, entry: { ...p.entry, actor: 'mallory' } }, chainOf)).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/entry 5 was altered/),
    })
    expect(verifyProofDocument({ ...p, leafIndex: 5 }, chainOf)).toMatchObject({
      problem: expect.stringMatching(/leaf index/),
    })
    const path = [...p.auditPath]
    path[2] = (path[2]![0] === 'a' ? 'b' : 'a') + path[2]!.slice(1)
    expect(verifyProofDocument({ ...p, auditPath: path }, chainOf)).toMatchObject({
      problem: expect.stringMatching(/audit path does not lead/),
    })
    expect(
      verifyProofDocument({ ...p, treeHead: { ...p.treeHead, root: 'f'.repeat(64) } }, chainOf),
    ).toMatchObject({
      problem: expect.stringMatching(/invalid signature/),
    })
    expect(verifyProofDocument({ ...p, format: 'something-else' }, chainOf)).toBeNull()
    expect(verifyProofDocument({ ...p, auditPath: 'x' }, chainOf)).toBeNull()

    const c = th.consistency(1000, 2000, pem())
    expect(verifyProofDocument(c, chainOf)).toMatchObject({ ok: true, kind: 'consistency' })
    const bad = [...c.proof]
    bad[0] = '0'.repeat(64)
    expect(verifyProofDocument({ ...c, proof: bad }, chainOf)).toMatchObject({
      problem: expect.stringMatching(/not an extension/),
    })
    expect(verifyProofDocument({ ...c, to: { ...c.to, time: 'later' } }, chainOf)).toMatchObject({
      problem: expect.stringMatching(/tree head of 2000 entries has an invalid signature/),
    })

    expect(() => th.inclusion(2005, undefined, pem())).toThrow(/No signed tree head covers entry 2005/)
    expect(() => th.inclusion(5, 1500, pem())).toThrow(/no signed tree head of 1500/)
    expect(() => th.inclusion(1500, 1000, pem())).toThrow(/after the tree head of 1000/)
    expect(() => th.consistency(2000, 1000, pem())).toThrow(/must not be after/)
  })

  it('refuses a proof the live log cannot back: a changed chain hash, or an archived entry (naming the archive)', async () => {
    write(CHECKPOINT_EVERY + 10)
    t.core.db.exec(`DROP TRIGGER audit_log_no_update`)
    t.core.db.exec(`UPDATE audit_log SET hash = '${'1'.repeat(64)}' WHERE seq = 7`)
    expect(() => t.core.audit.treeHeads.inclusion(3, 1000, pem())).toThrow(
      /no longer matches the signed tree head of 1000 entries/,
    )
  })

  it('after a retention cut below the frontier: tree heads go on over every entry ever written', async () => {
    write(2 * CHECKPOINT_EVERY) // heads at 1000 and 2000
    t.clock.advance(540 * 86_400_000)
    write(CHECKPOINT_EVERY) // head at 3000
    const before = (t.core.db.prepare(`SELECT hash FROM audit_log ORDER BY seq`).all() as AuditRow[]).map(
      (r) => r.hash,
    )
    const archiver = new AuditArchiver(t.core.db, t.clock, t.core.audit, join(t.dataDir, 'audit-archives'))
    const out = join(tempDir('qqsec-th-'), 'old.jsonl.gz')
    expect(
      await archiver.archive({ olderThanDays: 365, output: out, actor: 'admin', client: 'cli:test' }),
    ).toMatchObject({ lastSeq: 2000 })
    write(CHECKPOINT_EVERY)
    const head = t.core.audit.treeHeads.list().at(-1)!
    expect(head.count).toBeGreaterThan(3000)
    const all = [
      ...before,
      ...(
        t.core.db
          .prepare(`SELECT hash FROM audit_log WHERE seq > ? ORDER BY seq`)
          .all(before.length) as AuditRow[]
      ).map((r) => r.hash),
    ]
    expect(head.root).toBe(
      rootOf(leafHashes(all.slice(0, head.count).map((h) => Buffer.from(h, 'hex')))).toString('hex'),
    )
    expect(t.core.audit.treeHeads.unavailableReason).toBeNull()
    // Proofs need every leaf from 1: refused, naming the archive that holds the first missing one.
    expect(() => t.core.audit.treeHeads.inclusion(2500, head.count, pem())).toThrow(
      /needs every entry's hash from 1 on, and entry 1 is archived in .*old\.jsonl\.gz.*verify it with the archive/,
    )
    expect(() => t.core.audit.treeHeads.consistency(3000, head.count, pem())).toThrow(
      /entry 1 is archived in/,
    )
    expect(() => t.core.audit.treeHeads.inclusion(5, 1000, pem())).toThrow(/No proof: entry 5 is archived in/)
  })

  it('a retention cut past the latest head signs a head at the cut first, so tree heads go on after it', async () => {
    write(2 * CHECKPOINT_EVERY + 500) // heads at 1000 and 2000; 2001–2500 not yet under a head
    t.clock.advance(540 * 86_400_000)
    write(20)
    const archiver = new AuditArchiver(t.core.db, t.clock, t.core.audit, join(t.dataDir, 'audit-archives'))
    const out = join(tempDir('qqsec-th-'), 'old.jsonl.gz')
    expect(
      await archiver.archive({ olderThanDays: 365, output: out, actor: 'admin', client: 'cli:test' }),
    ).toMatchObject({ lastSeq: 2500 })
    expect(t.core.audit.treeHeads.list().map((h) => h.count)).toEqual([1000, 2000, 2500])
    write(CHECKPOINT_EVERY)
    expect(t.core.audit.treeHeads.unavailableReason).toBeNull()
    const heads = t.core.audit.treeHeads.list()
    expect(heads.length).toBe(4)
    expect(heads.at(-1)!.count).toBeGreaterThan(2500)
    expect((await t.core.audit.verifyAsync()).ok).toBe(true) // checkpoints and the chain are unaffected
  })
})
