import {
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  randomBytes,
  scryptSync,
  type KeyObject,
} from 'node:crypto'
import { chacha20poly1305 } from '@noble/ciphers/chacha.js'
import { hkdf } from '@noble/hashes/hkdf.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { b64decode, b64encode } from './base64'
import { bech32Decode, bech32Encode } from './bech32'
import { AgeError, headerError } from './errors'
import type { Stanza } from './header'
import { HYBRID_KEM, openBase, sealBase } from './hpke'

const enc = new TextEncoder()
const ZERO_NONCE = new Uint8Array(12)
export const FILE_KEY_BYTES = 16

/** Wraps a file key into a stanza. */
export interface Recipient {
  readonly type: 'X25519' | 'mlkem768x25519' | 'scrypt'
  wrap(fileKey: Uint8Array): Stanza
}

/** Unwraps a file key: null when the stanza is not for this identity; throws when a stanza of its type is malformed. */
export interface Identity {
  readonly type: 'X25519' | 'mlkem768x25519' | 'scrypt'
  unwrap(stanza: Stanza): Uint8Array | null
}

const openBody = (key: Uint8Array, body: Uint8Array): Uint8Array | null => {
  try {
    return chacha20poly1305(key, ZERO_NONCE).decrypt(body)
  } catch {
    return null
  }
}

const checkBody = (stanza: Stanza, type: string): void => {
  // Exactly 32 bytes (16-byte file key + tag) before any decryption: partitioning-oracle mitigation of the spec.
  if (stanza.body.length !== 32) throw headerError(`the ${type} stanza body is not 32 bytes`)
}

// ---------- X25519 ----------

const X25519_INFO = enc.encode('age-encryption.org/v1/X25519')

/*
 * X25519 through node:crypto (OpenSSL): the same function as RFC 7748 (scalar clamped, the public key's top bit
 * ignored) at native speed — a pure-JavaScript ladder costs ~90 ms per operation in a freshly started process,
 * which was a third of `qqsec age encrypt`'s time on everyday files. Raw keys enter as DER with the fixed
 * RFC 8410 prefixes.
 */
const PKCS8_X25519 = Buffer.from('302e020100300506032b656e04220420', 'hex')
const SPKI_X25519 = Buffer.from('302a300506032b656e032100', 'hex')
const x25519Private = (secret: Uint8Array): KeyObject =>
  createPrivateKey({ key: Buffer.concat([PKCS8_X25519, secret]), format: 'der', type: 'pkcs8' })
const x25519Public = (pub: Uint8Array): KeyObject =>
  createPublicKey({ key: Buffer.concat([SPKI_X25519, pub]), format: 'der', type: 'spki' })
const x25519PublicOf = (priv: KeyObject): Buffer =>
  createPublicKey(priv).export({ format: 'der', type: 'spki' }).subarray(SPKI_X25519.length)

/** The shared secret, or null when it is all zeros (a low-order point: OpenSSL refuses to derive it). */
function x25519Shared(priv: KeyObject, pub: Uint8Array): Buffer | null {
  try {
    const shared = diffieHellman({ privateKey: priv, publicKey: x25519Public(pub) })
    return shared.every((b) => b === 0) ? null : shared
  } catch {
    return null
  }
}

export class X25519Recipient implements Recipient {
  readonly type = 'X25519' as const
  constructor(readonly publicKey: Uint8Array) {}
  wrap(fileKey: Uint8Array): Stanza {
    const ephemeral = x25519Private(randomBytes(32))
    const share = x25519PublicOf(ephemeral)
    const shared = x25519Shared(ephemeral, this.publicKey)
    if (!shared)
      throw new AgeError('recipient', 'The X25519 recipient is a low-order point and cannot receive files.')
    const key = hkdf(sha256, shared, Buffer.concat([share, this.publicKey]), X25519_INFO, 32)
    const body = chacha20poly1305(key, ZERO_NONCE).encrypt(fileKey)
    return { args: ['X25519', b64encode(share)], body: Buffer.from(body) }
  }
  toString(): string {
    return bech32Encode('age', this.publicKey)
  }
}

export class X25519Identity implements Identity {
  readonly type = 'X25519' as const
  readonly publicKey: Uint8Array
  private readonly key: KeyObject
  constructor(private readonly secret: Uint8Array) {
    this.key = x25519Private(secret)
    this.publicKey = x25519PublicOf(this.key)
  }
  static generate(): X25519Identity {
    return new X25519Identity(randomBytes(32))
  }
  unwrap(stanza: Stanza): Uint8Array | null {
    if (stanza.args[0] !== 'X25519') return null
    if (stanza.args.length !== 2) throw headerError('the X25519 stanza does not have exactly two arguments')
    const share = b64decode(stanza.args[1]!, 'the X25519 share')
    if (share.length !== 32) throw headerError('the X25519 share is not 32 bytes')
    checkBody(stanza, 'X25519')
    const shared = x25519Shared(this.key, share)
    // A low-order share yields an all-zero secret, which the spec requires refusing.
    if (!shared) throw headerError('the X25519 share is a low-order point')
    const key = hkdf(sha256, shared, Buffer.concat([share, this.publicKey]), X25519_INFO, 32)
    return openBody(key, stanza.body)
  }
  recipient(): X25519Recipient {
    return new X25519Recipient(this.publicKey)
  }
  toString(): string {
    return bech32Encode('AGE-SECRET-KEY-', this.secret)
  }
}

