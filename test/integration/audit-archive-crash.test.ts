import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { totpAt } from '../../src/main/engines/auth/one-time-codes'
import { BIN, qqsec } from '../support/run-cli'
import { STRONG_PASSWORD, tempDir } from '../support/temp-console'

describe('qqsec audit archive under SIGKILL', () => {
  it('is killed at random points; the live log always verifies, every archive left behind verifies, and archiving again completes', async () => {
    const root = tempDir()
    const env = {
      QQSEC_DATA_DIR: join(root, 'data'),
      QQSEC_KEYSTORE: 'file',
      QQSEC_KEYSTORE_PASSPHRASE: 'archive-crash-passphrase-1',
    }
    const totpFile = join(root, 'totp')
    const pw = { ...env, QQSEC_PASSWORD: STRONG_PASSWORD }
    expect(qqsec(['init', '--admin', 'alice', '--totp-out', totpFile], pw).code).toBe(0)
    const secret = /secret=([A-Z2-7]+)/.exec(readFileSync(totpFile, 'utf8'))![1]!
    expect(qqsec(['login', '--user', 'alice', '--otp', totpAt(secret, Date.now())], pw).code).toBe(0)
    for (let i = 0; i < 8; i++) expect(qqsec(['audit', 'search', '--limit', '1'], env).code).toBe(0)
    const archives = join(root, 'archives')
    const t0 = Date.now()
    expect(qqsec(['audit', 'verify'], env).code).toBe(0)
    const startup = Date.now() - t0
    let seed = 4242
    const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647
    mkdirSync(archives)
    for (let k = 0; k < 4; k++) {
      const child = spawn(
        process.execPath,
        [BIN, 'audit', 'archive', '--older-than', '0', '-o', join(archives, `a${k}.jsonl.gz`)],
        { env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env }, stdio: 'ignore' },
      )
      const exited = new Promise((r) => child.once('exit', r))
      await new Promise((r) => setTimeout(r, startup * 0.8 + rnd() * startup * 0.8))
      child.kill('SIGKILL')
      await exited
      // After every kill: the live log is intact and every archive file that exists verifies on its own.
      const live = qqsec(['audit', 'verify'], env)
      expect(live.code, live.stdout + live.stderr).toBe(0)
      for (const f of readdirSync(archives).filter((n) => n.endsWith('.jsonl.gz'))) {
        const v = qqsec(['audit', 'verify', '--archive', join(archives, f)], {})
        expect(v.code, `${f}: ${v.stderr}`).toBe(0)
      }
    }
    const done = qqsec(['audit', 'archive', '--older-than', '0', '-o', join(archives, 'final.jsonl.gz')], env)
    expect(done.code, done.stderr).toBe(0)
    expect(existsSync(join(archives, 'final.jsonl.gz'))).toBe(true)
    expect(qqsec(['audit', 'verify'], env).code).toBe(0)
    // Every recorded cut names an archive that exists and verifies, and the recorded cuts join without a gap.
    const r = qqsec(['audit', 'retention'], env)
    const cuts = [...r.stdout.matchAll(/archived: entries (\d+)–(\d+) \(through \S+\) to (\S+) /g)]
    expect(cuts.length).toBeGreaterThan(0)
    let next = 1
    for (const [, first, last, name] of cuts) {
      expect(Number(first)).toBe(next)
      next = Number(last) + 1
      expect(existsSync(join(archives, name!)), name).toBe(true)
    }
    const all = cuts.map(([, , , name]) => ['--archive', join(archives, name!)]).flat()
    const joined = qqsec(['audit', 'verify', ...all], {})
    expect(joined.code, joined.stderr).toBe(0)
  }, 180_000)
})
