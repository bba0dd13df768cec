import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { FileKeyStore } from '../../src/main/keystore/file-keystore'
import { KDF_FLOOR } from '../../src/main/keystore/kdf-params'
import { tempDir } from '../support/temp-console'
import { refusal } from '../support/refusal'

const PASS = 'a-long-keystore-passphrase'
const store = (path: string, pass: string | undefined = PASS) => new FileKeyStore(path, pass, KDF_FLOOR)

describe('the file keystore', () => {
  it('keeps entries sealed: round-trips, and the file holds no plaintext', async () => {
    const path = join(tempDir(), 'keystore.json')
    const key = Buffer.from('00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff', 'hex')
    await store(path).set('master-key', key)
    expect(Buffer.from((await store(path).get('master-key'))!)).toEqual(key)
    const text = readFileSync(path, 'utf8')
    expect(text).not.toContain(key.toString('base64'))
    expect(text).not.toContain(key.toString('hex'))
    expect(JSON.parse(text).kdf).toMatchObject({ algorithm: 'argon2id', memoryKiB: KDF_FLOOR.memoryKiB })
  })

  it('writes atomically, leaving no temp files', async () => {
    const dir = tempDir()
    const path = join(dir, 'keystore.json')
    await store(path).set('master-key', new Uint8Array(32).fill(7))
    await store(path).set('cli-session', new Uint8Array([1, 2, 3]))
    expect(await store(path).delete('cli-session')).toBe(true)
    expect(readdirSync(dir)).toEqual(['keystore.json'])
  })

  it('refuses a wrong passphrase, a missing one and a short one', async () => {
    const path = join(tempDir(), 'keystore.json')
    await store(path).set('master-key', new Uint8Array(32))
    expect((await refusal(store(path, 'another-long-passphrase').get('master-key'))).code).toBe(
      'BAD_CREDENTIALS',
    )
    expect((await refusal(new FileKeyStore(path, undefined, KDF_FLOOR).get('master-key'))).message).toMatch(
      /QQSEC_KEYSTORE_PASSPHRASE/,
    )
    expect((await refusal(store(path, 'short').get('master-key'))).message).toMatch(/at least 12/)
  })

  it('refuses a file whose KDF parameters were downgraded', async () => {
    const path = join(tempDir(), 'keystore.json')
    await store(path).set('master-key', new Uint8Array(32))
    const f = JSON.parse(readFileSync(path, 'utf8'))
    f.kdf.memoryKiB = 1024
    writeFileSync(path, JSON.stringify(f))
    expect((await refusal(store(path).get('master-key'))).message).toMatch(/kdf.memoryKiB/)
  })

  it('detects an altered entry or one moved to another name', async () => {
    const path = join(tempDir(), 'keystore.json')
    await store(path).set('master-key', new Uint8Array(32).fill(1))
    const f = JSON.parse(readFileSync(path, 'utf8'))
    f.entries['cli-session'] = f.entries['master-key']
    const b = Buffer.from(f.entries['master-key'], 'base64')
    b[b.length - 1]! ^= 1
    f.entries['master-key'] = b.toString('base64')
    writeFileSync(path, JSON.stringify(f))
    expect((await refusal(store(path).get('master-key'))).message).toMatch(/altered/)
    expect((await refusal(store(path).get('cli-session'))).message).toMatch(/altered/)
  })

  it('refuses garbage and oversized files with a clear message', async () => {
    const dir = tempDir()
    const garbage = join(dir, 'g.json')
    writeFileSync(garbage, '{not json')
    expect((await refusal(store(garbage).get('master-key'))).message).toMatch(/not a readable keystore/)
    const big = join(dir, 'b.json')
    writeFileSync(big, 'x'.repeat(100_000))
    expect((await refusal(store(big).get('master-key'))).message).toMatch(/too large/)
    expect(existsSync(join(dir, 'keystore.json'))).toBe(false)
  })
})
