import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openConsole, type ConsoleCore } from '../../src/main/console-core'
import { PasswordHasher } from '../../src/main/engines/auth/password-hasher'
import { totpAt } from '../../src/main/engines/auth/one-time-codes'
import { FileKeyStore } from '../../src/main/keystore/file-keystore'
import { KDF_FLOOR } from '../../src/main/keystore/kdf-params'
import type { Caller } from '../../src/main/ipc/caller'
import { ManualClock } from '../../src/main/platform/clock'
import { silentLogger } from '../../src/main/platform/logger'
import { dataFiles } from '../../src/main/platform/data-dir'

export const STRONG_PASSWORD = 'Correct-Horse-Battery-9!x'
export const KEYSTORE_PASSPHRASE = 'test-keystore-passphrase-1'

/** OWASP's argon2id floor: real hashing, fast enough for a test suite. */
export const fastHasher = () => new PasswordHasher({ memoryCost: 19_456, timeCost: 2, parallelism: 1 })

export const tempDir = (prefix = 'qqsec-test-'): string => mkdtempSync(join(tmpdir(), prefix))

export const fileKeyStore = (dataDir: string, passphrase = KEYSTORE_PASSPHRASE) =>
  new FileKeyStore(dataFiles(dataDir).fileKeystore, passphrase, KDF_FLOOR)

export interface TestConsole {
  core: ConsoleCore
  clock: ManualClock
  dataDir: string
  cleanup(): void
}

/** A real console (SQLite, file keystore, argon2id) on a fresh temp data dir with a manual clock. */
export async function tempConsole(): Promise<TestConsole> {
  const root = tempDir()
  const dataDir = join(root, 'data')
  const clock = new ManualClock()
  const core = await openConsole({
    dataDir,
    keyStore: fileKeyStore(dataDir),
    clock,
    logger: silentLogger,
    hasher: fastHasher(),
  })
  return {
    core,
    clock,
    dataDir,
    cleanup: () => {
      core.close()
      rmSync(root, { recursive: true, force: true })
    },
  }
}

/** A caller as a transport would build it; records the session the pipeline binds. */
export function testCaller(over: Partial<Caller> = {}): Caller {
  return {
    transport: 'ipc',
    client: 'ipc:1',
    senderVerified: true,
    sessionToken: null,
    bindSession(token) {
      this.sessionToken = token
    },
    ...over,
  }
}

/**
 * Set up the first admin with TOTP switched on (the default policy requires MFA for admins) and return a
 * signed-in caller for it. The TOTP secret is returned for tests that need more codes.
 */
export async function signedInAdmin(
  t: TestConsole,
  name = 'alice',
): Promise<Caller & { totpSecret: string }> {
  const setup = await t.core.invoke(testCaller(), 'auth.setupAdmin', { name, password: STRONG_PASSWORD })
  if (!setup.ok) throw new Error(`setup failed: ${setup.error.message}`)
  const { secret } = t.core.mfa.enrollNow(t.core.users.idOf(name), name)
  const caller = { ...testCaller(), totpSecret: secret }
  const login = await t.core.invoke(caller, 'auth.login', {
    name,
    password: STRONG_PASSWORD,
    otp: totpAt(secret, t.clock.now()),
  })
  if (!login.ok) throw new Error(`login failed: ${login.error.message}`)
  t.clock.advance(30_000) // the next code is a new time step
  return caller
}

/** Add an account with the given roles directly (the accounts API arrives with the identity issue). */
export async function addAccount(t: TestConsole, name: string, roles: string[]): Promise<void> {
  const hash = await fastHasher().hash(STRONG_PASSWORD)
  const id = `id-${name}`
  t.core.db
    .prepare(`INSERT INTO users (id, name, password_hash, created_at) VALUES (?, ?, ?, ?)`)
    .run(id, name, hash, new Date(t.clock.now()).toISOString())
  for (const r of roles) t.core.db.prepare(`INSERT INTO user_roles (user_id, role) VALUES (?, ?)`).run(id, r)
}
