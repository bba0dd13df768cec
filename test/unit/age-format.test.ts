import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { decrypt, encrypt } from '../../src/main/engines/vault/age/age'
import { bech32Decode, bech32Encode } from '../../src/main/engines/vault/age/bech32'
import { AgeError } from '../../src/main/engines/vault/age/errors'
import { AtomicFileSink, bufferSource, MemorySink } from '../../src/main/engines/vault/age/io'
import {
  HybridIdentity,
  mlkemKeyIsReduced,
  parseIdentity,
  parseRecipient,
  ScryptIdentity,
  ScryptRecipient,
  X25519Identity,
  type Identity,
  type Recipient,
} from '../../src/main/engines/vault/age/recipients'
import { CT_CHUNK } from '../../src/main/engines/vault/age/stream'

const seal = async (recipients: Recipient[], plain: Buffer, armor = false): Promise<Buffer> => {
  const sink = new MemorySink()
  await encrypt(recipients, bufferSource(plain), sink, { armor })
  return sink.bytes()
}
const flip = (f: Buffer, i: number): Buffer => {
  f.writeUInt8(f.readUInt8(i) ^ 1, i)
  return f
}
const open = async (ids: Identity[], file: Buffer): Promise<Buffer> => {
  const sink = new MemorySink()
  await decrypt(ids, bufferSource(file), sink)
  return sink.bytes()
}
const failure = async (ids: Identity[], file: Buffer): Promise<string> => {
  try {
    await open(ids, file)
    return 'success'
  } catch (e) {
    if (e instanceof AgeError) return e.kind
    throw e
  }
}

const x = X25519Identity.generate()
const pq = HybridIdentity.generate()
// sizes around chunk and batch boundaries, and one that takes the worker-pool path
const SIZES = [0, 1, 65535, 65536, 65537, 3 * 65536, 16 * 65536, 16 * 65536 + 1, 5 * 1024 * 1024 + 7]

describe('age round trips', () => {
  it.each(SIZES)('X25519, %i bytes', async (n) => {
    const plain = randomBytes(n)
    expect((await open([x], await seal([x.recipient()], plain))).equals(plain)).toBe(true)
  })
  it('post-quantum hybrid, armored, two recipients', async () => {
    const plain = randomBytes(200_000)
    const file = await seal([pq.recipient(), X25519Identity.generate().recipient()], plain, true)
    expect(file.toString('latin1').startsWith('-----BEGIN AGE ENCRYPTED FILE-----\n')).toBe(true)
    expect((await open([pq], file)).equals(plain)).toBe(true)
  })
  it('passphrase (scrypt)', async () => {
    const plain = randomBytes(1000)
    const file = await seal([new ScryptRecipient('correct horse', 10)], plain)
    expect((await open([new ScryptIdentity('correct horse')], file)).equals(plain)).toBe(true)
    expect(await failure([new ScryptIdentity('wrong')], file)).toBe('no-match')
  })
  it('keys round-trip through their text forms', () => {
    expect(parseIdentity(x.toString()).recipient().toString()).toBe(x.recipient().toString())
    expect(parseIdentity(pq.toString()).recipient().toString()).toBe(pq.recipient().toString())
    expect(parseRecipient(pq.recipient().toString()).toString()).toMatch(/^age1pq1/)
  })
})

describe('age tamper detection', () => {
  const plain = randomBytes(3 * 65536 + 100)
  const fileP = seal([x.recipient()], plain)
  const bodyStart = (f: Buffer) => f.indexOf('\n', f.indexOf('\n---') + 1) + 1 + 16

  it('a wrong key is no match', async () => {
    expect(await failure([X25519Identity.generate()], await fileP)).toBe('no-match')
  })
  it('a flipped header byte fails', async () => {
    const f = Buffer.from(await fileP)
    flip(f, 40)
    expect(['header', 'hmac', 'no-match']).toContain(await failure([x], f))
  })
  it('a flipped MAC byte fails as HMAC', async () => {
    const f = Buffer.from(await fileP)
    const macLine = f.indexOf('\n---') + 6
    f[macLine] = f[macLine] === 0x41 ? 0x42 : 0x41
    expect(['hmac', 'header']).toContain(await failure([x], f))
  })
  it.each([
    ['flipped body byte', (f: Buffer) => flip(f, f.length - 100)],
    ['truncated', (f: Buffer) => f.subarray(0, f.length - 1)],
    ['truncated at a chunk boundary', (f: Buffer) => f.subarray(0, bodyStart(f) + CT_CHUNK)],
    ['appended byte', (f: Buffer) => Buffer.concat([f, Buffer.of(0)])],
    ['appended chunk', (f: Buffer) => Buffer.concat([f, f.subarray(bodyStart(f), bodyStart(f) + CT_CHUNK)])],
    [
      'swapped chunks',
      (f: Buffer) => {
        const s = bodyStart(f)
        const a = Buffer.from(f.subarray(s, s + CT_CHUNK))
        f.copy(f, s, s + CT_CHUNK, s + 2 * CT_CHUNK)
        a.copy(f, s + CT_CHUNK)
        return f
      },
    ],
  ])('%s is a payload failure', async (_name, mutate) => {
    expect(await failure([x], mutate(Buffer.from(await fileP)))).toBe('payload')
  })

  it('a failed decryption leaves no output file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'age-format-'))
    const f = Buffer.from(await fileP)
    flip(f, f.length - 5)
    const sink = new AtomicFileSink(join(dir, 'out'))
    await expect(decrypt([x], bufferSource(f), sink)).rejects.toThrow(/authentication/)
    sink.abort()
    expect(readdirSync(dir)).toEqual([])
    rmSync(dir, { recursive: true })
  })
})

describe('recipient validation', () => {
  it('refuses an ML-KEM key with a coefficient not reduced mod q (FIPS 203)', () => {
    const raw = Buffer.from(bech32Decode(pq.recipient().toString())!.data)
    expect(mlkemKeyIsReduced(raw)).toBe(true)
    raw[0] = 0xff
    raw[1]! |= 0x0f
    const bad = bech32Encode('age1pq', raw)
    expect(() => parseRecipient(bad)).toThrow(/not reduced mod q/)
  })
  it('refuses bad checksums, wrong lengths and unknown types', () => {
    const good = x.recipient().toString()
    expect(() => parseRecipient(good.slice(0, -1) + (good.endsWith('q') ? 'p' : 'q'))).toThrow(
      /not an age recipient/,
    )
    expect(() => parseRecipient(bech32Encode('age', randomBytes(31)))).toThrow(/wrong key length/)
    expect(() => parseRecipient(bech32Encode('other', randomBytes(32)))).toThrow(/unsupported/)
    expect(() => parseRecipient(good.toUpperCase())).toThrow(/not an age recipient/)
  })
  it('refuses a low-order X25519 recipient', () => {
    expect(() => parseRecipient(bech32Encode('age', Buffer.alloc(32))).wrap(randomBytes(16))).toThrow(
      /low-order/,
    )
  })
})

const tmp = mkdtempSync(join(tmpdir(), 'age-files-'))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))
describe('atomic output', () => {
  it('commit makes the file appear, with nothing else left', async () => {
    const path = join(tmp, 'x.age')
    const sink = new AtomicFileSink(path)
    await encrypt([x.recipient()], bufferSource(Buffer.from('hi')), sink)
    expect(existsSync(path)).toBe(false)
    sink.commit()
    expect(readdirSync(tmp)).toEqual(['x.age'])
    writeFileSync(join(tmp, 'keep'), '')
  })
})
