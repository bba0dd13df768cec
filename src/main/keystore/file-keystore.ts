import { existsSync, readFileSync, statSync } from 'node:fs'
import argon2 from 'argon2'
import { z } from 'zod'
import { DomainError } from '../domain-error'
import { open, randomBytes, seal } from '../crypto/primitives'
import { writeFileAtomic } from '../platform/atomic-write'
import { KDF_DEFAULT, kdfParamsSchema, type KdfParams } from './kdf-params'
import type { KeyName, KeyStore } from './keystore'

const fileSchema = z.strictObject({
  format: z.literal('qq-verse-keystore'),
  version: z.literal(1),
  kdf: kdfParamsSchema,
  /** Sealed with the passphrase-derived key; proves the passphrase before any entry is trusted. */
  check: z.string().max(200),
  entries: z.partialRecord(z.enum(['master-key', 'cli-session']), z.string().max(2000)),
})
type KeystoreFile = z.infer<typeof fileSchema>

const MAX_FILE = 64 * 1024
const CHECK_AAD = 'keystore-check'
const CHECK_TEXT = 'qq-verse-console keystore v1'

/** Opt-in keystore for machines without a keychain: entries sealed with XChaCha20-Poly1305 under an argon2id key. */
export class FileKeyStore implements KeyStore {
  readonly kind = 'file' as const
  readonly description: string
  private key: Uint8Array | null = null
  private data: KeystoreFile | null = null

  constructor(
    private readonly path: string,
    private readonly passphrase: string | undefined,
    private readonly defaults: Omit<KdfParams, 'salt' | 'algorithm'> = KDF_DEFAULT,
  ) {
    this.description = `the passphrase-protected key file ${path}`
  }

  private async unlock(): Promise<{ key: Uint8Array; data: KeystoreFile }> {
    if (this.key && this.data) return { key: this.key, data: this.data }
    if (!this.passphrase) {
      throw new DomainError(
        'UNAVAILABLE',
        'The file keystore needs its passphrase: set QQSEC_KEYSTORE_PASSPHRASE (at least 12 characters).',
      )
    }
    if (this.passphrase.length < 12) {
      throw new DomainError('INVALID_INPUT', 'QQSEC_KEYSTORE_PASSPHRASE must have at least 12 characters.')
    }
    let data: KeystoreFile
    if (existsSync(this.path)) {
      if (statSync(this.path).size > MAX_FILE)
        throw new DomainError('INVALID_INPUT', `${this.path} is too large to be a keystore.`)
      let parsed: unknown
      try {
        parsed = JSON.parse(readFileSync(this.path, 'utf8'))
      } catch {
        throw new DomainError(
          'INVALID_INPUT',
          `${this.path} is not a readable keystore file (not JSON). Restore it from a backup.`,
        )
      }
      const res = fileSchema.safeParse(parsed)
      if (!res.success) {
        throw new DomainError(
          'INVALID_INPUT',
          `${this.path} is not a valid keystore file (${res.error.issues[0]?.path.join('.')}: ${res.error.issues[0]?.message}). It may be damaged or its parameters downgraded; restore it from a backup.`,
        )
      }
      data = res.data
    } else {
      data = {
        format: 'qq-verse-keystore',
        version: 1,
        kdf: { algorithm: 'argon2id', ...this.defaults, salt: randomBytes(16).toString('base64') },
        check: '',
        entries: {},
      }
    }
    const key = await argon2.hash(this.passphrase, {
      type: argon2.argon2id,
      raw: true,
      hashLength: 32,
      salt: Buffer.from(data.kdf.salt, 'base64'),
      memoryCost: data.kdf.memoryKiB,
      timeCost: data.kdf.iterations,
      parallelism: data.kdf.parallelism,
    })
    if (data.check === '') {
      data.check = Buffer.from(seal(key, new TextEncoder().encode(CHECK_TEXT), CHECK_AAD)).toString('base64')
    } else {
      try {
        open(key, Buffer.from(data.check, 'base64'), CHECK_AAD)
      } catch {
        throw new DomainError(
          'BAD_CREDENTIALS',
          'QQSEC_KEYSTORE_PASSPHRASE does not unlock this data dir’s keystore.',
        )
      }
    }
    this.key = key
    this.data = data
    return { key, data }
  }

  async get(name: KeyName): Promise<Uint8Array | null> {
    const { key, data } = await this.unlock()
    const box = data.entries[name]
    if (box === undefined) return null
    try {
      return open(key, Buffer.from(box, 'base64'), `entry:${name}`)
    } catch {
      throw new DomainError(
        'INVALID_INPUT',
        `The keystore entry "${name}" in ${this.path} was altered and cannot be opened.`,
      )
    }
  }

  async set(name: KeyName, value: Uint8Array): Promise<void> {
    const { key, data } = await this.unlock()
    const next: KeystoreFile = {
      ...data,
      entries: { ...data.entries, [name]: Buffer.from(seal(key, value, `entry:${name}`)).toString('base64') },
    }
    writeFileAtomic(this.path, JSON.stringify(next, null, 2) + '\n')
    this.data = next
  }

  async delete(name: KeyName): Promise<boolean> {
    const { data } = await this.unlock()
    if (data.entries[name] === undefined) return false
    const entries = Object.fromEntries(Object.entries(data.entries).filter(([k]) => k !== name))
    const next = { ...data, entries }
    writeFileAtomic(this.path, JSON.stringify(next, null, 2) + '\n')
    this.data = next
    return true
  }
}
