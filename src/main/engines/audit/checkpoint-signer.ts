import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto'
import type { Db } from '../../db/connection'
import { deriveKey, open, seal } from '../../crypto/primitives'

/** The bytes a checkpoint signature covers. */
export const checkpointMessage = (count: number, headHash: string, time: string): Buffer =>
  Buffer.from(`qq-verse-audit-checkpoint/v1\n${count}\n${headHash}\n${time}`, 'utf8')

/**
 * Ed25519 key that signs audit checkpoints. The private half is sealed under a key derived from the keychain
 * master key; the public half is kept in the clear so a reviewer can check signatures without the console.
 */
export class CheckpointSigner {
  private constructor(
    private readonly privateKey: KeyObject,
    readonly publicKeyPem: string,
  ) {}

  static loadOrCreate(db: Db, masterKey: Uint8Array): CheckpointSigner {
    const key = deriveKey(masterKey, 'audit-signing')
    const row = db.prepare(`SELECT value FROM meta WHERE key = 'audit_signing_key'`).get() as
      { value: string } | undefined
    if (row) {
      const der = Buffer.from(open(key, Buffer.from(row.value, 'base64'), 'audit-signing-key'))
      const privateKey = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' })
      return new CheckpointSigner(
        privateKey,
        createPublicKey(privateKey).export({ format: 'pem', type: 'spki' }).toString(),
      )
    }
    const pair = generateKeyPairSync('ed25519')
    const der = pair.privateKey.export({ format: 'der', type: 'pkcs8' })
    const pem = pair.publicKey.export({ format: 'pem', type: 'spki' }).toString()
    db.transaction(() => {
      db.prepare(`INSERT INTO meta (key, value) VALUES ('audit_signing_key', ?)`).run(
        Buffer.from(seal(key, der, 'audit-signing-key')).toString('base64'),
      )
      db.prepare(`INSERT INTO meta (key, value) VALUES ('audit_public_key', ?)`).run(pem)
    })()
    return new CheckpointSigner(pair.privateKey, pem)
  }

  /** Sign a document digest (evidence bundles) with the same key. */
  signDigest(digest: Buffer): string {
    return sign(null, digest, this.privateKey).toString('base64')
  }

  sign(count: number, headHash: string, time: string): string {
    return sign(null, checkpointMessage(count, headHash, time), this.privateKey).toString('base64')
  }
}

/** Check a checkpoint signature with a public key in PEM (no console needed). */
export function verifyCheckpointSignature(
  publicKeyPem: string,
  count: number,
  headHash: string,
  time: string,
  signature: string,
): boolean {
  try {
    return verify(
      null,
      checkpointMessage(count, headHash, time),
      createPublicKey(publicKeyPem),
      Buffer.from(signature, 'base64'),
    )
  } catch {
    return false
  }
}
