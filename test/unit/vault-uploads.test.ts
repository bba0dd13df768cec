import { spawnSync } from 'node:child_process'
import { closeSync, copyFileSync, existsSync, openSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openConsole, type ConsoleCore } from '../../src/main/console-core'
import { totpAt } from '../../src/main/engines/auth/one-time-codes'
import { npyHeader } from '../../src/main/engines/vault/state-format'
import { UPLOAD_CHUNK_MAX_BYTES, VaultUploads } from '../../src/main/engines/vault/vault-uploads'
import { newOwner } from '../../src/main/engines/vault/owner-liveness'
import type { Caller } from '../../src/main/ipc/caller'
import { RateLimiter } from '../../src/main/ipc/rate-limiter'
import { silentLogger } from '../../src/main/platform/logger'
import type { JobView } from '../../src/shared/contract'
import { expectOk, expectRefusal } from '../support/pipeline-calls'
import {
  fastHasher,
  fileKeyStore,
  signedInAdmin,
  STRONG_PASSWORD,
  tempConsole,
  testCaller,
  type TestConsole,
} from '../support/temp-console'

let t: TestConsole
let admin: Caller & { totpSecret: string }

/** A normalized complex128 state of n qubits from a seeded generator (distinct bytes everywhere). */
function npy(n: number, seed = 7, scale = 1): Buffer {
  const len = 2 ** n
  const body = Buffer.alloc(len * 16)
  let x = seed
  const vals = Array.from({ length: len * 2 }, () => (x = (x * 16807) % 2147483647) / 2147483647 - 0.5)
  const norm = Math.sqrt(vals.reduce((s, v) => s + v * v, 0))
  vals.forEach((v, i) => body.writeDoubleLE((v / norm) * scale, i * 8))
  return Buffer.concat([npyHeader('<c16', len), body])
}

const uploadsDir = () => join(t.dataDir, 'vault', 'uploads')
const staged = () => (existsSync(uploadsDir()) ? readdirSync(uploadsDir()) : [])

async function begin(caller: Caller, bytes: Buffer, fileName = 'state.npy') {
  return expectOk(t.core, caller, 'vault.uploadBegin', { fileName, size: bytes.length })
}

async function send(caller: Caller, uploadId: string, bytes: Buffer, from = 0, to = bytes.length) {
  let last = { received: from, size: bytes.length, complete: false }
  for (let off = from; off < to; off += UPLOAD_CHUNK_MAX_BYTES) {
    const part = bytes.subarray(off, Math.min(to, off + UPLOAD_CHUNK_MAX_BYTES))
    last = await expectOk(t.core, caller, 'vault.uploadChunk', {
      uploadId,
      offset: off,
      content: part.toString('base64'),
    })
  }
  return last
}

async function finished(caller: Caller, job: JobView): Promise<JobView> {
  let j = job
  while (j.state === 'running') {
    await new Promise((r) => setTimeout(r, 10))
    j = await expectOk(t.core, caller, 'jobs.get', { jobId: j.id })
  }
  return j
}

/** A second sign-in of the same account: another session. */
async function secondSession(): Promise<Caller> {
  const c = testCaller({ client: 'ipc:2' })
  t.clock.advance(30_000)
  await expectOk(t.core, c, 'auth.login', {
    name: 'alice',
    password: STRONG_PASSWORD,
    otp: totpAt(admin.totpSecret, t.clock.now()),
  })
  return c
}

const auditActions = (): { action: string; result: string }[] =>
  t.core.db.prepare(`SELECT action, result FROM audit_log ORDER BY seq`).all() as {
    action: string
    result: string
  }[]

beforeEach(async () => {
  t = await tempConsole()
  admin = await signedInAdmin(t)
})
afterEach(() => t.cleanup())