// ---------- MLKEM768-X25519 hybrid ----------

const HYBRID_INFO = enc.encode('age-encryption.org/mlkem768x25519')
const HYBRID_PK_BYTES = 1216
const HYBRID_ENC_BYTES = 1120
const MLKEM_Q = 3329

/**
 * FIPS 203 §7.2 input check: every 12-bit coefficient of the ML-KEM encapsulation key's t-vector (the first 1152
 * bytes) must already be reduced mod q; a key that is not is malformed and refused.
 */
export function mlkemKeyIsReduced(pk: Uint8Array): boolean {
  for (let i = 0; i + 3 <= 1152; i += 3) {
    const a = pk[i]! | ((pk[i + 1]! & 0x0f) << 8)
    const b = (pk[i + 1]! >> 4) | (pk[i + 2]! << 4)
    if (a >= MLKEM_Q || b >= MLKEM_Q) return false
  }
  return true
}

export class HybridRecipient implements Recipient {
  readonly type = 'mlkem768x25519' as const
  constructor(readonly publicKey: Uint8Array) {
    if (publicKey.length !== HYBRID_PK_BYTES || !mlkemKeyIsReduced(publicKey))
      throw new AgeError(
        'recipient',
        'The post-quantum recipient is malformed (its ML-KEM key has a coefficient not reduced mod q, FIPS 203). Ask its owner for the recipient again.',
      )
  }
  wrap(fileKey: Uint8Array): Stanza {
    const { enc: encapsulated, ct } = sealBase(this.publicKey, HYBRID_INFO, fileKey)
    return { args: ['mlkem768x25519', b64encode(encapsulated)], body: Buffer.from(ct) }
  }
  toString(): string {
    return bech32Encode('age1pq', this.publicKey)
  }
}

export class HybridIdentity implements Identity {
  readonly type = 'mlkem768x25519' as const
  readonly publicKey: Uint8Array
  private readonly expanded: Uint8Array
  constructor(private readonly seed: Uint8Array) {
    const keys = HYBRID_KEM.keygen(seed)
    this.publicKey = keys.publicKey
    this.expanded = keys.secretKey
  }
  static generate(): HybridIdentity {
    return new HybridIdentity(randomBytes(32))
  }
  unwrap(stanza: Stanza): Uint8Array | null {
    if (stanza.args[0] !== 'mlkem768x25519') return null
    if (stanza.args.length !== 2)
      throw headerError('the mlkem768x25519 stanza does not have exactly two arguments')
    const encapsulated = b64decode(stanza.args[1]!, 'the mlkem768x25519 encapsulated key')
    if (encapsulated.length !== HYBRID_ENC_BYTES)
      throw headerError('the mlkem768x25519 encapsulated key is not 1120 bytes')
    checkBody(stanza, 'mlkem768x25519')
    let fileKey: Uint8Array | null
    try {
      fileKey = openBase(encapsulated, this.expanded, HYBRID_INFO, stanza.body)
    } catch {
      // decapsulation refuses an X25519 part that is a low-order point (all-zero shared secret)
      throw headerError('the X25519 part of the mlkem768x25519 encapsulated key is a low-order point')
    }
    return fileKey
  }
  recipient(): HybridRecipient {
    return new HybridRecipient(this.publicKey)
  }
  toString(): string {
    return bech32Encode('AGE-SECRET-KEY-PQ-', this.seed)
  }
}

// ---------- scrypt (passphrase) ----------

const SCRYPT_LABEL = 'age-encryption.org/v1/scrypt'
/** Highest accepted work factor (log2 N): 2^22 is already about 4 GiB·s of memory-hard work, age's own limit. */
export const MAX_SCRYPT_WORK_FACTOR = 22
export const DEFAULT_SCRYPT_WORK_FACTOR = 18

const scryptKey = (passphrase: string, salt: Uint8Array, logN: number): Uint8Array =>
  scryptSync(passphrase.normalize('NFC'), Buffer.concat([Buffer.from(SCRYPT_LABEL), salt]), 32, {
    N: 2 ** logN,
    r: 8,
    p: 1,
    maxmem: 2 ** logN * 8 * 128 + 16 * 1024 * 1024,
  })

