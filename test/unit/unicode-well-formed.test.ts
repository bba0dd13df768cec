import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Actor } from '../../src/main/engines/vault/vault.service'
import { illFormedPath, isWellFormed, toWellFormed } from '../../src/main/platform/unicode'
import { expectRefusal } from '../support/pipeline-calls'
import { addAccount, signedInAdmin, tempConsole, tempDir, type TestConsole } from '../support/temp-console'

/**
 * Lone UTF-16 surrogates: SQLite stores them as bytes that read back as U+FFFD, so a string hashed or MAC'd before
 * it was stored no longer matches after. Found in review: one such character in a scan path made `audit verify`
 * report an edited entry forever (and retention refuse to archive); one in a state's name failed its MAC and stopped
 * key rotation for the whole vault.
 */
let t: TestConsole
beforeEach(async () => {
  t = await tempConsole()
})
afterEach(() => t.cleanup())

const LONE = 'x\ud800y'

describe('well-formed text', () => {
  it('tells lone surrogates from pairs, and names where one sits in an input', () => {
    expect(isWellFormed('plain ✓ 𝄞')).toBe(true)
    expect(isWellFormed(LONE)).toBe(false)
    expect(isWellFormed('\udc00')).toBe(false)
    expect(toWellFormed(`a\ud800b\udc00c𝄞`)).toBe('a\ufffdb\ufffdc𝄞')
    expect(illFormedPath({ a: ['ok', { b: LONE }] })).toBe('input.a[1].b')
    expect(illFormedPath({ [LONE]: 1 })).toBe('input (a key)')
    expect(illFormedPath({ a: 'ok', n: 1, z: null })).toBeNull()
  })

  it('the pipeline refuses such text before anything runs, and the chain stays intact', async () => {
    const admin = await signedInAdmin(t)
    const e = await expectRefusal(t.core, admin, 'scans.start', { root: `/nonexistent/${LONE}` })
    expect(e.code).toBe('INVALID_INPUT')
    expect(e.message).toMatch(/input\.root is not valid Unicode text/)
    expect(t.core.audit.verify().ok).toBe(true)
  })

  it('an engine writing such text to the audit log directly still leaves a chain that verifies', () => {
    t.core.audit.record({
      type: 'scan',
      actor: `a${LONE}`,
      client: `cli:${LONE}`,
      action: `scan.${LONE}`,
      resource: `folder:/tmp/${LONE}`,
      result: 'success',
      details: { path: LONE },
    })
    const report = t.core.audit.verify()
    expect(report.problems).toEqual([])
    const row = t.core.audit.recent(1).entries[0]!
    expect(row.resource).toBe('folder:/tmp/x\ufffdy')
  })

  it('a state whose name (from the file) is not well-formed is refused; the vault still verifies', async () => {
    await addAccount(t, 'ann', ['admin'])
    const admin: Actor = { userId: 'id-ann', userName: 'ann', roles: ['admin'], client: 'test' }
    const file = join(tempDir(), 'state.json')
    // JSON escapes reach the engine as a lone surrogate once parsed
    writeFileSync(
      file,
      `{"properties":{"name":"bad\\ud800state","qubits":1},"vector":[[1,0],[0,0]],"entanglements":[]}`,
    )
    await expect(t.core.vault.importState(admin, { path: file })).rejects.toThrow(/not valid Unicode text/)
    expect(t.core.vault.list(admin)).toEqual([])
  })
})
