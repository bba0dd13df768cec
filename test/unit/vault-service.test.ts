import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { npyHeader } from '../../src/main/engines/vault/state-format'
import type { Actor } from '../../src/main/engines/vault/vault.service'
import { addAccount, tempConsole, tempDir, type TestConsole } from '../support/temp-console'

let t: TestConsole
let dir: string
const admin = (): Actor => ({ userId: 'id-ann', userName: 'ann', roles: ['admin'], client: 'test' })
const plainUser = (): Actor => ({ userId: 'id-bob', userName: 'bob', roles: ['user'], client: 'test' })

/** A deterministic normalized state of n qubits as .npy bytes (dtype and byte order as asked). */
function npy(n: number, dtype: '<c16' | '>c16' | '<c8' | '>c8' = '<c16', seed = 1, scale = 1): Buffer {
  const len = 2 ** n
  let x = seed
  const rnd = () => (x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31 - 0.5
  const vals = Array.from({ length: len * 2 }, rnd)
  const norm = Math.sqrt(vals.reduce((s, v) => s + v * v, 0))
  const item = dtype.endsWith('16') ? 8 : 4
  const body = Buffer.alloc(len * 2 * item)
  vals.forEach((v, i) => {
    const y = (v / norm) * scale
    if (item === 8 && dtype[0] === '<') body.writeDoubleLE(y, i * 8)
    else if (item === 8) body.writeDoubleBE(y, i * 8)
    else if (dtype[0] === '<') body.writeFloatLE(y, i * 4)
    else body.writeFloatBE(y, i * 4)
  })
  return Buffer.concat([npyHeader(dtype, len), body])
}

beforeEach(async () => {
  t = await tempConsole()
  dir = tempDir()
  await addAccount(t, 'ann', ['admin'])
  await addAccount(t, 'bob', ['user'])
})
afterEach(() => t.cleanup())

const vaultFiles = () => readdirSync(join(t.dataDir, 'vault')).filter((f) => f.endsWith('.age'))
const put = (name: string, data: Buffer | string): string => {
  const p = join(dir, name)
  writeFileSync(p, data)
  return p
}

describe('vault import validation', () => {
  const refusals: [string, Buffer | string, RegExp][] = [
    [
      'length not a power of two',
      JSON.stringify({
        vector: [
          [1, 0],
          [0, 0],
          [0, 0],
        ],
      }),
      /not a power of two/,
    ],
    ['a single amplitude', JSON.stringify({ vector: [[1, 0]] }), /at least 2/],
    [
      'NaN in JSON (null)',
      JSON.stringify({
        vector: [
          [1, 0],
          [null, 0],
        ],
      }),
      /finite/,
    ],
    [
      'norm 2',
      JSON.stringify({
        vector: [
          [1, 0],
          [1, 0],
        ],
      }),
      /norm .* not 1/,
    ],
    [
      'all zero',
      JSON.stringify({
        vector: [
          [0, 0],
          [0, 0],
        ],
      }),
      /zero/,
    ],
    [
      'entanglement index ≥ n',
      JSON.stringify({
        vector: [
          [1, 0],
          [0, 0],
          [0, 0],
          [0, 0],
        ],
        entanglements: [{ qubits: [0, 2] }],
      }),
      /qubit 2, but the state has qubits 0 to 1/,
    ],
    ['not JSON, not npy', 'hello', /neither a NumPy .npy file nor valid JSON/],
    ['npy truncated', npy(4).subarray(0, -8), /truncated/],
    ['npy with extra data', Buffer.concat([npy(4), Buffer.alloc(16)]), /extra data/],
    [
      'npy of reals',
      Buffer.concat([
        Buffer.from(npyHeader('<c16', 4).toString('latin1').replace("'<c16'", "'<f8' "), 'latin1'),
        Buffer.alloc(64),
      ]),
      /dtype is <f8/,
    ],
  ]
  for (const [what, data, msg] of refusals)
    it(`refuses ${what} with a clear message and stores nothing`, async () => {
      await expect(t.core.vault.importState(admin(), { path: put('s.bin', data) })).rejects.toThrow(msg)
      expect(t.core.vault.list(admin())).toEqual([])
      expect(vaultFiles()).toEqual([])
    })

  it('refuses random bad vectors (property test): NaN/Infinity anywhere, wrong lengths, norms off 1', async () => {
    let seed = 7
    const rnd = () => (seed = (seed * 48271) % 2147483647) / 2147483647
    for (let k = 0; k < 40; k++) {
      const n = 1 + Math.floor(rnd() * 6)
      const bytes = npy(n, '<c16', k + 1)
      const kind = k % 4
      let data: Buffer
      let expected: RegExp
      if (kind === 0) {
        data = Buffer.from(bytes)
        const at = 128 + 8 * Math.floor(rnd() * 2 ** n * 2)
        data.writeDoubleLE([NaN, Infinity, -Infinity][k % 3]!, at)
        expected = /not a finite number/
      } else if (kind === 1) {
        const len = 3 + Math.floor(rnd() * 60)
        const l = Number.isInteger(Math.log2(len)) ? len + 1 : len
        data = JSON.stringify({ vector: Array.from({ length: l }, () => [rnd(), 0]) }) as unknown as Buffer
        expected = /not a power of two/
      } else if (kind === 2) {
        const f = rnd() < 0.5 ? 1 - 1e-4 - rnd() * 0.5 : 1 + 1e-4 + rnd()
        data = npy(n, '<c16', k + 1, Math.sqrt(f))
        expected = /norm/
      } else {
        data = JSON.stringify({
          vector: [[1, 0], ...Array.from({ length: 2 ** n - 1 }, () => [0, 0])],
          entanglements: [[0, n + Math.floor(rnd() * 5)]],
        }) as unknown as Buffer
        expected = /names qubit/
      }
      await expect(t.core.vault.importState(admin(), { path: put(`r${k}`, data) })).rejects.toThrow(expected)
    }
    expect(t.core.vault.list(admin())).toEqual([])
    expect(vaultFiles()).toEqual([])
  })

  it('normalizes on request and then stores a norm-1 state', async () => {
    const s = await t.core.vault.importState(
      admin(),
      { path: put('s.npy', npy(5, '<c16', 3, 1.5)) },
      { normalize: true },
    )
    const d = t.core.vault.get(admin(), s.id)
    expect(Math.abs(d.chart.norm - 1)).toBeLessThan(1e-12)
  })
})

describe('vault round trips', () => {
  for (const dtype of ['<c16', '>c16', '<c8', '>c8'] as const)
    it(`exports ${dtype} .npy byte-identical`, async () => {
      const src = npy(9, dtype, 5)
      const s = await t.core.vault.importState(admin(), { path: put('s.npy', src) })
      await t.core.vault.exportTo(admin(), s.id, join(dir, 'back.npy'), 'npy')
      expect(readFileSync(join(dir, 'back.npy')).equals(src)).toBe(true)
    })

  it('JSON → vault → JSON is stable and keeps values, id, entanglements', async () => {
    const doc = {
      id: 'bell-1',
      properties: { name: 'bell', classification: 'confidential', tags: ['demo'] },
      vector: [{ re: Math.SQRT1_2, im: 0 }, [0, 0], [0, -0], [0, Math.SQRT1_2]],
      entanglements: [{ qubits: [0, 1], measure: 1 }],
    }
    const a = await t.core.vault.importState(admin(), { path: put('a.json', JSON.stringify(doc)) })
    await t.core.vault.exportTo(admin(), a.id, join(dir, 'b.json'), 'json')
    const b = JSON.parse(readFileSync(join(dir, 'b.json'), 'utf8'))
    expect(b.id).toBe('bell-1')
    expect(b.vector).toEqual([
      [Math.SQRT1_2, 0],
      [0, 0],
      [0, 0],
      [0, Math.SQRT1_2],
    ])
    expect(b.entanglements).toEqual([{ qubits: [0, 1], measure: 1 }])
    expect(b.properties).toMatchObject({
      name: 'bell',
      qubits: 2,
      classification: 'confidential',
      tags: ['demo'],
    })
    const c = await t.core.vault.importState(admin(), { path: join(dir, 'b.json') })
    await t.core.vault.exportTo(admin(), c.id, join(dir, 'c.json'), 'json')
    expect(readFileSync(join(dir, 'c.json')).equals(readFileSync(join(dir, 'b.json')))).toBe(true)
  })

  it('shows the chart summary without decrypting and keeps other owners out', async () => {
    const s = await t.core.vault.importState(admin(), { path: put('s.npy', npy(6)) })
    const d = t.core.vault.get(admin(), s.id)
    expect(d.chart.top.length).toBe(16)
    expect(d.integrity).toEqual({ propertiesOk: true, fileOk: true, message: null })
    expect(t.core.vault.list(plainUser())).toEqual([])
    expect(() => t.core.vault.get(plainUser(), s.id)).toThrow(/another account/)
    expect(() => t.core.vault.delete(plainUser(), s.id)).toThrow()
  })
})

describe('vault verify names what is wrong', () => {
  const setup = async () => {
    const a = await t.core.vault.importState(admin(), { path: put('a.npy', npy(14, '<c16', 1)) })
    const b = await t.core.vault.importState(admin(), { path: put('b.npy', npy(14, '<c16', 2)) })
    return { a, b, pa: join(t.dataDir, 'vault', `${a.id}.age`), pb: join(t.dataDir, 'vault', `${b.id}.age`) }
  }
  const problemOf = async (id: string) => (await t.core.vault.verify(admin(), [id]))[0]!.problem

  it('is clean on an untouched vault', async () => {
    await setup()
    expect((await t.core.vault.verify(admin(), null)).every((r) => r.ok)).toBe(true)
  })
  it('flipped header byte → header-corrupted', async () => {
    const { a, pa } = await setup()
    const d = readFileSync(pa)
    d[40] = d[40]! ^ 1
    writeFileSync(pa, d)
    expect(await problemOf(a.id)).toMatch(/header-corrupted|file-swapped/)
  })
  it('flipped body byte, truncation, appended data, swapped chunks → body-corrupted', async () => {
    const { a, pa } = await setup()
    const orig = readFileSync(pa)
    const variants: Buffer[] = []
    const flip = Buffer.from(orig)
    flip[orig.length - 100] = flip[orig.length - 100]! ^ 1
    variants.push(flip, orig.subarray(0, orig.length - 10), Buffer.concat([orig, Buffer.from('x')]))
    const ct = 65536 + 16
    const mac = orig.indexOf('\n---')
    const payload = orig.indexOf('\n', mac + 1) + 1 + 16 // after the header and the 16-byte nonce
    const swapped = Buffer.from(orig)
    orig.subarray(payload + ct, payload + 2 * ct).copy(swapped, payload)
    orig.subarray(payload, payload + ct).copy(swapped, payload + ct)
    variants.push(swapped)
    for (const v of variants) {
      writeFileSync(pa, v)
      expect(await problemOf(a.id)).toBe('body-corrupted')
    }
  })
  it('two files swapped → file-swapped; a properties row edited or swapped → properties-edited', async () => {
    const { a, b, pa, pb } = await setup()
    const da = readFileSync(pa)
    writeFileSync(pa, readFileSync(pb))
    writeFileSync(pb, da)
    expect(await problemOf(a.id)).toBe('file-swapped')
    writeFileSync(pb, readFileSync(pa))
    writeFileSync(pa, da)
    t.core.db.prepare(`UPDATE vault_states SET name = 'renamed' WHERE id = ?`).run(a.id)
    expect(await problemOf(a.id)).toBe('properties-edited')
    const rows = t.core.db.prepare(`SELECT id, mac, name FROM vault_states`).all() as {
      id: string
      mac: string
    }[]
    t.core.db.prepare(`UPDATE vault_states SET mac = ? WHERE id = ?`).run(rows[1]!.mac, rows[0]!.id)
    t.core.db.prepare(`UPDATE vault_states SET mac = ? WHERE id = ?`).run(rows[0]!.mac, rows[1]!.id)
    expect(await problemOf(b.id)).toBe('properties-edited')
    await expect(t.core.vault.exportTo(admin(), b.id, join(dir, 'x.npy'), 'npy')).rejects.toThrow(
      /edited or swapped/,
    )
    expect(readdirSync(dir).includes('x.npy')).toBe(false)
  })
})

describe('vault key rotation', () => {
  it('rewraps every header to a new identity; files decrypt to the same bytes', async () => {
    const srcs = [npy(6, '<c16', 1), npy(7, '>c8', 2)]
    const ids = []
    for (const [i, s] of srcs.entries())
      ids.push((await t.core.vault.importState(admin(), { path: put(`s${i}.npy`, s) })).id)
    const before = t.core.vault.keys.current().generation
    const r = await t.core.vault.rotateKeys(admin())
    expect(r.rotated).toBe(2)
    expect(t.core.vault.keys.current().generation).toBe(before + 1)
    const x = await t.core.vault.rotateKeys(admin(), { kind: 'x25519' })
    expect(x.keyType).toBe('x25519')
    for (const [i, id] of ids.entries()) {
      await t.core.vault.exportTo(admin(), id, join(dir, `o${i}.npy`), 'npy')
      expect(readFileSync(join(dir, `o${i}.npy`)).equals(srcs[i]!)).toBe(true)
    }
    expect((await t.core.vault.verify(admin(), null)).every((v) => v.ok)).toBe(true)
    await expect(t.core.vault.rotateKeys(plainUser())).rejects.toThrow(/another account|permission|role/)
  })
})
