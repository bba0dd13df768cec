import { chacha20poly1305 } from '@noble/ciphers/chacha.js'
import { expand, extract } from '@noble/hashes/hkdf.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { ml_kem768_x25519 } from '@noble/post-quantum/hybrid.js'

/**
 * HPKE (RFC 9180) base mode, single-shot, with the MLKEM768-X25519 KEM of draft-ietf-hpke-pq (X-Wing, KEM id
 * 0x647a), HKDF-SHA256 (0x0001) and ChaCha20-Poly1305 (0x0003): what age's mlkem768x25519 stanza uses.
 */
const enc = new TextEncoder()
const SUITE = Uint8Array.from([...enc.encode('HPKE'), 0x64, 0x7a, 0x00, 0x01, 0x00, 0x03])
const V1 = enc.encode('HPKE-v1')

const cat = (...parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let o = 0
  for (const p of parts) {
    out.set(p, o)
    o += p.length
  }
  return out
}

const labeledExtract = (salt: Uint8Array, label: string, ikm: Uint8Array): Uint8Array =>
  extract(sha256, cat(V1, SUITE, enc.encode(label), ikm), salt)

const labeledExpand = (prk: Uint8Array, label: string, info: Uint8Array, length: number): Uint8Array =>
  expand(
    sha256,
    prk,
    cat(Uint8Array.from([length >> 8, length & 0xff]), V1, SUITE, enc.encode(label), info),
    length,
  )

function keySchedule(sharedSecret: Uint8Array, info: Uint8Array): { key: Uint8Array; nonce: Uint8Array } {
  const empty = new Uint8Array(0)
  const pskIdHash = labeledExtract(empty, 'psk_id_hash', empty)
  const infoHash = labeledExtract(empty, 'info_hash', info)
  const context = cat(Uint8Array.of(0), pskIdHash, infoHash)
  const secret = labeledExtract(sharedSecret, 'secret', empty)
  return {
    key: labeledExpand(secret, 'key', context, 32),
    nonce: labeledExpand(secret, 'base_nonce', context, 12),
  }
}

export const HYBRID_KEM = ml_kem768_x25519

export function sealBase(
  publicKey: Uint8Array,
  info: Uint8Array,
  plaintext: Uint8Array,
): { enc: Uint8Array; ct: Uint8Array } {
  const { cipherText, sharedSecret } = HYBRID_KEM.encapsulate(publicKey)
  const { key, nonce } = keySchedule(sharedSecret, info)
  return { enc: cipherText, ct: chacha20poly1305(key, nonce).encrypt(plaintext) }
}

/** Returns null when the ciphertext does not open with this key (not addressed to us, or altered). */
export function openBase(
  encapsulated: Uint8Array,
  secretKey: Uint8Array,
  info: Uint8Array,
  ct: Uint8Array,
): Uint8Array | null {
  const sharedSecret = HYBRID_KEM.decapsulate(encapsulated, secretKey)
  const { key, nonce } = keySchedule(sharedSecret, info)
  try {
    return chacha20poly1305(key, nonce).decrypt(ct)
  } catch {
    return null
  }
}