export class ScryptRecipient implements Recipient {
  readonly type = 'scrypt' as const
  constructor(
    private readonly passphrase: string,
    private readonly workFactor = DEFAULT_SCRYPT_WORK_FACTOR,
  ) {}
  wrap(fileKey: Uint8Array): Stanza {
    const salt = randomBytes(16)
    const key = scryptKey(this.passphrase, salt, this.workFactor)
    const body = chacha20poly1305(key, ZERO_NONCE).encrypt(fileKey)
    return { args: ['scrypt', b64encode(salt), String(this.workFactor)], body: Buffer.from(body) }
  }
}

export class ScryptIdentity implements Identity {
  readonly type = 'scrypt' as const
  constructor(private readonly passphrase: string) {}
  unwrap(stanza: Stanza): Uint8Array | null {
    if (stanza.args[0] !== 'scrypt') return null
    if (stanza.args.length !== 3) throw headerError('the scrypt stanza does not have exactly three arguments')
    const salt = b64decode(stanza.args[1]!, 'the scrypt salt')
    if (salt.length !== 16) throw headerError('the scrypt salt is not 16 bytes')
    const wf = stanza.args[2]!
    if (!/^[1-9][0-9]*$/.test(wf)) throw headerError('the scrypt work factor is not a plain decimal number')
    const logN = Number(wf)
    if (logN > MAX_SCRYPT_WORK_FACTOR)
      throw headerError(`the scrypt work factor ${wf} is above the limit of ${MAX_SCRYPT_WORK_FACTOR}`)
    checkBody(stanza, 'scrypt')
    return openBody(scryptKey(this.passphrase, salt, logN), stanza.body)
  }
}

// ---------- text forms ----------

/** Parse a recipient string (`age1…` X25519 or `age1pq1…` hybrid), validating the key before any use. */
export function parseRecipient(text: string): X25519Recipient | HybridRecipient {
  const t = text.trim()
  const decoded = bech32Decode(t)
  if (!decoded || t !== t.toLowerCase())
    throw new AgeError('recipient', `"${short(t)}" is not an age recipient (expected age1… or age1pq1…).`)
  if (decoded.hrp === 'age') {
    if (decoded.data.length !== 32)
      throw new AgeError('recipient', `"${short(t)}" is not a valid X25519 recipient (wrong key length).`)
    return new X25519Recipient(decoded.data)
  }
  if (decoded.hrp === 'age1pq') {
    if (decoded.data.length !== HYBRID_PK_BYTES)
      throw new AgeError(
        'recipient',
        `"${short(t)}" is not a valid post-quantum recipient (wrong key length).`,
      )
    return new HybridRecipient(decoded.data)
  }
  throw new AgeError('recipient', `"${short(t)}" has the unsupported recipient type "${decoded.hrp}".`)
}

/** Parse one identity string (`AGE-SECRET-KEY-1…` or `AGE-SECRET-KEY-PQ-1…`). */
export function parseIdentity(text: string): X25519Identity | HybridIdentity {
  const t = text.trim()
  const decoded = bech32Decode(t)
  const bad = (): AgeError =>
    new AgeError(
      'identity',
      'An identity line is not a valid age secret key (AGE-SECRET-KEY-1… or AGE-SECRET-KEY-PQ-1…).',
    )
  if (!decoded || t !== t.toUpperCase() || decoded.data.length !== 32) throw bad()
  if (decoded.hrp === 'age-secret-key-') return new X25519Identity(decoded.data)
  if (decoded.hrp === 'age-secret-key-pq-') return new HybridIdentity(decoded.data)
  throw bad()
}

/** An identity file: one key per line, `#` comments and blank lines ignored (the age-keygen format). */
export function parseIdentityFile(text: string, name: string): (X25519Identity | HybridIdentity)[] {
  const ids: (X25519Identity | HybridIdentity)[] = []
  text.split(/\r?\n/).forEach((line, i) => {
    const t = line.trim()
    if (t === '' || t.startsWith('#')) return
    try {
      ids.push(parseIdentity(t))
    } catch {
      throw new AgeError(
        'identity',
        `${name} line ${i + 1} is not an age secret key; fix or remove that line.`,
      )
    }
  })
  if (ids.length === 0) throw new AgeError('identity', `${name} holds no age secret key.`)
  return ids
}

/** A recipients file (-R): one recipient per line, comments and blank lines ignored. */
export function parseRecipientsFile(text: string, name: string): (X25519Recipient | HybridRecipient)[] {
  const out: (X25519Recipient | HybridRecipient)[] = []
  text.split(/\r?\n/).forEach((line, i) => {
    const t = line.trim()
    if (t === '' || t.startsWith('#')) return
    try {
      out.push(parseRecipient(t))
    } catch (e) {
      throw new AgeError('recipient', `${name} line ${i + 1}: ${e instanceof Error ? e.message : String(e)}`)
    }
  })
  if (out.length === 0) throw new AgeError('recipient', `${name} holds no recipient.`)
  return out
}

const short = (s: string): string => (s.length > 24 ? `${s.slice(0, 20)}…` : s)
