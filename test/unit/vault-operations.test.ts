import { spawnSync } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { existsSync, writeFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openConsole, type ConsoleCore } from '../../src/main/console-core'
import { newOwner } from '../../src/main/engines/vault/owner-liveness'
import { npyHeader } from '../../src/main/engines/vault/state-format'
import type { Actor } from '../../src/main/engines/vault/vault.service'
import { silentLogger } from '../../src/main/platform/logger'
import { refusal, refusalSync } from '../support/refusal'
import {
  addAccount,
  fastHasher,
  fileKeyStore,
  tempConsole,
  tempDir,
  type TestConsole,
} from '../support/temp-console'

let t: TestConsole
let dir: string
const others: ConsoleCore[] = []
const admin = (): Actor => ({ userId: 'id-ann', userName: 'ann', roles: ['admin'], client: 'test' })

function npy(n: number, seed = 5): Buffer {
  const len = 2 ** n
  const body = Buffer.alloc(len * 16)
  let x = seed
  const vals = Array.from({ length: len * 2 }, () => (x = (x * 16807) % 2147483647) / 2147483647 - 0.5)
  const norm = Math.sqrt(vals.reduce((s, v) => s + v * v, 0))
  vals.forEach((v, i) => body.writeDoubleLE(v / norm, i * 8))
  return Buffer.concat([npyHeader('<c16', len), body])
}

const put = (name: string, data: Buffer): string => {
  const p = join(dir, name)
  writeFileSync(p, data)
  return p
}

/** Another console on the same data dir: what the CLI is beside a running app. */
async function secondConsole(): Promise<ConsoleCore> {
  const c = await openConsole({
    dataDir: t.dataDir,
    keyStore: fileKeyStore(t.dataDir),
    clock: t.clock,
    logger: silentLogger,
    hasher: fastHasher(),
  })
  others.push(c)
  return c
}

const deadPid = (): number => spawnSync(process.execPath, ['-e', '0']).pid!

beforeEach(async () => {
  t = await tempConsole()
  dir = tempDir()
  await addAccount(t, 'ann', ['admin'])
})
afterEach(() => {
  for (const c of others.splice(0)) c.close()
  t.cleanup()
})

describe('vault rotation lock', () => {
  it('refuses a second rotation while one runs, and imports and shares meanwhile; all work after', async () => {
    const v = t.core.vault
    for (let i = 0; i < 4; i++) await v.importState(admin(), { path: put(`s${i}.npy`, npy(6, i + 1)) })
    const running = v.rotateKeys(admin())
    const second = await refusal(v.rotateKeys(admin()))
    expect(second.code).toBe('CONFLICT')
    expect(second.message).toMatch(/a key rotation is already running .*; wait for it or cancel it/i)
    const imp = await refusal(v.importState(admin(), { path: put('late.npy', npy(5)) }))
    expect(imp.code).toBe('CONFLICT')
    expect(imp.message).toMatch(/key rotation is running .*import again when it has finished/)
    const id = v.list(admin())[0]!.id
    const share = await refusal(
      v.shareContent(admin(), id, ['age1qyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqs3290gq'], 1e7),
    )
    expect(share.code).toBe('CONFLICT')
    const r = await running
    expect(r.rotated).toBe(4)
    // the lock went with the rotation: everything works again
    await v.importState(admin(), { path: put('after.npy', npy(5)) })
    expect((await v.rotateKeys(admin())).rotated).toBe(5)
    expect((await v.verify(admin(), null)).every((x) => x.ok)).toBe(true)
  })

  it('holds across consoles on one data dir (the CLI beside the app)', async () => {
    await t.core.vault.importState(admin(), { path: put('a.npy', npy(5)) })
    const cli = await secondConsole()
    const lock = t.core.vault.lockRotation(admin())
    const e = refusalSync(() => cli.vault.lockRotation(admin()))
    expect(e.code).toBe('CONFLICT')
    expect(e.message).toMatch(/already running \(started .* by ann\); wait for it or cancel it/)
    expect((await refusal(cli.vault.rotateKeys(admin()))).code).toBe('CONFLICT')
    expect((await refusal(cli.vault.importState(admin(), { path: put('b.npy', npy(5)) }))).code).toBe(
      'CONFLICT',
    )
    lock.release()
    expect((await cli.vault.rotateKeys(admin())).rotated).toBe(1)
  })

  it('takes over a lock left by a process that was killed', async () => {
    await t.core.vault.importState(admin(), { path: put('a.npy', npy(5)) })
    t.core.db.prepare(`INSERT INTO meta (key, value) VALUES ('vault_rotation_lock', ?)`).run(
      JSON.stringify({
        pid: deadPid(),
        tag: 'abcdefabcdef',
        host: hostname(),
        token: 'x',
        startedAt: 'then',
      }),
    )
    expect((await t.core.vault.rotateKeys(admin())).rotated).toBe(1)
    expect(t.core.db.prepare(`SELECT 1 FROM meta WHERE key = 'vault_rotation_lock'`).get()).toBeUndefined()
  })

  it('does not mistake a reused pid or a lock from before a reboot for a running rotation', async () => {
    await t.core.vault.importState(admin(), { path: put('a.npy', npy(5)) })
    const live = newOwner() // this process, its real start time and boot id
    const lockOf = (v: object) =>
      t.core.db
        .prepare(
          `INSERT INTO meta (key, value) VALUES ('vault_rotation_lock', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`,
        )
        .run(JSON.stringify({ token: 'x', startedAt: 'then', ...v }))
    // the parent process runs, but it is not the process that took the lock (another start time)
    lockOf({ pid: process.ppid, tag: 'abcdefabcdef', host: hostname(), start: '1', boot: live.boot })
    expect((await t.core.vault.rotateKeys(admin())).rotated).toBe(1)
    lockOf({ pid: process.ppid, tag: 'abcdefabcdef', host: hostname(), boot: 'another-boot' })
    expect((await t.core.vault.rotateKeys(admin())).rotated).toBe(1)
    // while a lock of a live owner (same start, same boot) is refused
    lockOf({ ...live })
    expect(refusalSync(() => t.core.vault.lockRotation(admin())).code).toBe('CONFLICT')
  })

  it('a refused export, import or share leaves nothing that would hold a rotation back', async () => {
    const s = await t.core.vault.importState(admin(), { path: put('a.npy', npy(5)) })
    await expect(
      t.core.vault.exportTo(admin(), s.id, join(dir, 'missing', 'out.npy'), 'npy'),
    ).rejects.toThrow()
    await expect(t.core.vault.importState(admin(), { path: join(dir, 'nope.npy') })).rejects.toThrow(
      /Cannot open/,
    )
    await expect(t.core.vault.share(admin(), s.id, ['not-a-recipient'], join(dir, 'o.age'))).rejects.toThrow()
    expect(
      t.core.db.prepare(`SELECT count(*) AS n FROM meta WHERE key LIKE 'vault_file_use:%'`).get(),
    ).toEqual({
      n: 0,
    })
    expect((await t.core.vault.rotateKeys(admin())).rotated).toBe(1)
  })

  it('refuses a rotation while an import is writing, and lets it through once the import is done', async () => {
    const importing = t.core.vault.importState(admin(), { path: put('big.npy', npy(16)) })
    const e = refusalSync(() => t.core.vault.lockRotation(admin()))
    expect(e.code).toBe('CONFLICT')
    expect(e.message).toMatch(
      /An import is using vault files right now; rotate the keys when it has finished/,
    )
    const s = await importing
    const r = await t.core.vault.rotateKeys(admin())
    expect(r.rotated).toBe(1)
    expect((await t.core.vault.verify(admin(), [s.id]))[0]!.ok).toBe(true)
  })
})

