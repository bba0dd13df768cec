import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openConsole } from '../../src/main/console-core'
import { CHECKPOINT_EVERY, chainHash, type AuditRow } from '../../src/main/engines/audit/audit-log'
import { dataFiles } from '../../src/main/platform/data-dir'
import { silentLogger } from '../../src/main/platform/logger'
import { fastHasher, fileKeyStore, tempConsole, tempDir, type TestConsole } from '../support/temp-console'

let t: TestConsole
beforeEach(async () => {
  t = await tempConsole()
  for (let i = 1; i <= 6; i++) {
    t.core.audit.record({
      type: 'system',
      actor: 'alice',
      client: 'cli:test',
      action: `act${i}`,
      result: 'success',
    })
  }
  t.core.audit.checkpoint()
})
afterEach(() => t.cleanup())

/** Tampering needs the append-only triggers out of the way, as an attacker holding the file would. */
const tamper = (sql: string) => {
  t.core.db.exec(`DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS audit_log_no_delete;`)
  t.core.db.exec(sql)
}
const row = (seq: number) => t.core.db.prepare(`SELECT * FROM audit_log WHERE seq = ?`).get(seq) as AuditRow
const first = () => t.core.audit.verify().problems[0]

describe('the audit chain', () => {
  it('verifies an untouched log with its signed checkpoints', () => {
    const r = t.core.audit.verify()
    expect(r).toMatchObject({ ok: true, entries: 6, checkpoints: 0, problems: [] })
    expect(r.outsideCheckpoint).toMatchObject({ count: 6 })
  })

  it('names an edited field', () => {
    tamper(`UPDATE audit_log SET actor = 'mallory' WHERE seq = 3`)
    expect(first()).toMatchObject({ kind: 'edited', seq: 3 })
  })

  it('names a deleted entry', () => {
    tamper(`DELETE FROM audit_log WHERE seq = 2`)
    expect(first()).toMatchObject({ kind: 'deleted', seq: 3, message: 'entries 2–2 are missing' })
  })

  it('names two swapped entries as reordered', () => {
    const a = row(3)
    const b = row(4)
    tamper(`DELETE FROM audit_log WHERE seq IN (3, 4)`)
    const ins = t.core.db.prepare(
      `INSERT INTO audit_log (seq, time, type, actor, client, session, action, resource, result, data_type, risk, details, prev_hash, hash)
       VALUES (@seq, @time, @type, @actor, @client, @session, @action, @resource, @result, @data_type, @risk, @details, @prev_hash, @hash)`,
    )
    ins.run({ ...b, seq: 3 })
    ins.run({ ...a, seq: 4 })
    expect(first()).toMatchObject({ kind: 'reordered', seq: 3 })
  })

  it('names a forged entry inserted with a correct hash', () => {
    const before = row(3)
    tamper(
      `UPDATE audit_log SET seq = seq + 100 WHERE seq >= 4; UPDATE audit_log SET seq = seq - 99 WHERE seq >= 104`,
    )
    const forged = { ...before, seq: 4, action: 'forged', actor: 'mallory', prev_hash: before.hash }
    const { seq: _s, hash: _h, prev_hash, ...content } = forged
    t.core.db
      .prepare(
        `INSERT INTO audit_log (seq, time, type, actor, client, session, action, resource, result, data_type, risk, details, prev_hash, hash)
         VALUES (@seq, @time, @type, @actor, @client, @session, @action, @resource, @result, @data_type, @risk, @details, @prev_hash, @hash)`,
      )
      .run({ ...forged, hash: chainHash(prev_hash, content) })
    expect(first()).toMatchObject({ kind: 'inserted', seq: 4 })
  })

  it('names a truncated tail, by the checkpoint kept outside the database', () => {
    tamper(`DELETE FROM audit_log WHERE seq = 6; DELETE FROM audit_checkpoints`)
    expect(first()).toMatchObject({ kind: 'truncated', seq: 6 })
    expect(first()!.message).toMatch(
      /ends at entry 5, but the checkpoint kept outside the database .* covers 6/,
    )
  })

  it('names a database rolled back to an older copy', async () => {
    const dir = tempDir()
    const dataDir = join(dir, 'data')
    const open = () =>
      openConsole({ dataDir, keyStore: fileKeyStore(dataDir), logger: silentLogger, hasher: fastHasher() })
    const a = await open()
    a.audit.record({ type: 'system', actor: null, client: 'c', action: 'one', result: 'success' })
    a.close()
    copyFileSync(dataFiles(dataDir).database, join(dir, 'old.db'))
    const b = await open()
    b.audit.record({ type: 'system', actor: null, client: 'c', action: 'two', result: 'success' })
    b.close()
    copyFileSync(join(dir, 'old.db'), dataFiles(dataDir).database)
    const c = await open()
    expect(c.audit.brokenReason).toMatch(/does not reach the outside checkpoint/)
    expect(c.audit.verify().problems[0]).toMatchObject({ kind: 'truncated' })
    c.close() // must not move the outside checkpoint back: the evidence stays
    const d = await open()
    expect(d.audit.verify().ok).toBe(false)
    d.close()
  })

  it('refuses an outside checkpoint that was edited', () => {
    const file = dataFiles(t.dataDir).auditCheckpoint
    expect(existsSync(file)).toBe(true)
    const cp = JSON.parse(readFileSync(file, 'utf8'))
    writeFileSync(file, JSON.stringify({ ...cp, count: 3 }))
    expect(first()).toMatchObject({ kind: 'bad-signature' })
  })

  it(`signs a checkpoint every ${CHECKPOINT_EVERY} entries`, () => {
    t.core.audit.recordMany(
      Array.from({ length: CHECKPOINT_EVERY }, (_, i) => ({
        type: 'system' as const,
        actor: null,
        client: 'c',
        action: `bulk${i}`,
        result: 'success' as const,
      })),
    )
    expect(t.core.audit.verify()).toMatchObject({ ok: true, entries: 6 + CHECKPOINT_EVERY, checkpoints: 1 })
  })

  it('pages newest first', () => {
    const page = t.core.audit.recent(2)
    expect(page.entries.map((e) => e.action)).toEqual(['act6', 'act5'])
    expect(page.total).toBe(6)
    expect(t.core.audit.recent(2, page.entries[1]!.seq).entries.map((e) => e.action)).toEqual([
      'act4',
      'act3',
    ])
  })
})
