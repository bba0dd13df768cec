import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CallInput, CallName, CallOutput } from '../../src/shared/contract'
import type { Caller } from '../../src/main/ipc/caller'
import { scanProject, type ScanProgress } from '../../src/main/engines/scanner/scan'
import { signedInAdmin, tempConsole, type TestConsole } from '../support/temp-console'

/** Progress while the scanner lists the folder (phase "listing", files found so far), and cancel during it. */
let tree: string
const DIRS = 600
const PER_DIR = 25
beforeAll(() => {
  tree = mkdtempSync(join(tmpdir(), 'qqsec-listing-'))
  for (let d = 0; d < DIRS; d++) {
    const dir = join(tree, `pkg${Math.floor(d / 30)}`, `dir${d}`)
    mkdirSync(dir, { recursive: true })
    for (let f = 0; f < PER_DIR; f++) writeFileSync(join(dir, `f${f}.txt`), 'plain text\n')
  }
})
afterAll(() => rmSync(tree, { recursive: true, force: true }))

describe('scanner: listing the folder', () => {
  it('reports files found so far while listing, then scans with the total', async () => {
    const seen: ScanProgress[] = []
    const report = await scanProject(tree, {
      advisories: null,
      now: Date.parse('2026-01-01T00:00:00Z'),
      listingSliceMs: 0, // a turn of the event loop after every folder
      onProgress: (p) => seen.push({ ...p }),
    })
    expect(report.summary.files).toBe(DIRS * PER_DIR)
    const listing = seen.filter((p) => p.phase === 'listing')
    const firstScanning = seen.findIndex((p) => p.phase === 'scanning')
    expect(listing.length).toBeGreaterThan(DIRS / 2)
    // every listing event comes before the first scanning one, with a growing count and the folder being read
    expect(seen.slice(0, firstScanning).every((p) => p.phase === 'listing')).toBe(true)
    const counts = listing.map((p) => p.done)
    expect(counts).toEqual([...counts].sort((a, b) => a - b))
    expect(counts.at(-1)).toBe(DIRS * PER_DIR)
    expect(listing.some((p) => p.total === null && p.current?.startsWith('pkg'))).toBe(true)
    expect(seen[firstScanning]).toMatchObject({ phase: 'scanning', total: DIRS * PER_DIR })
  })

  it('stops listing when cancelled, before any file is scanned', async () => {
    const ac = new AbortController()
    const seen: ScanProgress[] = []
    const run = scanProject(tree, {
      advisories: null,
      now: Date.parse('2026-01-01T00:00:00Z'),
      listingSliceMs: 0,
      signal: ac.signal,
      onProgress: (p) => {
        seen.push({ ...p })
        if (p.phase === 'listing' && p.done >= PER_DIR * 10) ac.abort()
      },
    })
    await expect(run).rejects.toMatchObject({ code: 'CANCELLED' })
    expect(seen.some((p) => p.phase === 'scanning')).toBe(false)
    expect(seen.at(-1)!.done).toBeLessThan(DIRS * PER_DIR)
  })
})

describe('scan job: progress and cancel during listing', () => {
  let t: TestConsole
  let admin: Caller
  beforeAll(async () => {
    t = await tempConsole()
    admin = await signedInAdmin(t)
  })
  afterAll(() => t.cleanup())

  async function invoke<N extends CallName>(name: N, input: CallInput<N>): Promise<CallOutput<N>> {
    const r = await t.core.invoke(admin, name, input)
    if (!r.ok) throw new Error(`${name}: ${r.error.code} ${r.error.message}`)
    return r.value as CallOutput<N>
  }
  const turn = () => new Promise<void>((r) => setImmediate(r))

  it('shows "files found" while listing, and a cancel then stops the job with nothing recorded', async () => {
    const job = await invoke('scans.start', { root: tree })
    let seen = await invoke('jobs.get', { jobId: job.id })
    // the listing gives the event loop a turn every 25 ms: the job can be read (and cancelled) meanwhile
    while (seen.state === 'running' && !(seen.progress.unit === 'files found' && seen.progress.done > 0)) {
      await turn()
      seen = await invoke('jobs.get', { jobId: job.id })
    }
    expect(seen).toMatchObject({ state: 'running', progress: { unit: 'files found', total: null } })
    expect(seen.progress.done).toBeGreaterThan(0)
    expect(seen.progress.done).toBeLessThan(DIRS * PER_DIR)
    await invoke('jobs.cancel', { jobId: job.id })
    const done = await t.core.jobs.wait(job.id, t.core.users.idOf('alice'))
    expect(done.state).toBe('cancelled')
    expect(done.progress.unit).toBe('files found') // it never reached the scanning phase
    expect(t.core.db.prepare(`SELECT count(*) AS n FROM scans`).get()).toEqual({ n: 0 })
  })
})
