import { execFileSync, spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { openConsole } from '../../src/main/console-core'
import { DomainError } from '../../src/main/domain-error'
import { OsKeyStore } from '../../src/main/keystore/os-keystore'
import { silentLogger } from '../../src/main/platform/logger'
import { fastHasher, tempDir } from '../support/temp-console'

/**
 * Against a real Secret Service (gnome-keyring on a private D-Bus session): `scripts/with-keyring.sh` sets
 * QQSEC_KEYCHAIN_TEST=1, and `npm test` runs this file that way. Elsewhere it skips with one line.
 */
const real = process.env.QQSEC_KEYCHAIN_TEST === '1'
if (!real)
  console.log(
    'os-keychain: skipped — no Secret Service session here (run under scripts/with-keyring.sh; npm test does)',
  )

const secretTool = (...args: string[]) => spawnSync('secret-tool', args, { encoding: 'utf8' })
const lockLogin = () =>
  execFileSync('dbus-send', [
    '--session',
    '--print-reply',
    '--dest=org.freedesktop.secrets',
    '/org/freedesktop/secrets',
    'org.freedesktop.Secret.Service.Lock',
    'array:objpath:/org/freedesktop/secrets/collection/login',
  ])

describe.runIf(real)('the OS keychain (real Secret Service)', () => {
  it('stores, reads and deletes an entry, visible to other Secret Service clients', async () => {
    const dataDir = join(tempDir(), 'd')
    const ks = new OsKeyStore(dataDir)
    const value = new Uint8Array(32).map((_, i) => i)
    await ks.set('cli-session', value)
    expect(Buffer.from((await ks.get('cli-session'))!)).toEqual(Buffer.from(value))
    const found = secretTool('search', '--all', 'service', 'qq-verse-console')
    expect(found.stdout + found.stderr).toMatch(/cli-session@[0-9a-f]{16}/)
    expect(await ks.delete('cli-session')).toBe(true)
    expect(await ks.get('cli-session')).toBeNull()
  })

  it('keeps the master key of a new data dir in the keychain and finds it again', async () => {
    const dataDir = join(tempDir(), 'd')
    const open = () =>
      openConsole({ dataDir, keyStore: new OsKeyStore(dataDir), logger: silentLogger, hasher: fastHasher() })
    const first = await open()
    const key = Buffer.from(first.masterKey)
    first.close()
    const second = await open()
    expect(Buffer.from(second.masterKey)).toEqual(key)
    second.close()
    // another data dir gets its own entry
    const otherDir = join(tempDir(), 'd')
    const other = await openConsole({
      dataDir: otherDir,
      keyStore: new OsKeyStore(otherDir),
      logger: silentLogger,
      hasher: fastHasher(),
    })
    expect(Buffer.from(other.masterKey)).not.toEqual(key)
    other.close()
  })

  it('says plainly when the data dir’s key was removed from the keychain', async () => {
    const dataDir = join(tempDir(), 'd')
    const ks = new OsKeyStore(dataDir)
    ;(await openConsole({ dataDir, keyStore: ks, logger: silentLogger, hasher: fastHasher() })).close()
    expect(await ks.delete('master-key')).toBe(true)
    await expect(openConsole({ dataDir, keyStore: ks, logger: silentLogger })).rejects.toThrow(
      /master key is not in the OS keychain \(Secret Service\)/,
    )
  })

  // Last: it leaves the login collection locked (no prompter can unlock it headless).
  it('tells the user to unlock a locked keyring instead of hanging', async () => {
    const ks = new OsKeyStore(join(tempDir(), 'd'), 5_000)
    await ks.set('cli-session', new Uint8Array([1]))
    lockLogin()
    const e = await ks.get('cli-session').catch((x: unknown) => x)
    expect(e).toBeInstanceOf(DomainError)
    expect((e as DomainError).message).toMatch(/unlock your keyring/)
  })
})

describe.runIf(!real)('the OS keychain without a Secret Service', () => {
  it('fails with the two ways out, never silently', async () => {
    const saved = process.env.DBUS_SESSION_BUS_ADDRESS
    process.env.DBUS_SESSION_BUS_ADDRESS = 'unix:path=/nonexistent/qqsec-bus'
    try {
      const e = await new OsKeyStore(tempDir(), 5_000).get('master-key').catch((x: unknown) => x)
      expect(e).toBeInstanceOf(DomainError)
      expect((e as DomainError).message).toMatch(/start one .*--keystore file .*QQSEC_KEYSTORE_PASSPHRASE/s)
    } finally {
      if (saved === undefined) delete process.env.DBUS_SESSION_BUS_ADDRESS
      else process.env.DBUS_SESSION_BUS_ADDRESS = saved
    }
  })
})
