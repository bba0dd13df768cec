import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeEach, describe, expect, it } from 'vitest'
import { qqsec, startServe } from '../support/run-cli'
import { totpAt } from '../../src/main/engines/auth/one-time-codes'
import { STRONG_PASSWORD, tempDir } from '../support/temp-console'

let env: Record<string, string>
let dataDir: string
beforeEach(() => {
  dataDir = join(tempDir(), 'data')
  env = {
    QQSEC_DATA_DIR: dataDir,
    QQSEC_KEYSTORE: 'file',
    QQSEC_KEYSTORE_PASSPHRASE: 'cli-test-passphrase-1',
  }
})
let totpFile: string
const init = () => {
  totpFile = join(tempDir(), 'totp')
  return qqsec(['init', '--admin', 'alice', '--totp-out', totpFile], {
    ...env,
    QQSEC_PASSWORD: STRONG_PASSWORD,
  })
}
/** The current TOTP code for alice, from the otpauth URI init wrote (offset in seconds). */
const code = (offsetSeconds = 0) => {
  const secret = /secret=([A-Z2-7]+)/.exec(readFileSync(totpFile, 'utf8'))![1]!
  return totpAt(secret, Date.now() + offsetSeconds * 1000)
}
const sha = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex')

describe('qqsec', () => {
  it('lists its commands, and every command has --help', () => {
    const help = qqsec(['--help'], env)
    expect(help.code).toBe(0)
    const commands = [
      'init',
      'login',
      'logout',
      'whoami',
      'passwd',
      'sessions',
      'status',
      'serve',
      'access-review',
    ]
    for (const c of commands) {
      expect(help.stdout).toContain(c)
      const r = qqsec([c, '--help'], env)
      expect(r.code, c).toBe(0)
      expect(r.stdout, c).toContain(`Usage: qqsec ${c}`)
    }
    for (const [group, subs] of [
      [
        'user',
        ['list', 'add', 'lock', 'unlock', 'reset-mfa', 'reset-password', 'delete', 'roles', 'sessions'],
      ],
      ['role', ['list', 'create']],
      ['mfa', ['status', 'enroll', 'confirm', 'backup-codes', 'disable']],
    ] as const) {
      for (const sub of subs) {
        const r = qqsec([group, sub, '--help'], env)
        expect(r.code, `${group} ${sub}`).toBe(0)
        expect(r.stdout).toContain(`Usage: qqsec ${group} ${sub}`)
      }
    }
  })

  it('exits 2 on usage errors', () => {
    expect(qqsec(['frobnicate'], env).code).toBe(2)
    expect(qqsec(['login'], env).code).toBe(2)
    expect(qqsec(['--keystore', 'cloud', 'status'], env).code).toBe(2)
    expect(qqsec(['serve', '--port', '99999'], env).code).toBe(2)
  })

  it('refuses a weak password at init and creates nothing', () => {
    const r = qqsec(['init', '--admin', 'bob'], { ...env, QQSEC_PASSWORD: 'password1234' })
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/Password rejected: .*commonly used|Too easy to guess/)
    expect(existsSync(dataDir)).toBe(false)
  })

  it('init → login → whoami → logout, with the session kept in the keystore', () => {
    const i = init()
    expect(i.code, i.stderr).toBe(0)
    expect(i.stdout).toContain('administrator "alice"')
    expect(i.stdout).toMatch(/Backup codes/)
    expect(statSync(totpFile).mode & 0o777).toBe(0o600)
    expect(qqsec(['init', '--admin', 'alice'], { ...env, QQSEC_PASSWORD: STRONG_PASSWORD }).code).toBe(2) // already set up
    const pw = { ...env, QQSEC_PASSWORD: STRONG_PASSWORD }
    const noCode = qqsec(['login', '--user', 'alice'], pw)
    expect(noCode.code).toBe(3)
    expect(noCode.stderr).toMatch(/--otp CODE/)
    expect(qqsec(['login', '--user', 'alice', '--otp', code()], pw).code).toBe(0)
    const who = qqsec(['whoami', '--json'], env)
    expect(who.code).toBe(0)
    expect(JSON.parse(who.stdout)).toMatchObject({ user: { name: 'alice', roles: ['admin'] } })
    // the token is sealed in the keystore file, never in a plain file
    const ks = readFileSync(join(dataDir, 'keystore.json'), 'utf8')
    expect(Object.keys(JSON.parse(ks).entries)).toEqual(['master-key', 'cli-session'])
    expect(qqsec(['logout'], env).stdout).toContain('Signed out alice')
    expect(qqsec(['whoami'], env).code).toBe(3)
  })

  it('reads the password from one line of stdin when not on a terminal', () => {
    expect(init().code).toBe(0)
    expect(qqsec(['login', '--user', 'alice', '--otp', code()], env, `${STRONG_PASSWORD}\n`).code).toBe(0)
    expect(qqsec(['login', '--user', 'alice'], env, '').code).toBe(2)
  })

  it('exits 3 with one line for a wrong password, and says until when a locked account is locked', () => {
    expect(init().code).toBe(0)
    for (let i = 0; i < 4; i++) {
      const r = qqsec(['login', '--user', 'alice'], { ...env, QQSEC_PASSWORD: 'Wrong-Password-123!' })
      expect(r.code).toBe(3)
      expect(r.stderr.trim()).toBe('qqsec: Wrong account name or password.')
    }
    const locked = qqsec(['login', '--user', 'alice'], { ...env, QQSEC_PASSWORD: 'Wrong-Password-123!' })
    expect(locked.stderr).toMatch(
      /Account locked until \d{4}-\d\d-\d\d \d\d:\d\d UTC after 5 failed attempts/,
    )
    const right = qqsec(['login', '--user', 'alice', '--otp', code(30)], {
      ...env,
      QQSEC_PASSWORD: STRONG_PASSWORD,
    })
    expect(right.code).toBe(3)
    expect(right.stderr).toMatch(/locked until/)
  })

  it('refuses a wrong keystore passphrase without changing anything', () => {
    expect(init().code).toBe(0)
    const before = sha(join(dataDir, 'console.db'))
    const r = qqsec(['status'], { ...env, QQSEC_KEYSTORE_PASSPHRASE: 'not-the-passphrase' })
    expect(r.code).toBe(3)
    expect(r.stderr).toMatch(/does not unlock/)
    expect(sha(join(dataDir, 'console.db'))).toBe(before)
  })

  it('points to the file keystore when the OS keychain has no key for a file-keystore data dir', () => {
    expect(init().code).toBe(0)
    // No Secret Service is reachable through this bus address, so the OS keychain refuses with the two ways out.
    const r = qqsec(['status'], {
      QQSEC_DATA_DIR: dataDir,
      DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus',
    })
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/--keystore file/)
  })

  it('refuses a corrupted database file and leaves it as it was', () => {
    mkdirSync(dataDir, { recursive: true })
    writeFileSync(join(dataDir, 'console.db'), 'garbage'.repeat(1000))
    const before = sha(join(dataDir, 'console.db'))
    const r = qqsec(['status'], env)
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/not a SQLite database/)
    expect(sha(join(dataDir, 'console.db'))).toBe(before)
  })

  it('serves browser mode once per data dir: a second host is refused', async () => {
    expect(init().code).toBe(0)
    const first = await startServe([], env)
    try {
      expect(first.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=/)
      const second = qqsec(['serve'], env)
      expect(second.code).toBe(2)
      expect(second.stderr).toMatch(/Another console \(process \d+\) is already running on this data dir/)
    } finally {
      expect(await first.stop()).toBe(0)
    }
    expect(existsSync(join(dataDir, 'host.lock'))).toBe(false)
  })

  it('administers accounts: add, roles with an end time, lock, access review; the last admin is protected', () => {
    expect(init().code).toBe(0)
    const pw = { ...env, QQSEC_PASSWORD: STRONG_PASSWORD }
    expect(qqsec(['login', '--user', 'alice', '--otp', code()], pw).code).toBe(0)
    const add = qqsec(['user', 'add', 'bob', '--role', 'researcher'], {
      ...env,
      QQSEC_NEW_PASSWORD: 'Violet-Tractor-Umbrella-42',
    })
    expect(add.code, add.stderr).toBe(0)
    expect(qqsec(['user', 'add', 'carol'], { ...env, QQSEC_NEW_PASSWORD: 'password1234' }).code).toBe(2)
    const until = new Date(Date.now() + 3_600_000).toISOString()
    const grant = qqsec(
      ['user', 'roles', 'bob', '--grant', 'admin', '--until', until, '--reason', 'on-call week'],
      env,
    )
    expect(grant.stdout).toContain('admin (until')
    expect(qqsec(['user', 'roles', 'bob', '--grant', 'admin'], env).code).toBe(2) // no reason
    const last = qqsec(['user', 'lock', 'alice', '--reason', 'testing the guard'], env)
    expect(last.code).toBe(2)
    expect(last.stderr).toMatch(/last administrator/)
    expect(qqsec(['user', 'lock', 'bob', '--reason', 'left the team'], env).code).toBe(0)
    const review = JSON.parse(qqsec(['access-review', '--format', 'json'], env).stdout)
    const bob = review.rows.find((r: { name: string }) => r.name === 'bob')
    expect(bob).toMatchObject({
      locked: true,
      mfaEnabled: false,
      flags: expect.arrayContaining(['temporary-elevation']),
    })
    const csvOut = qqsec(['access-review', '--format', 'csv'], env).stdout
    expect(csvOut.split('\r\n')[0]).toBe(
      '"account","email","roles","temporary","permissions","mfa","last_login","last_use","locked","flags"',
    )
    // bob cannot sign in while locked
    expect(
      qqsec(['login', '--user', 'bob'], { ...env, QQSEC_PASSWORD: 'Violet-Tractor-Umbrella-42' }).code,
    ).toBe(3)
  })
})
