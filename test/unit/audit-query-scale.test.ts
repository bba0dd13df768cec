import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openDatabase, type Db } from '../../src/main/db/connection'
import { MIGRATIONS } from '../../src/main/db/migrations/index'
import type { AuditEvent, AuditRow, Risk } from '../../src/main/engines/audit/audit-log'
import {
  auditMetrics,
  RISK_WEIGHT,
  searchAudit,
  type AuditFilter,
  type AuditMetrics,
} from '../../src/main/engines/audit/audit-query'
import { KIND_SQL } from '../../src/main/engines/audit/audit-rollup'
import { AUDIT_EVENT_TYPES } from '../../src/shared/contract'
import { tempConsole, type TestConsole } from '../support/temp-console'

/** A small seeded generator (mulberry32), so a failure can be replayed. */
function rng(seed: number) {
  let a = seed
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
type Rand = () => number
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!

const ACTORS = ['alice', 'bob', 'carol', null] as const
const CLIENTS = ['ipc:1', 'ipc:2', 'http:10.0.0.7', 'http:10.0.0.8'] as const
const RESOURCES = ['user:1', 'user:2', 'vault:9', null, null] as const
const RISKS: readonly Risk[] = ['low', 'medium', 'high', 'critical']

function randomEvent(r: Rand): AuditEvent {
  return {
    type: pick(r, AUDIT_EVENT_TYPES),
    actor: pick(r, ACTORS),
    client: pick(r, CLIENTS),
    action: pick(r, ['auth.login', 'users.list', 'vault.export']),
    resource: pick(r, RESOURCES),
    result: r() < 0.3 ? 'failure' : 'success',
    risk: pick(r, RISKS),
    dataType: pick(r, [null, null, 'personal', 'health'] as const),
    details: r() < 0.2 ? { code: 'FORBIDDEN', note: 'refused' } : { note: pick(r, ['alpha', 'beta gamma']) },
  }
}

/**
 * Appends `n` random entries in random batches while the clock moves 0–40 minutes per batch (and, with
 * `backwards`, sometimes two hours back, as a clock set back would).
 */
function fill(t: TestConsole, r: Rand, n: number, backwards: boolean): void {
  let left = n
  while (left > 0) {
    const size = Math.min(left, 1 + Math.floor(r() * 12))
    t.core.audit.recordMany(Array.from({ length: size }, () => randomEvent(r)))
    left -= size
    t.clock.advance(backwards && r() < 0.08 ? -2 * 3_600_000 : Math.floor(r() * 40 * 60_000))
  }
}

/** The metrics computed the plain way, from every entry of the period (the definition the rollups must meet). */
function naiveMetrics(db: Db, from?: string, to?: string): AuditMetrics {
  const all = (db.prepare(`SELECT * FROM audit_log ORDER BY seq`).all() as AuditRow[]).filter(
    (e) =>
      (from === undefined || e.time >= new Date(from).toISOString()) &&
      (to === undefined || e.time < new Date(to).toISOString()),
  )
  const count = (f: (e: AuditRow) => boolean) => all.filter(f).length
  const span = from && to ? Date.parse(to) - Date.parse(from) : Number.POSITIVE_INFINITY
  const len = span <= 2 * 86_400_000 ? 13 : 10
  const tally = <K extends string>(key: (e: AuditRow) => K | null) => {
    const m = new Map<K, { score: number; events: number }>()
    for (const e of all) {
      const k = key(e)
      if (k === null) continue
      const v = m.get(k) ?? { score: 0, events: 0 }
      v.score += RISK_WEIGHT[e.risk]
      v.events++
      m.set(k, v)
    }
    return m
  }
  const top = (m: Map<string, { score: number; events: number }>) =>
    [...m]
      .map(([name, v]) => ({ name, ...v }))
      .sort((a, b) => b.score - a.score || b.events - a.events || (a.name < b.name ? -1 : 1))
      .slice(0, 10)
  const counts = <K extends string>(key: (e: AuditRow) => K) => {
    const m = new Map<K, number>()
    for (const e of all) m.set(key(e), (m.get(key(e)) ?? 0) + 1)
    return m
  }
  const users = tally((e) => e.actor)
  const clients = tally((e) => e.client)
  const timeline = counts((e) => `${e.time.slice(0, len)}|${e.type}`)
  return {
    total: all.length,
    authentication: count((e) => e.type === 'authentication'),
    authorizationFailures: count(
      (e) =>
        (e.type === 'authorization' && e.result === 'failure') || e.details.includes('"code":"FORBIDDEN"'),
    ),
    dataAccess: count((e) => e.type === 'data_access'),
    highOrCritical: count((e) => e.risk === 'high' || e.risk === 'critical'),
    failures: count((e) => e.result === 'failure'),
    uniqueUsers: users.size,
    uniqueClients: clients.size,
    byType: [...counts((e) => e.type)].map(([type, count]) => ({ type, count })),
    byRisk: [...counts((e) => e.risk)].map(([risk, count]) => ({ risk, count })),
    topUsers: top(users),
    topClients: top(clients),
    timeline: [...timeline].map(([k, count]) => {
      const [bucket, type] = k.split('|') as [string, string]
      return { bucket, type, count }
    }),
  }
}

/** Order-insensitive where the API leaves order open (ties), exact everywhere else. */
function comparable(m: AuditMetrics) {
  const byKey = <T>(xs: T[], key: (x: T) => string) => [...xs].sort((a, b) => (key(a) < key(b) ? -1 : 1))
  return {
    ...m,
    byType: byKey(m.byType, (x) => x.type),
    byRisk: byKey(m.byRisk, (x) => x.risk),
    timeline: byKey(m.timeline, (x) => `${x.bucket}|${x.type}`),
  }
}

function matches(e: AuditRow, f: AuditFilter): boolean {
  const words = (f.text ?? '').split(/\s+/).filter(Boolean)
  return (
    (f.actor === undefined || e.actor === f.actor) &&
    (f.type === undefined || e.type === f.type) &&
    (f.client === undefined || e.client === f.client) &&
    (f.resource === undefined || e.resource === f.resource) &&
    (f.result === undefined || e.result === f.result) &&
    (f.risk === undefined || e.risk === f.risk) &&
    (f.from === undefined || e.time >= new Date(f.from).toISOString()) &&
    (f.to === undefined || e.time < new Date(f.to).toISOString()) &&
    words.every((w) => `${e.details} ${e.action} ${e.resource ?? ''}`.toLowerCase().includes(w.toLowerCase()))
  )
}

function randomFilter(r: Rand, times: string[]): AuditFilter {
  const f: AuditFilter = {}
  if (r() < 0.35) f.actor = pick(r, ['alice', 'bob', 'carol', 'nobody'])
  if (r() < 0.35) f.type = pick(r, AUDIT_EVENT_TYPES)
  if (r() < 0.25) f.client = pick(r, CLIENTS)
  if (r() < 0.2) f.resource = pick(r, ['user:1', 'user:2', 'vault:9'])
  if (r() < 0.3) f.result = r() < 0.5 ? 'failure' : 'success'
  if (r() < 0.3) f.risk = pick(r, RISKS)
  if (r() < 0.15) f.text = pick(r, ['refused', 'gamma', 'beta gamma', 'alpha'])
  if (r() < 0.35) {
    const [a, b] = [pick(r, times), pick(r, times)].sort()
    f.from = a
    f.to = r() < 0.2 ? a : b // sometimes an empty period
  }
  return f
}

let t: TestConsole
beforeEach(async () => {
  t = await tempConsole()
})
afterEach(() => t.cleanup())

describe('audit rollups', () => {
  it('give the same metrics as counting every entry, for whole and cut hours, after random appends', () => {
    const r = rng(7)
    fill(t, r, 900, false)
    const times = (t.core.db.prepare(`SELECT time FROM audit_log`).pluck().all() as string[]).sort()
    const periods: [string | undefined, string | undefined][] = [[undefined, undefined]]
    for (let i = 0; i < 25; i++) {
      const ms = [Date.parse(pick(r, times)), Date.parse(pick(r, times))].sort((a, b) => a - b)
      // bounds inside hours, on entries, and an hour of slack either way
      const jitter = () => Math.floor((r() - 0.5) * 3_600_000)
      periods.push([new Date(ms[0]! + jitter()).toISOString(), new Date(ms[1]! + jitter()).toISOString()])
    }
    periods.push([times[0], undefined], [undefined, times.at(-1)])
    for (const [from, to] of periods) {
      expect(comparable(auditMetrics(t.core.db, from, to)), `${from} – ${to}`).toEqual(
        comparable(naiveMetrics(t.core.db, from, to)),
      )
    }
  })

  it('stay exact when the clock is set back (entries out of time order)', () => {
    const r = rng(11)
    fill(t, r, 600, true)
    expect(t.core.db.prepare(`SELECT value FROM meta WHERE key = 'audit_time_disorder'`).pluck().get()).toBe(
      '1',
    )
    const times = (t.core.db.prepare(`SELECT time FROM audit_log`).pluck().all() as string[]).sort()
    for (let i = 0; i < 20; i++) {
      const [a, b] = [pick(r, times), pick(r, times)].sort()
      expect(comparable(auditMetrics(t.core.db, a, b))).toEqual(comparable(naiveMetrics(t.core.db, a, b)))
    }
  })

  it('subtract entries removed by retention', () => {
    fill(t, rng(3), 300, false)
    const db = t.core.db
    db.prepare(
      `INSERT INTO audit_cuts (seq, hash, time, first_seq, archive_name, archive_digest, signature) VALUES (120, 'h', 't', 1, 'a', 'd', 's')`,
    ).run()
    db.prepare(`DELETE FROM audit_log WHERE seq <= 120`).run()
    expect(comparable(auditMetrics(db))).toEqual(comparable(naiveMetrics(db)))
    expect(auditMetrics(db).total).toBe(180)
  })

  it('accept bounds with an offset or without milliseconds as the same instants', () => {
    fill(t, rng(5), 200, false)
    const times = t.core.db.prepare(`SELECT time FROM audit_log ORDER BY seq`).pluck().all() as string[]
    const from = times[50]!
    const to = times[150]!
    const shifted = (iso: string) => {
      const d = new Date(Date.parse(iso) + 2 * 3_600_000).toISOString()
      return `${d.slice(0, 19)}.${d.slice(20, 23)}+02:00`
    }
    expect(auditMetrics(t.core.db, shifted(from), shifted(to))).toEqual(auditMetrics(t.core.db, from, to))
    const a = searchAudit(t.core.db, { from: shifted(from), to: shifted(to) }, 500).entries
    expect(a.map((e) => e.seq)).toEqual(searchAudit(t.core.db, { from, to }, 500).entries.map((e) => e.seq))
    expect(a.every((e) => e.time >= from && e.time < to)).toBe(true)
  })
})

describe('audit search: keyset pagination', () => {
  for (const backwards of [false, true]) {
    it(`returns every matching entry exactly once, newest first, for random filters${backwards ? ' (clock set back)' : ''}`, () => {
      const r = rng(backwards ? 23 : 19)
      fill(t, r, 700, backwards)
      t.core.audit.indexForSearch()
      const all = t.core.db.prepare(`SELECT * FROM audit_log ORDER BY seq DESC`).all() as AuditRow[]
      const times = all.map((e) => e.time)
      for (let i = 0; i < 60; i++) {
        const f = randomFilter(r, times)
        const size = 1 + Math.floor(r() * 40)
        const seen: number[] = []
        let before: number | undefined
        for (let pages = 0; pages < 1000; pages++) {
          const page = searchAudit(t.core.db, f, size, before)
          expect(page.entries.length).toBeLessThanOrEqual(size)
          seen.push(...page.entries.map((e) => e.seq))
          if (!page.hasMore) break
          expect(page.entries).toHaveLength(size)
          before = page.entries.at(-1)!.seq
        }
        expect(seen, JSON.stringify(f)).toEqual(all.filter((e) => matches(e, f)).map((e) => e.seq))
      }
    })
  }
})

describe('migration 0008', () => {
  it('indexes the same kind expression the queries use', () => {
    const sql = t.core.db
      .prepare(`SELECT sql FROM sqlite_schema WHERE type = 'index' AND name LIKE 'audit_%kind_seq'`)
      .pluck()
      .all() as string[]
    expect(sql).toHaveLength(4)
    for (const s of sql) expect(s).toContain(KIND_SQL)
  })

  it('builds the rollups from a log written before it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'qqsec-0008-'))
    try {
      const path = join(dir, 'db.sqlite')
      const old = openDatabase(path, { migrations: MIGRATIONS.filter((m) => m.version < 8) })
      const r = rng(29)
      const insert = old.prepare(
        `INSERT INTO audit_log (seq, time, type, actor, client, session, action, resource, result, data_type, risk, details, prev_hash, hash)
         VALUES (?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, 'p', 'h')`,
      )
      let ms = Date.parse('2026-03-01T00:00:00Z')
      for (let seq = 1; seq <= 400; seq++) {
        const e = randomEvent(r)
        ms += Math.floor(r() * 20 * 60_000)
        insert.run(
          seq,
          new Date(ms).toISOString(),
          e.type,
          e.actor,
          e.client,
          e.action,
          e.resource ?? null,
          e.result,
          e.dataType ?? null,
          e.risk ?? 'low',
          JSON.stringify(e.details),
        )
      }
      old.close()
      const db = openDatabase(path)
      try {
        expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.at(-1)!.version)
        expect(comparable(auditMetrics(db))).toEqual(comparable(naiveMetrics(db)))
        const mid = new Date(Date.parse('2026-03-01T00:00:00Z') + 30 * 3_600_000 + 1234).toISOString()
        expect(comparable(auditMetrics(db, mid))).toEqual(comparable(naiveMetrics(db, mid)))
        expect(db.prepare(`SELECT value FROM meta WHERE key = 'audit_time_disorder'`).get()).toBeUndefined()
      } finally {
        db.close()
      }
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
