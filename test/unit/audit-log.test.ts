import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { tempConsole, type TestConsole } from '../support/temp-console'

let t: TestConsole
beforeEach(async () => {
  t = await tempConsole()
  for (let i = 0; i < 5; i++) {
    t.core.audit.record({
      type: 'system',
      actor: 'alice',
      client: 'cli:test',
      action: `act${i}`,
      result: 'success',
    })
  }
})
afterEach(() => t.cleanup())

/** Tampering needs the append-only triggers out of the way, as an attacker with the file would. */
const tamper = (sql: string) => {
  t.core.db.exec(`DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;`)
  t.core.db.exec(sql)
}

describe('the audit chain', () => {
  it('verifies an untouched log', () => {
    expect(t.core.audit.verify()).toEqual({ ok: true, count: 5 })
  })

  it('names an edited entry', () => {
    tamper(`UPDATE audit_log SET actor = 'mallory' WHERE seq = 3`)
    expect(t.core.audit.verify()).toMatchObject({ ok: false, firstBad: 3, problem: 'entry 3 was altered' })
  })

  it('names a deleted entry', () => {
    tamper(`DELETE FROM audit_log WHERE seq = 2`)
    expect(t.core.audit.verify()).toMatchObject({ ok: false, firstBad: 2, problem: 'entry 2 is missing' })
  })

  it('pages newest first', () => {
    const page = t.core.audit.recent(2)
    expect(page.entries.map((e) => e.action)).toEqual(['act4', 'act3'])
    expect(page.total).toBe(5)
    expect(t.core.audit.recent(2, page.entries[1]!.seq).entries.map((e) => e.action)).toEqual([
      'act2',
      'act1',
    ])
  })
})
