import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { chainHash, type AuditRow } from '../../src/main/engines/audit/audit-log'
import { toCef, toJsonLine, toSyslog } from '../../src/main/engines/audit/audit-export'
import { auditMetrics, ftsQuery, pageAudit, searchAudit } from '../../src/main/engines/audit/audit-query'
import { tempConsole, type TestConsole } from '../support/temp-console'

let t: TestConsole
beforeEach(async () => {
  t = await tempConsole()
  const a = t.core.audit
  a.record({
    type: 'authentication',
    actor: 'alice',
    client: 'http:127.0.0.1',
    action: 'auth.login',
    result: 'success',
  })
  t.clock.advance(60_000)
  a.record({
    type: 'authentication',
    actor: 'bob',
    client: 'ipc:3',
    action: 'auth.login',
    result: 'failure',
    risk: 'medium',
    details: { code: 'BAD_CREDENTIALS' },
  })
  t.clock.advance(60_000)
  a.record({
    type: 'data_access',
    actor: 'alice',
    client: 'ipc:3',
    action: 'users.list',
    result: 'success',
    resource: 'user:42',
    details: { note: 'quarterly review of accounts' },
  })
  t.clock.advance(60_000)
  a.record({
    type: 'authorization',
    actor: 'bob',
    client: 'ipc:3',
    action: 'users.lock',
    result: 'failure',
    risk: 'high',
    details: { code: 'FORBIDDEN' },
  })
})
afterEach(() => t.cleanup())

const actions = (rows: AuditRow[]) => rows.map((r) => r.action)

describe('audit search', () => {
  it('filters by each field, newest first', () => {
    const db = t.core.db
    expect(actions(searchAudit(db, { actor: 'bob' }, 10).entries)).toEqual(['users.lock', 'auth.login'])
    expect(actions(searchAudit(db, { type: 'authentication', result: 'failure' }, 10).entries)).toEqual([
      'auth.login',
    ])
    expect(actions(searchAudit(db, { risk: 'high' }, 10).entries)).toEqual(['users.lock'])
    expect(actions(searchAudit(db, { client: 'http:127.0.0.1' }, 10).entries)).toEqual(['auth.login'])
    expect(actions(searchAudit(db, { resource: 'user:42' }, 10).entries)).toEqual(['users.list'])
    expect(
      actions(
        searchAudit(db, { from: '2026-01-01T00:01:00.000Z', to: '2026-01-01T00:03:00.000Z' }, 10).entries,
      ),
    ).toEqual(['users.list', 'auth.login'])
  })

  it('finds words in the details with full-text search, and treats operators as words', () => {
    expect(t.core.audit.indexForSearch()).toBe(4)
    expect(t.core.audit.indexForSearch()).toBe(0)
    expect(actions(searchAudit(t.core.db, { text: 'quarterly accounts' }, 10).entries)).toEqual([
      'users.list',
    ])
    expect(searchAudit(t.core.db, { text: 'quarterly missing' }, 10).entries).toEqual([])
    expect(ftsQuery('a OR b" NEAR(')).toBe('"a" AND "OR" AND "b""" AND "NEAR("')
    expect(() => searchAudit(t.core.db, { text: 'review" OR "x' }, 10)).not.toThrow()
  })

  it('pages with a cursor and says when there is more', () => {
    const first = searchAudit(t.core.db, {}, 3)
    expect(first.hasMore).toBe(true)
    const rest = searchAudit(t.core.db, {}, 3, first.entries.at(-1)!.seq)
    expect(rest).toMatchObject({ hasMore: false })
    expect(actions(rest.entries)).toEqual(['auth.login'])
    expect(actions(pageAudit(t.core.db, {}, 2, 10).entries)).toEqual(['users.list', 'users.lock'])
  })
})

describe('audit metrics', () => {
  it('counts events, failures and weights risk per user and client', () => {
    const m = auditMetrics(t.core.db)
    expect(m).toMatchObject({
      total: 4,
      authentication: 2,
      dataAccess: 1,
      highOrCritical: 1,
      failures: 2,
      uniqueUsers: 2,
      uniqueClients: 2,
    })
    expect(m.authorizationFailures).toBeGreaterThanOrEqual(1)
    expect(m.topUsers[0]).toEqual({ name: 'bob', score: 3 + 5, events: 2 })
    expect(m.topClients[0]).toEqual({ name: 'ipc:3', score: 3 + 1 + 5, events: 3 })
    expect(m.timeline.reduce((n, b) => n + b.count, 0)).toBe(4)
  })
})

describe('audit export formats', () => {
  const sample = (): AuditRow => ({
    ...(t.core.db.prepare(`SELECT * FROM audit_log WHERE seq = 3`).get() as AuditRow),
    action: 'a|b=c',
    details: '{"note":"line1\\nline2 = x | y"}',
  })

  it('JSON Lines keep every chain field, so an export can be re-verified', () => {
    const original = t.core.db.prepare(`SELECT * FROM audit_log WHERE seq = 3`).get() as AuditRow
    const parsed = JSON.parse(toJsonLine(original)) as AuditRow & { details: unknown }
    const { seq: _s, hash, prev_hash, ...rest } = { ...parsed, details: JSON.stringify(parsed.details) }
    expect(chainHash(prev_hash, rest)).toBe(hash)
  })

  it('CEF escapes pipes in the header and equals signs and newlines in extensions', () => {
    const cef = toCef(sample())
    expect(cef).toMatch(/^CEF:0\|QQ-Verse\|Security Console\|[^|]+\|a\\\|b=c\|data_access\|3\|/)
    expect(cef).toContain('cs2={"note":"line1\\\\nline2 \\= x | y"}')
    expect(cef.trimEnd().split('\n')).toHaveLength(1)
  })

  it('syslog follows RFC 5424 with structured data, one line per entry', () => {
    const line = toSyslog(sample(), 'host')
    expect(line).toMatch(
      /^<110>1 2026-01-01T00:02:00\.000Z host qqsec - a\|b=c \[audit@32473 seq="3" type="data_access" /,
    )
    expect(line.trimEnd().split('\n')).toHaveLength(1)
  })
})
