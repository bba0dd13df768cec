import { randomBytes as nodeRandomBytes, createHash, createHmac, timingSafeEqual } from 'node:crypto'
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js'
import { hkdf } from '@noble/hashes/hkdf.js'
import { sha256 } from '@noble/hashes/sha2.js'

/** CSPRNG only. */
export const randomBytes = (n: number): Buffer => nodeRandomBytes(n)

export const sha256Hex = (data: string | Uint8Array): string =>
  createHash('sha256').update(data).digest('hex')

export const hmacSha256 = (key: Uint8Array, data: string | Uint8Array): Buffer =>
  createHmac('sha256', key).update(data).digest()

export const constantTimeEqual = (a: Uint8Array, b: Uint8Array): boolean =>
  a.length === b.length && timingSafeEqual(a, b)

/** Sub-key for one purpose from the master key (HKDF-SHA256, purpose as info). */
export const deriveKey = (master: Uint8Array, purpose: string, length = 32): Uint8Array =>
  hkdf(
    sha256,
    master,
    new TextEncoder().encode('qq-verse-console/v1'),
    new TextEncoder().encode(purpose),
    length,
  )

const NONCE = 24

/** XChaCha20-Poly1305 seal: nonce ‖ ciphertext+tag. `aad` binds the ciphertext to its purpose/name. */
export function seal(key: Uint8Array, plaintext: Uint8Array, aad: string): Uint8Array {
  const nonce = randomBytes(NONCE)
  const ct = xchacha20poly1305(key, nonce, new TextEncoder().encode(aad)).encrypt(plaintext)
  const out = new Uint8Array(NONCE + ct.length)
  out.set(nonce, 0)
  out.set(ct, NONCE)
  return out
}

/** Open a sealed box; throws if it was altered, truncated or sealed for another purpose. */
export function open(key: Uint8Array, box: Uint8Array, aad: string): Uint8Array {
  if (box.length < NONCE + 16) throw new Error('sealed data is truncated')
  return xchacha20poly1305(key, box.subarray(0, NONCE), new TextEncoder().encode(aad)).decrypt(
    box.subarray(NONCE),
  )
}