describe('vault uploads through the pipeline', () => {
  it('imports a 2 MiB state sent in chunks; the export is byte-identical and the staged file is gone', async () => {
    const bytes = npy(17)
    expect(bytes.length).toBeGreaterThan(2 * 2 ** 20)
    const { uploadId, chunkBytes } = await begin(admin, bytes)
    expect(chunkBytes).toBe(UPLOAD_CHUNK_MAX_BYTES)
    const last = await send(admin, uploadId, bytes)
    expect(last).toEqual({ received: bytes.length, size: bytes.length, complete: true })
    const job = await finished(
      admin,
      await expectOk(t.core, admin, 'vault.import', { uploadId, name: 'big' }),
    )
    expect(job.state, JSON.stringify(job.error)).toBe('done')
    expect(job.result?.qubits).toBe(17)
    expect(staged()).toEqual([])
    const out = await expectOk(t.core, admin, 'vault.export', {
      stateId: String(job.result?.stateId),
      format: 'npy',
    })
    expect(Buffer.from(out.content!, 'base64').equals(bytes)).toBe(true)
    // the import is audited with its upload; the chunks are not audited one by one
    const actions = auditActions()
    expect(actions.filter((a) => a.action === 'vault.uploadChunk')).toEqual([])
    expect(actions.some((a) => a.action === 'vault.uploadBegin' && a.result === 'success')).toBe(true)
    expect(actions.some((a) => a.action === 'vault.import' && a.result === 'success')).toBe(true)
  })

  it('stages no plaintext: no 32-byte run of the input is in the staged file, which is 0600', async () => {
    const bytes = npy(14, 99)
    const { uploadId } = await begin(admin, bytes)
    await send(admin, uploadId, bytes)
    const path = t.core.vault.uploads.stagedPath(uploadId)!
    expect(statSync(path).mode & 0o777).toBe(0o600)
    expect(statSync(uploadsDir()).mode & 0o777).toBe(0o700)
    const disk = readFileSync(path)
    expect(disk.length).toBeGreaterThanOrEqual(bytes.length)
    let probes = 0
    for (let off = 128; off + 32 <= bytes.length; off += 1024) {
      expect(disk.indexOf(bytes.subarray(off, off + 32))).toBe(-1)
      probes++
    }
    expect(probes).toBeGreaterThan(200)
    // the npy magic and header text are not there either
    expect(disk.indexOf(Buffer.from("'descr': '<c16'"))).toBe(-1)
  })

  it('refuses out-of-order offsets and data past the announced size, changing nothing', async () => {
    const bytes = npy(12)
    const { uploadId } = await begin(admin, bytes)
    const chunk = (offset: number, b: Buffer) =>
      expectRefusal(t.core, admin, 'vault.uploadChunk', { uploadId, offset, content: b.toString('base64') })
    const skipped = await chunk(1000, bytes.subarray(1000, 2000))
    expect(skipped.code).toBe('CONFLICT')
    expect(skipped.message).toMatch(/expects offset 0, not 1000/)
    expect(skipped.details).toEqual({ expectedOffset: 0 })
    await send(admin, uploadId, bytes, 0, 4096)
    const replay = await chunk(0, bytes.subarray(0, 100))
    expect(replay.code).toBe('CONFLICT')
    const past = await chunk(4096, Buffer.concat([bytes.subarray(4096), Buffer.alloc(1)]))
    expect(past.code).toBe('INVALID_INPUT')
    expect(past.message).toMatch(/past the announced size/)
    // still at 4096: the refused chunks left nothing behind
    const rest = await send(admin, uploadId, bytes, 4096)
    expect(rest.complete).toBe(true)
    // the refusals are audited
    expect(
      auditActions().filter((a) => a.action === 'vault.uploadChunk' && a.result === 'failure'),
    ).toHaveLength(3)
  })

  it('refuses an announced size over the limit, and base64 that is not', async () => {
    const e = await expectRefusal(t.core, admin, 'vault.uploadBegin', {
      fileName: 'huge.npy',
      size: 5 * 2 ** 30,
    })
    expect(e.code).toBe('PAYLOAD_TOO_LARGE')
    expect(e.message).toMatch(/up to 4\.00 GiB/)
    const { uploadId } = await begin(admin, Buffer.alloc(10))
    const bad = await expectRefusal(t.core, admin, 'vault.uploadChunk', {
      uploadId,
      offset: 0,
      content: 'not base64!',
    })
    expect(bad.code).toBe('INVALID_INPUT')
    expect(staged()).toHaveLength(1)
  })

  it('belongs to the session that began it: another session gets NOT_FOUND for every call', async () => {
    const bytes = npy(10)
    const { uploadId } = await begin(admin, bytes)
    await send(admin, uploadId, bytes)
    const other = await secondSession()
    for (const [name, input] of [
      ['vault.uploadChunk', { uploadId, offset: bytes.length, content: 'AAAA' }],
      ['vault.import', { uploadId }],
      ['vault.uploadAbort', { uploadId }],
    ] as const) {
      const e = await expectRefusal(t.core, other, name, input)
      expect(e.code, name).toBe('NOT_FOUND')
    }
    expect(staged()).toHaveLength(1)
  })

  it('an incomplete upload is not imported; abort deletes the staged file', async () => {
    const bytes = npy(12)
    const { uploadId } = await begin(admin, bytes)
    await send(admin, uploadId, bytes, 0, 1000)
    const e = await expectRefusal(t.core, admin, 'vault.import', { uploadId })
    expect(e.code).toBe('CONFLICT')
    expect(e.message).toMatch(/incomplete: 1000 of/)
    expect(staged()).toHaveLength(1)
    const r = await expectOk(t.core, admin, 'vault.uploadAbort', { uploadId })
    expect(r).toEqual({ aborted: true, received: 1000 })
    expect(staged()).toEqual([])
    expect((await expectRefusal(t.core, admin, 'vault.uploadAbort', { uploadId })).code).toBe('NOT_FOUND')
  })

  it('expires after 10 idle minutes (staged file deleted, expiry audited)', async () => {
    const bytes = npy(10)
    const { uploadId } = await begin(admin, bytes)
    await send(admin, uploadId, bytes, 0, 500)
    t.clock.advance(9 * 60_000)
    await send(admin, uploadId, bytes, 500, 1000) // activity restarts the idle timer
    t.clock.advance(9 * 60_000)
    expect(t.core.vault.uploads.sweep()).toBe(0)
    t.clock.advance(60_000)
    expect(t.core.vault.uploads.sweep()).toBe(1)
    expect(staged()).toEqual([])
    expect(auditActions().some((a) => a.action === 'vault.upload.expired')).toBe(true)
    const e = await expectRefusal(t.core, admin, 'vault.uploadChunk', {
      uploadId,
      offset: 1000,
      content: 'AAAA',
    })
    expect(e.code).toBe('NOT_FOUND')
  })

  it('is removed when its session ends (sign-out)', async () => {
    const { uploadId } = await begin(admin, npy(10))
    expect(staged()).toHaveLength(1)
    await expectOk(t.core, admin, 'auth.logout', {})
    expect(t.core.vault.uploads.sweep()).toBe(1)
    expect(staged()).toEqual([])
    expect(t.core.vault.uploads.stagedPath(uploadId)).toBeNull()
    expect(auditActions().some((a) => a.action === 'vault.upload.sessionEnded')).toBe(true)
  })

  it('a refused import keeps the upload, so it can be imported again with normalize', async () => {
    const bytes = npy(10, 3, 2) // norm 4
    const { uploadId } = await begin(admin, bytes)
    await send(admin, uploadId, bytes)
    const first = await finished(admin, await expectOk(t.core, admin, 'vault.import', { uploadId }))
    expect(first.state).toBe('failed')
    expect(first.error?.message).toMatch(/norm/)
    expect(staged()).toHaveLength(1)
    const second = await finished(
      admin,
      await expectOk(t.core, admin, 'vault.import', { uploadId, normalize: true }),
    )
    expect(second.state, JSON.stringify(second.error)).toBe('done')
    expect(staged()).toEqual([])
  })

  it('a chunk that cannot be staged ends the upload cleanly (no fragment left for a retry to append to)', async () => {
    const bytes = npy(15)
    const { uploadId } = await begin(admin, bytes)
    await send(admin, uploadId, bytes, 0, UPLOAD_CHUNK_MAX_BYTES)
    // A write error (a full disk, an I/O error) on the next chunk: the staged file is swapped for a read-only
    // descriptor of itself, so the engine's write fails for real (EBADF). Reaching into the engine is the only way
    // to fail a write here without a small filesystem.
    const live = (t.core.vault.uploads as unknown as { uploads: Map<string, { fd: number; path: string }> })
      .uploads
    const u = live.get(uploadId)!
    closeSync(u.fd)
    u.fd = openSync(u.path, 'r')
    const part = bytes.subarray(UPLOAD_CHUNK_MAX_BYTES, 2 * UPLOAD_CHUNK_MAX_BYTES).toString('base64')
    const e = await expectRefusal(t.core, admin, 'vault.uploadChunk', {
      uploadId,
      offset: UPLOAD_CHUNK_MAX_BYTES,
      content: part,
    })
    expect(e.code).toBe('UNAVAILABLE')
    expect(e.message).toMatch(/Staging upload .* failed \(EBADF\); it was cancelled and nothing was kept/)
    expect(staged()).toEqual([])
    const retry = await expectRefusal(t.core, admin, 'vault.uploadChunk', {
      uploadId,
      offset: UPLOAD_CHUNK_MAX_BYTES,
      content: part,
    })
    expect(retry.code).toBe('NOT_FOUND')
    expect(auditActions()).toContainEqual({ action: 'vault.uploadChunk', result: 'failure' })
  })

  it('limits open uploads per account', async () => {
    for (let i = 0; i < 3; i++) await begin(admin, Buffer.alloc(100))
    const e = await expectRefusal(t.core, admin, 'vault.uploadBegin', { fileName: 'x.npy', size: 100 })
    expect(e.code).toBe('CONFLICT')
    expect(e.message).toMatch(/already have 3 uploads open/)
  })

  it('chunks have their own rate class: a 400-chunk burst passes where the default class stops at 200', () => {
    const rl = new RateLimiter(t.clock)
    let allowed = 0
    for (let i = 0; i < 400; i++) if (rl.take('c', 'upload').allowed) allowed++
    expect(allowed).toBe(400)
    expect(rl.take('c', 'upload').allowed).toBe(false)
    expect(rl.take('c', 'default').allowed).toBe(true) // the page's other calls are unaffected
    t.clock.advance(1000)
    for (let i = 0; i < 250; i++) expect(rl.take('c', 'upload').allowed).toBe(true)
    expect(rl.take('c', 'upload').allowed).toBe(false)
  })
})

