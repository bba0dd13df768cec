import { spawn } from 'node:child_process'
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { openConsole } from '../../src/main/console-core'
import { totpAt } from '../../src/main/engines/auth/one-time-codes'
import { npyHeader } from '../../src/main/engines/vault/state-format'
import { silentLogger } from '../../src/main/platform/logger'
import { BIN, qqsec } from '../support/run-cli'
import { fileKeyStore, STRONG_PASSWORD, tempDir } from '../support/temp-console'

const PASSPHRASE = 'vault-ops-passphrase-1'

/** A normalized complex128 state of n qubits (a simple ramp, cheap to build at 2^23 amplitudes). */
function npy(n: number): Buffer {
  const len = 2 ** n
  const body = Buffer.alloc(len * 16)
  const a = 1 / Math.sqrt(len)
  for (let i = 0; i < len; i++) body.writeDoubleLE(i % 2 ? a : -a, i * 16)
  return Buffer.concat([npyHeader('<c16', len), body])
}

async function setUp() {
  const root = tempDir()
  const env = {
    QQSEC_DATA_DIR: join(root, 'data'),
    QQSEC_KEYSTORE: 'file',
    QQSEC_KEYSTORE_PASSPHRASE: PASSPHRASE,
  }
  const totpFile = join(root, 'totp')
  const init = qqsec(['init', '--admin', 'alice', '--totp-out', totpFile], {
    ...env,
    QQSEC_PASSWORD: STRONG_PASSWORD,
  })
  expect(init.code, init.stderr).toBe(0)
  const secret = /secret=([A-Z2-7]+)/.exec(readFileSync(totpFile, 'utf8'))![1]!
  const login = qqsec(['login', '--user', 'alice', '--otp', totpAt(secret, Date.now())], {
    ...env,
    QQSEC_PASSWORD: STRONG_PASSWORD,
  })
  expect(login.code, login.stderr).toBe(0)
  return { root, env }
}

describe('vault operational safety across processes', () => {
  it('a rotation lock held by one process refuses rotate-keys and import in another', async () => {
    const { root, env } = await setUp()
    const p = join(root, 'a.npy')
    writeFileSync(p, npy(6))
    expect(qqsec(['vault', 'import', p], env).code).toBe(0)
    const app = await openConsole({
      dataDir: env.QQSEC_DATA_DIR,
      keyStore: fileKeyStore(env.QQSEC_DATA_DIR, PASSPHRASE),
      logger: silentLogger,
    })
    try {
      const aliceId = app.users.idOf('alice')
      const lock = app.vault.lockRotation({
        userId: aliceId,
        userName: 'alice',
        roles: ['admin'],
        client: 'app',
      })
      const rotate = qqsec(['vault', 'rotate-keys'], env)
      expect(rotate.code).not.toBe(0)
      expect(rotate.stderr).toMatch(
        /A key rotation is already running .* by alice\); wait for it or cancel it/,
      )
      const imp = qqsec(['vault', 'import', p], env)
      expect(imp.code).not.toBe(0)
      expect(imp.stderr).toMatch(/key rotation is running/)
      lock.release()
      const ok = qqsec(['vault', 'rotate-keys'], env)
      expect(ok.code, ok.stderr).toBe(0)
    } finally {
      app.close()
    }
  }, 120_000)

  it('an import killed mid-way leaves a temp file that the next start-up removes', async () => {
    const { root, env } = await setUp()
    const big = join(root, 'big.npy')
    writeFileSync(big, npy(23)) // 128 MiB: long enough to be caught mid-way
    const vaultDir = join(env.QQSEC_DATA_DIR, 'vault')
    const temps = () => {
      try {
        return readdirSync(vaultDir).filter((f) => /^\..*\.age\.[0-9a-f]{12}\.tmp$/.test(f))
      } catch {
        return []
      }
    }
    const child = spawn(process.execPath, [BIN, 'vault', 'import', big], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
      stdio: 'ignore',
    })
    const exited = new Promise((r) => child.once('exit', r))
    const until = Date.now() + 60_000
    while (temps().length === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 2))
    child.kill('SIGKILL')
    await exited
    const left = temps()
    expect(left, 'the import should have been caught with its temp file').toHaveLength(1)
    const list = qqsec(['vault', 'list', '--format', 'json'], env)
    expect(list.code, list.stderr).toBe(0)
    expect(JSON.parse(list.stdout)).toEqual([])
    expect(temps()).toEqual([])
    // and the vault works: a new import and a rotation
    const small = join(root, 's.npy')
    writeFileSync(small, npy(5))
    expect(qqsec(['vault', 'import', small], env).code).toBe(0)
    const rot = qqsec(['vault', 'rotate-keys'], env)
    expect(rot.code, rot.stderr).toBe(0)
  }, 180_000)
})
