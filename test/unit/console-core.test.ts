import { existsSync, readFileSync, rmSync } from 'node:fs'
import { createHash } from 'node:crypto'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { openConsole } from '../../src/main/console-core'
import { DomainError } from '../../src/main/domain-error'
import type { KeyName, KeyStore } from '../../src/main/keystore/keystore'
import { dataFiles } from '../../src/main/platform/data-dir'
import { silentLogger } from '../../src/main/platform/logger'
import { fastHasher, fileKeyStore, tempDir } from '../support/temp-console'

/** An in-memory keystore standing in for a second, different keychain. */
class MemoryKeyStore implements KeyStore {
  readonly kind = 'os' as const
  readonly description = 'a test keychain'
  readonly entries = new Map<KeyName, Uint8Array>()
  async get(n: KeyName) {
    return this.entries.get(n) ?? null
  }
  async set(n: KeyName, v: Uint8Array) {
    this.entries.set(n, v)
  }
  async delete(n: KeyName) {
    return this.entries.delete(n)
  }
}

const open = (dataDir: string, keyStore: KeyStore) =>
  openConsole({ dataDir, keyStore, logger: silentLogger, hasher: fastHasher() })
const sha = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex')

describe('opening a data dir', () => {
  it('creates a random 256-bit master key on first run and finds the same one later', async () => {
    const dataDir = join(tempDir(), 'd')
    const ks = new MemoryKeyStore()
    const a = await open(dataDir, ks)
    expect(a.masterKey).toHaveLength(32)
    a.close()
    const b = await open(dataDir, ks)
    expect(Buffer.from(b.masterKey)).toEqual(Buffer.from(a.masterKey))
    b.close()
    const other = await open(join(tempDir(), 'd'), new MemoryKeyStore())
    expect(Buffer.from(other.masterKey)).not.toEqual(Buffer.from(a.masterKey))
    other.close()
  })

  it('names a missing keychain entry, hints at the file keystore, and changes nothing', async () => {
    const dataDir = join(tempDir(), 'd')
    ;(await open(dataDir, fileKeyStore(dataDir))).close()
    const before = sha(dataFiles(dataDir).database)
    const e = await open(dataDir, new MemoryKeyStore()).catch((x: unknown) => x)
    expect(e).toBeInstanceOf(DomainError)
    expect((e as DomainError).message).toMatch(/master key is not in a test keychain.*--keystore file/s)
    expect(sha(dataFiles(dataDir).database)).toBe(before)
  })

  it('refuses a master key that belongs to another data dir', async () => {
    const dataDir = join(tempDir(), 'd')
    ;(await open(dataDir, new MemoryKeyStore())).close()
    const foreign = new MemoryKeyStore()
    await foreign.set('master-key', new Uint8Array(32).fill(9))
    await expect(open(dataDir, foreign)).rejects.toThrow(/does not belong to this data dir/)
  })

  it('creates the data dir readable by its owner only', async () => {
    const dataDir = join(tempDir(), 'd')
    const c = await open(dataDir, new MemoryKeyStore())
    c.close()
    expect(existsSync(dataDir)).toBe(true)
    const { statSync } = await import('node:fs')
    expect(statSync(dataDir).mode & 0o777).toBe(0o700)
    rmSync(dataDir, { recursive: true })
  })
})
