import { generateKeyPairSync, sign } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { bundleSchema, verifyBundle, type EvidenceBundle } from '../../src/main/engines/audit/evidence-bundle'
import { signedInAdmin, tempConsole, type TestConsole } from '../support/temp-console'
import { createHash } from 'node:crypto'

let t: TestConsole
let bundle: EvidenceBundle
beforeEach(async () => {
  t = await tempConsole()
  const admin = await signedInAdmin(t)
  for (let i = 0; i < 5; i++) await t.core.invoke(admin, 'users.list', {})
  const r = await t.core.invoke(admin, 'audit.exportBundle', {
    standard: 'all',
    from: '2025-12-01T00:00:00.000Z',
    to: '2026-02-01T00:00:00.000Z',
  })
  if (!r.ok) throw new Error(r.error.message)
  bundle = bundleSchema.parse(JSON.parse((r.value as { bundle: string }).bundle))
})
afterEach(() => t.cleanup())

/** Re-sign a changed bundle with a key of the attacker's own, as someone forging one would have to. */
const forge = (b: EvidenceBundle): EvidenceBundle => {
  const pair = generateKeyPairSync('ed25519')
  const { signature: _s, ...unsigned } = {
    ...b,
    publicKey: pair.publicKey.export({ format: 'pem', type: 'spki' }).toString(),
  }
  const digest = createHash('sha256').update(JSON.stringify(unsigned)).digest()
  return { ...unsigned, signature: sign(null, digest, pair.privateKey).toString('base64') }
}

describe('evidence bundles', () => {
  it('verify on their own: signature, checkpoints, chain and period', () => {
    const v = verifyBundle(bundle)
    expect(v).toMatchObject({ ok: true, problems: [] })
    expect(v.periodEntries).toBeGreaterThanOrEqual(7)
    expect(v.keyFingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}=$/)
    expect(bundle.report).toMatchObject({ standard: 'all' })
  })

  it('detect an edited entry', () => {
    const b = structuredClone(bundle)
    b.entries[2]!.actor = 'mallory'
    expect(verifyBundle(b).problems[0]).toMatch(/altered after it was made/)
  })

  it('detect a forgery re-signed with another key: the checkpoints no longer verify and the fingerprint differs', () => {
    const b = structuredClone(bundle)
    b.entries.splice(3, 1)
    const forged = forge(b)
    const v = verifyBundle(forged)
    expect(v.ok).toBe(false)
    expect(v.problems.join(' ')).toMatch(/checkpoint's signature is invalid/)
    expect(v.keyFingerprint).not.toBe(verifyBundle(bundle).keyFingerprint)
  })

  it('refuse something that is not a bundle', () => {
    expect(verifyBundle({ hello: 'world' })).toMatchObject({
      ok: false,
      problems: [expect.stringMatching(/not an evidence bundle/)],
    })
  })
})