describe('vault start-up after a killed import', () => {
  it('removes temp files of imports that never committed; keeps a live import’s and the journal’s', async () => {
    const s = await t.core.vault.importState(admin(), { path: put('a.npy', npy(5)) })
    const vdir = join(t.dataDir, 'vault')
    const stale = join(vdir, `.${randomUUID()}.age.0123456789ab.tmp`)
    writeFileSync(stale, 'age-encryption.org/v1 partial')
    // killed mid-import: its file-use row names a process that no longer runs
    const deadId = randomUUID()
    const deadTemp = join(vdir, `.${deadId}.age.aaaaaaaaaaaa.tmp`)
    writeFileSync(deadTemp, 'partial')
    t.core.db.prepare(`INSERT INTO meta (key, value) VALUES (?, ?)`).run(
      `vault_file_use:${randomUUID()}`,
      JSON.stringify({
        pid: deadPid(),
        tag: 'abcdefabcdef',
        host: hostname(),
        kind: 'import',
        stateId: deadId,
      }),
    )
    // an import running right now in another live console of this data dir
    const liveId = randomUUID()
    const liveTemp = join(vdir, `.${liveId}.age.bbbbbbbbbbbb.tmp`)
    writeFileSync(liveTemp, 'in progress')
    const owner = newOwner()
    t.core.db
      .prepare(`INSERT INTO meta (key, value) VALUES (?, ?)`)
      .run(`vault_file_use:${randomUUID()}`, JSON.stringify({ ...owner, kind: 'import', stateId: liveId }))
    // a rotation temp file the journal still needs
    const rotTemp = join(vdir, `.${s.id}.rotate.tmp`)
    writeFileSync(rotTemp, 'journaled')
    t.core.db
      .prepare(
        `INSERT INTO vault_rotation_journal (state_id, generation, old_header, new_header, temp_path, created_at)
         VALUES (?, 99, x'00', x'00', ?, 'now')`,
      )
      .run(s.id, rotTemp)

    await secondConsole() // start-up

    expect(existsSync(stale)).toBe(false)
    expect(existsSync(deadTemp)).toBe(false)
    expect(existsSync(liveTemp)).toBe(true)
    expect(existsSync(rotTemp)).toBe(true)
    expect(existsSync(join(vdir, `${s.id}.age`))).toBe(true)
    const uses = t.core.db.prepare(`SELECT value FROM meta WHERE key LIKE 'vault_file_use:%'`).all() as {
      value: string
    }[]
    expect(uses.map((u) => (JSON.parse(u.value) as { stateId: string }).stateId)).toEqual([liveId])
    const cleanup = t.core.db
      .prepare(`SELECT details FROM audit_log WHERE action = 'vault.cleanup'`)
      .get() as { details: string }
    expect(JSON.parse(cleanup.details)).toMatchObject({ importTempFilesRemoved: 2 })
  })
})
