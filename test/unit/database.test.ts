import { createHash } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { APPLICATION_ID, openDatabase } from '../../src/main/db/connection'
import { MIGRATIONS } from '../../src/main/db/migrations/index'
import { tempDir } from '../support/temp-console'
import { refusalSync } from '../support/refusal'

const sha = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex')

describe('the database', () => {
  it('migrates a new file: WAL, foreign keys, FULL sync, our application id, latest schema', () => {
    const db = openDatabase(join(tempDir(), 'c.db'))
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1)
    expect(db.pragma('synchronous', { simple: true })).toBe(2)
    expect(db.pragma('application_id', { simple: true })).toBe(APPLICATION_ID)
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.at(-1)!.version)
    const strict = db
      .prepare(
        `SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table' AND strict = 0 AND name NOT LIKE 'sqlite_%'`,
      )
      .all()
    expect(strict).toEqual([])
    db.close()
  })

  it('reopens without re-running migrations', () => {
    const path = join(tempDir(), 'c.db')
    openDatabase(path).close()
    const db = openDatabase(path)
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.at(-1)!.version)
    db.close()
  })

  it('refuses a database written by a newer console, and leaves it as it was', () => {
    const path = join(tempDir(), 'c.db')
    const db = openDatabase(path)
    db.pragma('user_version = 999')
    db.pragma('wal_checkpoint(TRUNCATE)')
    db.close()
    const before = sha(path)
    expect(refusalSync(() => openDatabase(path)).message).toMatch(/newer console \(schema 999/)
    expect(sha(path)).toBe(before)
  })

  it("refuses another program's SQLite database", () => {
    const path = join(tempDir(), 'other.db')
    const other = new Database(path)
    other.exec(`CREATE TABLE photos (id INTEGER)`)
    other.close()
    const before = sha(path)
    expect(refusalSync(() => openDatabase(path)).message).toMatch(/another program/)
    expect(sha(path)).toBe(before)
  })

  it('refuses a file that is not SQLite at all, and changes nothing', () => {
    const path = join(tempDir(), 'c.db')
    writeFileSync(path, 'this is not a database, just text that happens to be here\n'.repeat(50))
    const before = sha(path)
    const e = refusalSync(() => openDatabase(path))
    expect(e.code).toBe('UNAVAILABLE')
    expect(e.message).toMatch(/not a SQLite database/)
    expect(sha(path)).toBe(before)
  })

  it('reports a damaged database instead of crashing', () => {
    const path = join(tempDir(), 'c.db')
    const db = openDatabase(path)
    db.prepare(`INSERT INTO meta (key, value) VALUES (?, ?)`).run('k', 'v'.repeat(5000))
    db.pragma('wal_checkpoint(TRUNCATE)')
    db.close()
    const buf = readFileSync(path)
    buf.fill(0xa5, 4096, buf.length) // keep the header, garble every page after the first
    writeFileSync(path, buf)
    expect(refusalSync(() => openDatabase(path)).code).toBe('UNAVAILABLE')
  })

  it('keeps the audit log append-only', () => {
    const db = openDatabase(join(tempDir(), 'c.db'))
    db.prepare(
      `INSERT INTO audit_log (seq, time, type, actor, client, action, result, risk, details, prev_hash, hash) VALUES (1, 't', 'system', NULL, 'c', 'a', 'success', 'low', '{}', 'p', 'h')`,
    ).run()
    expect(() => db.prepare(`UPDATE audit_log SET actor = 'x'`).run()).toThrow(/append-only/)
    expect(() => db.prepare(`DELETE FROM audit_log`).run()).toThrow(/append-only/)
    db.close()
  })
})
