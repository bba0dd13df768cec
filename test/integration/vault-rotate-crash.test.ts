import { spawn } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { npyHeader } from '../../src/main/engines/vault/state-format'
import { totpAt } from '../../src/main/engines/auth/one-time-codes'
import { BIN, qqsec } from '../support/run-cli'
import { STRONG_PASSWORD, tempDir } from '../support/temp-console'

/** A normalized complex128 state of n qubits with amplitudes from `seed`. */
function npy(n: number, seed: number): Buffer {
  const len = 2 ** n
  const body = Buffer.alloc(len * 16)
  let x = seed
  const vals = Array.from({ length: len * 2 }, () => (x = (x * 16807) % 2147483647) / 2147483647 - 0.5)
  const norm = Math.sqrt(vals.reduce((s, v) => s + v * v, 0))
  vals.forEach((v, i) => body.writeDoubleLE(v / norm, i * 8))
  return Buffer.concat([npyHeader('<c16', len), body])
}

describe('vault rotate-keys under SIGKILL', () => {
  it('is killed at random points, resumes, and every file still decrypts to its original bytes', async () => {
    const root = tempDir()
    const env = {
      QQSEC_DATA_DIR: join(root, 'data'),
      QQSEC_KEYSTORE: 'file',
      QQSEC_KEYSTORE_PASSPHRASE: 'vault-crash-passphrase-1',
    }
    const totpFile = join(root, 'totp')
    expect(
      qqsec(['init', '--admin', 'alice', '--totp-out', totpFile], { ...env, QQSEC_PASSWORD: STRONG_PASSWORD })
        .code,
    ).toBe(0)
    const secret = /secret=([A-Z2-7]+)/.exec(readFileSync(totpFile, 'utf8'))![1]!
    const login = qqsec(['login', '--user', 'alice', '--otp', totpAt(secret, Date.now())], {
      ...env,
      QQSEC_PASSWORD: STRONG_PASSWORD,
    })
    expect(login.code, login.stderr).toBe(0)
    const states: { id: string; bytes: Buffer }[] = []
    for (let i = 0; i < 8; i++) {
      const bytes = npy(8 + (i % 4), i + 1)
      const p = join(root, `s${i}.npy`)
      writeFileSync(p, bytes)
      const r = qqsec(['vault', 'import', p, '--name', `s${i}`], env)
      expect(r.code, r.stderr).toBe(0)
      states.push({ id: /as ([0-9a-f-]{36})/.exec(r.stdout)![1]!, bytes })
    }
    let seed = 12345
    const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647
    // Kills should land during the rotation, not during start-up: time a start-up first and aim past it.
    const t0 = Date.now()
    expect(qqsec(['vault', 'list'], env).code).toBe(0)
    const startup = Date.now() - t0
    for (let k = 0; k < 5; k++) {
      const child = spawn(process.execPath, [BIN, 'vault', 'rotate-keys'], {
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
        stdio: 'ignore',
      })
      // Listen for the exit at once: a rotation can finish before the kill, and 'exit' is not replayed.
      const exited = new Promise((r) => child.once('exit', r))
      const delay = startup * 0.9 + rnd() * startup
      await new Promise((r) => setTimeout(r, delay))
      child.kill('SIGKILL')
      await exited
    }
    const finish = qqsec(['vault', 'rotate-keys'], env)
    expect(finish.code, finish.stderr).toBe(0)
    const verify = qqsec(['vault', 'verify'], env)
    expect(verify.code, verify.stdout + verify.stderr).toBe(0)
    for (const s of states) {
      const out = join(root, `${s.id}.out.npy`)
      const r = qqsec(['vault', 'export', s.id, '-o', out], env)
      expect(r.code, r.stderr).toBe(0)
      expect(readFileSync(out).equals(s.bytes)).toBe(true)
    }
  }, 420_000)
})
