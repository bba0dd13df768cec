import { cpSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { CallInput, CallName, CallOutput } from '../../src/shared/contract'
import type { Caller } from '../../src/main/ipc/caller'
import { signedInAdmin, tempConsole, type TestConsole } from '../support/temp-console'
import { expectOk } from '../support/pipeline-calls'

const FIX = fileURLToPath(new URL('../fixtures/scanner/', import.meta.url))

describe('scanner calls: advisories, recorded scans with tracking, waivers', () => {
  let t: TestConsole
  let admin: Caller
  let work: string
  beforeEach(async () => {
    t = await tempConsole()
    admin = await signedInAdmin(t)
    work = mkdtempSync(join(tmpdir(), 'qqsec-scanproj-'))
    cpSync(join(FIX, 'app'), work, { recursive: true })
  })
  afterEach(() => {
    t.cleanup()
    rmSync(work, { recursive: true, force: true })
  })

  const invoke = <N extends CallName>(name: N, input: CallInput<N>) => expectOk(t.core, admin, name, input)
  const userId = () => t.core.users.idOf('alice')
  const runJob = async (job: CallOutput<'jobs.get'>) => {
    const done = await t.core.jobs.wait(job.id, userId())
    expect(done.error).toBeNull()
    expect(done.state).toBe('done')
    return done
  }
  const scan = async () => {
    const done = await runJob(await invoke('scans.start', { root: work }))
    expect(done.progress.total).toBeGreaterThan(0)
    return invoke('scans.get', { scanId: String(done.result!.scanId) })
  }

  it('imports advisories as a job (re-import updates in place) and reports status', async () => {
    const before = await invoke('advisories.status', {})
    expect(before).toMatchObject({ count: 0, stale: true })
    expect(before.warning).toMatch(/qqsec db import/)
    const first = await runJob(await invoke('advisories.import', { path: join(FIX, 'advisories') }))
    expect(first.result).toMatchObject({ added: 5, updated: 0, skipped: 0 })
    const again = await runJob(await invoke('advisories.import', { path: join(FIX, 'advisories') }))
    expect(again.result).toMatchObject({ added: 0, unchanged: 5 })
    const st = await invoke('advisories.status', {})
    expect(st).toMatchObject({ count: 5, source: join(FIX, 'advisories') })
    const bad = await t.core.invoke(admin, 'advisories.import', { path: join(work, 'missing') })
    expect(bad.ok).toBe(true) // the job starts; it fails with the reason
    const failed = await t.core.jobs.wait((bad as { value: { id: string } }).value.id, userId())
    expect(failed.error?.message).toMatch(/does not exist/)
    expect(t.core.audit.recent(100).entries.some((e) => e.action === 'advisories.imported')).toBe(true)
  })

  it('records scans: new, still open, fixed, accepted by a waiver; expired waivers resurface findings', async () => {
    await runJob(await invoke('advisories.import', { path: join(FIX, 'advisories') }))
    const s1 = await scan()
    expect(s1.tracking).toMatchObject({ previousScanId: null, open: 0, accepted: 0 })
    expect(s1.tracking.new).toBe(s1.findings.length)
    const dep = s1.findings.find((f) => f.kind === 'dependency' && f.package === 'demo-parser')!
    expect(dep).toMatchObject({ ids: ['GHSA-demo-0001-aaaa', 'CVE-2099-0001'], status: 'new' })
    expect(dep.fixedVersions!.length).toBeGreaterThan(0)
    expect(dep.path!.length).toBeGreaterThan(0)
    expect(Array.isArray(dep.references)).toBe(true)

    const w = await invoke('waivers.create', {
      domain: 'scanner',
      scope: { kind: 'advisory', value: 'CVE-2099-0001' },
      reason: 'parser only reads our own files',
      owner: 'alice',
      approver: 'bob',
      expiresAt: new Date(t.clock.now() + 5 * 60_000).toISOString(),
    })
    rmSync(join(work, 'src'), { recursive: true, force: true }) // fixes the source findings
    const s2 = await scan()
    expect(s2.tracking.previousScanId).toBe(s1.id)
    expect(s2.tracking.new).toBe(0)
    expect(s2.tracking.fixed.length).toBeGreaterThan(0)
    const accepted = s2.findings.find((f) => f.fingerprint === dep.fingerprint)!
    expect(accepted).toMatchObject({ status: 'accepted', accepted: { source: 'waiver', ref: w.id } })
    expect(s2.tracking.accepted).toBe(1)
    expect(s2.tracking.open).toBe(s2.findings.length - 1)
    expect((await invoke('scans.get', { scanId: s2.id, status: 'accepted' })).findings).toHaveLength(1)

    t.clock.advance(6 * 60_000) // past the waiver's expiry, within the session
    const s3 = await scan()
    expect(s3.findings.find((f) => f.fingerprint === dep.fingerprint)?.status).toBe('open')
    expect(s3.warnings.some((x) => x.includes(w.id) && x.includes('expired'))).toBe(true)

    const hist = await invoke('scans.list', { root: work })
    expect(hist.total).toBe(3)
    expect(hist.scans.map((s) => s.id)).toEqual([s3.id, s2.id, s1.id])
    expect(hist.scans[1]).toMatchObject({ accepted: 1, new: 0, user: 'alice' })
    const plan = await invoke('scans.remediation', { scanId: s3.id })
    expect(plan.actions.some((a) => a.kind === 'upgrade')).toBe(true)
    const sarif = await invoke('scans.export', { scanId: s3.id, format: 'sarif' })
    expect(JSON.parse(sarif.text)).toMatchObject({ version: '2.1.0' })
    expect(sarif.mediaType).toBe('application/sarif+json')
    const scanAudit = t.core.audit.recent(200).entries.filter((e) => e.type === 'scan')
    expect(scanAudit.filter((e) => e.action === 'scan.completed')).toHaveLength(3)
    const created = t.core.audit.recent(200).entries.find((e) => e.action === 'waivers.create')
    expect(created).toMatchObject({ resource: `waiver:${w.id}`, result: 'success' })
    expect(JSON.parse(String(created?.details))).toMatchObject({
      scope: 'advisory:CVE-2099-0001',
      approver: 'bob',
    })
  })

  it('a scan job can be cancelled; a relative path is refused at the boundary', async () => {
    const job = await invoke('scans.start', { root: work })
    t.core.jobs.cancel(job.id, userId())
    expect((await t.core.jobs.wait(job.id, userId())).state).toBe('cancelled')
    const rel = await t.core.invoke(admin, 'scans.start', { root: 'relative/dir' })
    expect(rel.ok).toBe(false)
    expect(t.core.db.prepare(`SELECT count(*) AS n FROM scans`).get()).toEqual({ n: 0 })
  })
})
