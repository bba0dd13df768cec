import { spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { qqsec } from '../support/run-cli'

/** `qqsec age` against the age tool (Debian package `age`, installed by the test command) in both directions. */
const dir = mkdtempSync(join(tmpdir(), 'age-cli-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const p = (name: string) => join(dir, name)
const tool = (args: string[]) => spawnSync(args[0]!, args.slice(1), { encoding: 'utf8' })
const plain = randomBytes(300_000)
writeFileSync(p('plain'), plain)

describe('qqsec age and the age tool', () => {
  it('age encrypts to a qqsec identity; qqsec decrypts', () => {
    expect(qqsec(['age', 'keygen', '-o', p('q.key')], {}).code).toBe(0)
    const rec = qqsec(['age', 'keygen', '-y', p('q.key')], {}).stdout.trim()
    expect(rec).toMatch(/^age1[0-9a-z]{58}$/)
    expect(readFileSync(p('q.key'), 'utf8')).toContain(`# public key: ${rec}`)
    expect(tool(['age', '-r', rec, '-o', p('a.age'), p('plain')]).status).toBe(0)
    const r = qqsec(['age', 'decrypt', '-i', p('q.key'), '-o', p('a.out'), p('a.age')], {})
    expect(r.stderr).toBe('')
    expect(readFileSync(p('a.out')).equals(plain)).toBe(true)
  })
  it('qqsec encrypts (binary and armored) to an age-keygen identity; age decrypts', () => {
    tool(['age-keygen', '-o', p('a.key')])
    const rec = tool(['age-keygen', '-y', p('a.key')]).stdout.trim()
    for (const armor of [[], ['-a']]) {
      const out = p(`q${armor.length}.age`)
      expect(qqsec(['age', 'encrypt', '-r', rec, ...armor, '-o', out, p('plain')], {}).code).toBe(0)
      const d = tool(['age', '-d', '-i', p('a.key'), '-o', `${out}.out`, out])
      expect(d.stderr).toBe('')
      expect(readFileSync(`${out}.out`).equals(plain)).toBe(true)
    }
  })
  it('passphrase (scrypt) files round-trip; age itself reads passphrases only from a terminal', () => {
    const env = { QQSEC_AGE_PASSPHRASE: 'interop passphrase 42' }
    expect(qqsec(['age', 'encrypt', '-p', '-o', p('pw.age'), p('plain')], env).code).toBe(0)
    expect(readFileSync(p('pw.age'), 'latin1')).toMatch(/^age-encryption\.org\/v1\n-> scrypt /)
    expect(qqsec(['age', 'decrypt', '-o', p('pw.out'), p('pw.age')], env).code).toBe(0)
    expect(readFileSync(p('pw.out')).equals(plain)).toBe(true)
  })
  it('a post-quantum identity round-trips; a damaged file fails with one line and no output', () => {
    expect(qqsec(['age', 'keygen', '--pq', '-o', p('pq.key')], {}).code).toBe(0)
    const rec = qqsec(['age', 'keygen', '-y', p('pq.key')], {}).stdout.trim()
    expect(rec).toMatch(/^age1pq1/)
    expect(qqsec(['age', 'encrypt', '-r', rec, '-o', p('pq.age'), p('plain')], {}).code).toBe(0)
    expect(qqsec(['age', 'decrypt', '-i', p('pq.key'), '-o', p('pq.out'), p('pq.age')], {}).code).toBe(0)
    expect(readFileSync(p('pq.out')).equals(plain)).toBe(true)
    const bad = readFileSync(p('pq.age'))
    bad[bad.length - 10]! ^= 1
    writeFileSync(p('bad.age'), bad)
    const r = qqsec(['age', 'decrypt', '-i', p('pq.key'), '-o', p('bad.out'), p('bad.age')], {})
    expect(r.code).toBe(1)
    expect(r.stderr.trim().split('\n')).toHaveLength(1)
    expect(r.stderr).toMatch(/fails authentication/)
    expect(existsSync(p('bad.out'))).toBe(false)
  })
  it('refuses to overwrite an identity file and to encrypt without recipients', () => {
    expect(qqsec(['age', 'keygen', '-o', p('q.key')], {}).stderr).toMatch(/already exists/)
    expect(qqsec(['age', 'encrypt', '-o', p('none.age'), p('plain')], {}).code).toBe(2)
    expect(existsSync(p('none.age'))).toBe(false)
  })
})
