import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { CallInput, CallName } from '../../src/shared/contract'
import type { Caller } from '../../src/main/ipc/caller'
import { totpAt } from '../../src/main/engines/auth/one-time-codes'
import {
  signedInAdmin,
  STRONG_PASSWORD,
  tempConsole,
  testCaller,
  type TestConsole,
} from '../support/temp-console'
import { expectOk } from '../support/pipeline-calls'

const FIX = fileURLToPath(new URL('../fixtures/scanner/', import.meta.url))
const MIN = 60_000

/**
 * Acceptance on recorded scans is read-time: a waiver created after a scan accepts its findings at once, an
 * expired or revoked one resurfaces them, without a rescan and without changing the stored record.
 */
describe('recorded scans read against the current waivers', () => {
  let t: TestConsole
  let admin: Caller & { totpSecret: string }
  let work: string
  beforeEach(async () => {
    t = await tempConsole()
    admin = await signedInAdmin(t)
    work = mkdtempSync(join(tmpdir(), 'qqsec-scanlive-'))
    cpSync(join(FIX, 'app'), work, { recursive: true })
  })
  afterEach(() => {
    t.cleanup()
    rmSync(work, { recursive: true, force: true })
  })

  const invoke = <N extends CallName>(name: N, input: CallInput<N>) => expectOk(t.core, admin, name, input)
  /** Move the manual clock on, then sign in again (a long step outlives the session's idle limit). */
  const advance = async (ms: number) => {
    t.clock.advance(ms)
    const caller = { ...testCaller(), totpSecret: admin.totpSecret }
    const login = await t.core.invoke(caller, 'auth.login', {
      name: 'alice',
      password: STRONG_PASSWORD,
      otp: totpAt(admin.totpSecret, t.clock.now()),
    })
    if (!login.ok) throw new Error(`login failed: ${login.error.message}`)
    admin = caller
    t.clock.advance(30_000) // the next code is a new time step
  }
  const userId = () => t.core.users.idOf('alice')
  const scan = async () => {
    const job = await invoke('scans.start', { root: work, advisoriesPath: join(FIX, 'advisories') })
    const done = await t.core.jobs.wait(job.id, userId())
    expect(done.state, done.error?.message).toBe('done')
    return invoke('scans.get', { scanId: String(done.result!.scanId) })
  }
  const stored = (id: string) =>
    (t.core.db.prepare(`SELECT report, risk_score, summary FROM scans WHERE id = ?`).get(id) as object) ??
    null
  const storedStatuses = (id: string) =>
    t.core.db.prepare(`SELECT fingerprint, status FROM scan_findings WHERE scan_id = ? ORDER BY 1`).all(id)

  it('accepting a finding shows it accepted at once; past the expiry it is open again', async () => {
    const s = await scan()
    const dep = s.findings.find((f) => f.kind === 'dependency' && f.package === 'demo-parser')!
    expect(dep).toMatchObject({ status: 'new', accepted: null, severity: 'critical' })
    expect(s.riskScore).toBe(s.riskScoreWithAccepted)
    const record = stored(s.id)
    const statuses = storedStatuses(s.id)
    const openCritical = s.summary.bySeverity.critical

    const w = await invoke('waivers.create', {
      domain: 'scanner',
      scope: { kind: 'advisory', value: 'GHSA-demo-0001-aaaa' },
      reason: 'parser only reads our own files',
      owner: 'alice',
      expiresAt: new Date(t.clock.now() + 30 * MIN).toISOString(),
    })
    const now = await invoke('scans.get', { scanId: s.id })
    const f = now.findings.find((x) => x.fingerprint === dep.fingerprint)!
    expect(f).toMatchObject({ status: 'accepted', accepted: { source: 'waiver', ref: w.id } })
    expect(now.summary.accepted).toBe(s.summary.accepted + 1)
    expect(now.summary.bySeverity.critical).toBe(openCritical - 1)
    expect(now.tracking).toMatchObject({ accepted: s.tracking.accepted + 1, new: s.tracking.new - 1 })
    expect(now.acceptanceAsOf).toBe(new Date(t.clock.now()).toISOString())
    // the risk score leaves the accepted finding out; the other figure and the recorded one keep it
    expect(now.riskScoreWithAccepted).toBe(s.riskScoreWithAccepted)
    expect(now.recorded).toEqual({ riskScore: s.riskScore, accepted: s.summary.accepted })
    expect(now.riskScore).toBeLessThanOrEqual(s.riskScore)
    const accepted = await invoke('scans.get', { scanId: s.id, status: 'accepted' })
    expect(accepted.findings.map((x) => x.fingerprint)).toContain(dep.fingerprint)
    const exported = JSON.parse((await invoke('scans.export', { scanId: s.id, format: 'json' })).text) as {
      findings: { fingerprint: string; status: string }[]
    }
    expect(exported.findings.find((x) => x.fingerprint === dep.fingerprint)?.status).toBe('accepted')
    const plan = await invoke('scans.remediation', { scanId: s.id })
    expect(plan.actions.flatMap((a) => a.resolves)).not.toContain(dep.fingerprint)
    const planBefore = (await invoke('scans.remediation', { scanId: s.id })).actions.length

    await advance(31 * MIN) // past the waiver's expiry
    const later = await invoke('scans.get', { scanId: s.id })
    expect(later.findings.find((x) => x.fingerprint === dep.fingerprint)).toMatchObject({
      status: 'new', // the first scan of this folder: not seen before
      accepted: null,
    })
    expect(later.summary.bySeverity.critical).toBe(openCritical)
    expect(later.riskScore).toBe(s.riskScore)
    expect(later.warnings.some((x) => x.includes(w.id) && x.includes('expired'))).toBe(true)
    expect((await invoke('scans.remediation', { scanId: s.id })).actions.length).toBeGreaterThanOrEqual(
      planBefore,
    )
    // the record itself never changed
    expect(stored(s.id)).toEqual(record)
    expect(storedStatuses(s.id)).toEqual(statuses)
  })

  it('a finding accepted when recorded resurfaces once its waiver is revoked, as still open', async () => {
    const first = await scan()
    const w = await invoke('waivers.create', {
      domain: 'scanner',
      scope: { kind: 'package', value: 'demo-parser@<1.5.0' },
      reason: 'replaced next sprint',
      owner: 'alice',
      expiresAt: new Date(t.clock.now() + 60 * MIN).toISOString(),
    })
    t.clock.advance(MIN)
    const second = await scan()
    const dep = second.findings.find((f) => f.kind === 'dependency' && f.package === 'demo-parser')!
    expect(dep).toMatchObject({ status: 'accepted', accepted: { ref: w.id } })
    expect(first.findings.some((f) => f.fingerprint === dep.fingerprint)).toBe(true)
    await invoke('waivers.revoke', { waiverId: w.id, reason: 'no longer justified' })
    const now = await invoke('scans.get', { scanId: second.id })
    // seen in the scan before, so "still open" rather than new
    expect(now.findings.find((f) => f.fingerprint === dep.fingerprint)).toMatchObject({
      status: 'open',
      accepted: null,
    })
    expect(now.tracking.accepted).toBe(second.tracking.accepted - 1)
    expect(now.tracking.open).toBe(second.tracking.open + 1)
  })

  it('an ignore-file entry that has expired since the scan no longer accepts', async () => {
    writeFileSync(
      join(work, '.qqsec-ignore.yaml'),
      'ignore:\n  - id: GHSA-demo-0001-aaaa\n    reason: vendored copy, patched\n    expires: 2026-01-02\n',
    )
    const s = await scan() // the manual clock starts on 2026-01-01
    const dep = s.findings.find((f) => f.kind === 'dependency' && f.package === 'demo-parser')!
    expect(dep).toMatchObject({ status: 'accepted', accepted: { source: 'ignore-file' } })
    await advance(24 * 60 * MIN) // 2026-01-02: still the last day
    expect(
      (await invoke('scans.get', { scanId: s.id })).findings.find((f) => f.fingerprint === dep.fingerprint)
        ?.status,
    ).toBe('accepted')
    await advance(24 * 60 * MIN) // 2026-01-03
    const later = await invoke('scans.get', { scanId: s.id })
    expect(later.findings.find((f) => f.fingerprint === dep.fingerprint)?.status).toBe('new')
    expect(later.warnings.some((x) => x.includes('.qqsec-ignore.yaml') && x.includes('2026-01-02'))).toBe(
      true,
    )
  })
})
