import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { gunzipSync, gzipSync } from 'node:zlib'
import { beforeAll, describe, expect, it } from 'vitest'
import { totpAt } from '../../src/main/engines/auth/one-time-codes'
import { qqsec } from '../support/run-cli'
import { STRONG_PASSWORD, tempDir } from '../support/temp-console'

let env: Record<string, string>
let out: string
beforeAll(() => {
  const dataDir = join(tempDir(), 'data')
  env = {
    QQSEC_DATA_DIR: dataDir,
    QQSEC_KEYSTORE: 'file',
    QQSEC_KEYSTORE_PASSPHRASE: 'cli-test-passphrase-1',
  }
  const totpFile = join(tempDir(), 'totp')
  const pw = { ...env, QQSEC_PASSWORD: STRONG_PASSWORD }
  expect(qqsec(['init', '--admin', 'alice', '--totp-out', totpFile], pw).code).toBe(0)
  const secret = /secret=([A-Z2-7]+)/.exec(readFileSync(totpFile, 'utf8'))![1]!
  const login = qqsec(['login', '--user', 'alice', '--otp', totpAt(secret, Date.now())], pw)
  expect(login.code, login.stderr).toBe(0)
  out = join(tempDir('qqsec-archive-cli-'), 'audit.jsonl.gz')
})

describe('qqsec audit archive / verify --archive', () => {
  it('archives, verifies the archive with no data dir, and the live log still verifies', () => {
    expect(qqsec(['audit', 'archive', '-o', out], env)).toMatchObject({ code: 2 }) // retention off, no age given
    expect(qqsec(['audit', 'archive', '--older-than', 'x', '-o', out], env).code).toBe(2)

    const a = qqsec(['audit', 'archive', '--older-than', '0', '-o', out], env)
    expect(a.code, a.stderr).toBe(0)
    expect(a.stdout).toMatch(/^Archived audit entries 1–\d+ /)
    expect(existsSync(out)).toBe(true)

    const live = qqsec(['audit', 'verify'], env)
    expect(live.code, live.stderr).toBe(0)
    expect(live.stdout).toMatch(/entries up to \d+ are archived/)

    // A clean machine: an empty data dir that must stay untouched, no keystore, no session.
    const clean = join(tempDir(), 'nothing-here')
    const v = qqsec(['audit', 'verify', '--archive', out], { QQSEC_DATA_DIR: clean })
    expect(v.code, v.stderr).toBe(0)
    expect(v.stdout.trim().split('\n')).toHaveLength(1)
    expect(v.stdout).toMatch(/^archive: intact — entries 1–\d+ .* signed by SHA256:/)
    expect(existsSync(clean)).toBe(false)

    const r = qqsec(['audit', 'retention'], env)
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toContain('audit retention: off')
    expect(r.stdout).toMatch(/archived: entries 1–\d+ .* audit\.jsonl\.gz/)
    expect(qqsec(['audit', 'retention', '--set', '400'], env).stdout).toContain('older than 400 days')
    expect(qqsec(['audit', 'retention', '--set', '0'], env).code).toBe(2)
  })

  it('names a tampered archive and exits 1; refuses a file that is not one with exit 2', () => {
    const edited = join(tempDir(), 'edited.jsonl.gz')
    const lines = gunzipSync(readFileSync(out)).toString('utf8').trimEnd().split('\n')
    lines[2] = lines[2]!.replace('"success"', '"failure"')
    writeFileSync(edited, gzipSync(lines.join('\n') + '\n'))
    const v = qqsec(['audit', 'verify', '--archive', edited], {})
    expect(v.code).toBe(1)
    expect(v.stderr).toMatch(/BROKEN — edited: entry 2 was edited/)

    const notOne = join(tempDir(), 'x.gz')
    writeFileSync(notOne, 'hello')
    expect(qqsec(['audit', 'verify', '--archive', notOne], {}).code).toBe(2)
  })

  it('a second archive joins the first; given in any order they verify together', () => {
    // New entries since: the logins and calls above. Archive them too, then check both files.
    const second = join(tempDir('qqsec-archive-cli-'), 'audit-2.jsonl.gz')
    const a = qqsec(['audit', 'archive', '--older-than', '0', '-o', second], env)
    expect(a.code, a.stderr).toBe(0)
    const v = qqsec(['audit', 'verify', '--archive', second, '--archive', out], {})
    expect(v.code, v.stderr).toBe(0)
    expect(v.stdout).toContain('2 archives join without a gap')
    expect(qqsec(['audit', 'verify'], env).code).toBe(0)
    // --live: each archive is the one a signed cut of this console names; an altered copy is refused.
    const live = qqsec(['audit', 'verify', '--archive', out, '--archive', second, '--live'], env)
    expect(live.code, live.stderr).toBe(0)
    expect(live.stdout).toMatch(/live log: .*audit-2\.jsonl\.gz is the archive of entries \d+–\d+ recorded/)
    const other = join(tempDir(), 'other.jsonl.gz')
    const lines = gunzipSync(readFileSync(second)).toString('utf8').trimEnd().split('\n')
    const header = JSON.parse(lines[0]!) as { createdAt: string }
    header.createdAt = '2000-01-01T00:00:00.000Z'
    writeFileSync(other, gzipSync([JSON.stringify(header), ...lines.slice(1)].join('\n') + '\n'))
    const foreign = qqsec(['audit', 'verify', '--archive', other, '--live'], env)
    expect(foreign.code).toBe(1)
    expect(foreign.stderr).toMatch(/bad-signature/)
  })
})