describe('vault rotation through the pipeline', () => {
  it('a rotation job through the pipeline: the second start is refused as the call itself', async () => {
    const caller = admin
    const alice = { userId: t.core.users.idOf('alice'), userName: 'alice', roles: ['admin'], client: 't' }
    for (let i = 0; i < 6; i++)
      await t.core.vault.importState(alice, { content: npy(6, i + 1), fileName: `p${i}.npy` })
    const job = await expectOk(t.core, caller, 'vault.rotateKeys', {})
    expect(job.state).toBe('running')
    const e = await expectRefusal(t.core, caller, 'vault.rotateKeys', {})
    expect(e.code).toBe('CONFLICT')
    expect(e.message).toMatch(/wait for it or cancel it/)
    let j = job
    while (j.state === 'running') {
      await new Promise((r) => setTimeout(r, 10))
      j = await expectOk(t.core, caller, 'jobs.get', { jobId: job.id })
    }
    expect(j.state).toBe('done')
    const again = await expectOk(t.core, caller, 'vault.rotateKeys', {})
    expect(again.id).not.toBe(job.id)
    await finished(caller, again)
  })
})

describe('vault upload engine limits and start-up', () => {
  it('caps the total staged bytes across accounts, and per account', () => {
    const u = new VaultUploads(uploadsDir(), t.clock, newOwner(), {
      maxBytes: 1000,
      maxPerUser: 5,
      maxStagedBytes: 1500,
      maxStagedBytesPerUser: 1200,
      idleMs: 60_000,
      sweepMs: 60_000,
      diskReserveBytes: 0,
    })
    const a = { userId: 'a', userName: 'a', sessionId: 's1' }
    u.begin(a, 'a.npy', 1000)
    // one account cannot hold the whole allowance with several uploads
    expect(() => u.begin(a, 'a2.npy', 300)).toThrow(/at most .* per account/)
    expect(() => u.begin({ userId: 'b', userName: 'b', sessionId: 's2' }, 'b.npy', 600)).toThrow(
      /already staging/,
    )
    u.begin({ userId: 'b', userName: 'b', sessionId: 's2' }, 'b.npy', 500)
    u.close()
    expect(staged()).toEqual([])
  })

  it('at start-up deletes staged files of processes that no longer run, and keeps live ones', async () => {
    const bytes = npy(10)
    const { uploadId } = await begin(admin, bytes)
    await send(admin, uploadId, bytes, 0, 5000)
    const live = t.core.vault.uploads.stagedPath(uploadId)!
    // a process that was killed mid-upload: same kind of file, its pid no longer runs
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!
    const orphan = join(uploadsDir(), `${dead}.12345.0123456789ab.00000000-0000-4000-8000-000000000001.stage`)
    copyFileSync(live, orphan)
    // another console on the same data dir starts (as the CLI does beside the app)
    const other: ConsoleCore = await openConsole({
      dataDir: t.dataDir,
      keyStore: fileKeyStore(t.dataDir),
      clock: t.clock,
      logger: silentLogger,
      hasher: fastHasher(),
    })
    expect(existsSync(orphan)).toBe(false)
    expect(existsSync(live)).toBe(true)
    other.close()
    // and the live upload goes on
    expect((await send(admin, uploadId, bytes, 5000)).complete).toBe(true)
  })
})
