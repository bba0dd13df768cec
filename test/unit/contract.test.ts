import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { CALL_NAMES, contract, ipcChannel, isCallName } from '../../src/shared/contract'
import { PERMISSIONS } from '../../src/shared/permissions'
import { APP_VERSION } from '../../src/shared/version'

describe('the contract', () => {
  it('names every call domain.verbNoun and gives each its own IPC channel', () => {
    expect(CALL_NAMES.length).toBeGreaterThan(0)
    for (const name of CALL_NAMES) expect(name).toMatch(/^[a-z]+\.[a-z][A-Za-z]+$/)
    expect(new Set(CALL_NAMES.map(ipcChannel)).size).toBe(CALL_NAMES.length)
  })

  it('rejects unknown keys in every input (strict schemas)', () => {
    for (const name of CALL_NAMES) {
      const r = contract[name].input.safeParse({ unexpectedKey: 1 })
      expect(r.success, name).toBe(false)
    }
  })

  it('declares an access rule for every call, from the known permissions', () => {
    for (const name of CALL_NAMES) {
      const access = contract[name].access
      expect(['public', 'session', ...PERMISSIONS], name).toContain(access)
    }
  })

  it('only the calls a signed-out user needs are public', () => {
    const publicCalls = CALL_NAMES.filter((n) => contract[n].access === 'public').sort()
    expect(publicCalls).toEqual(['auth.evaluatePassword', 'auth.login', 'auth.setupAdmin', 'system.status'])
  })

  it('recognises only its own names', () => {
    expect(isCallName('auth.login')).toBe(true)
    expect(isCallName('toString')).toBe(false)
    expect(isCallName('__proto__')).toBe(false)
    expect(isCallName(42)).toBe(false)
  })

  it('strips undeclared output fields so nothing extra leaks', () => {
    const out = contract['users.list'].output.parse({
      users: [
        {
          id: 'u1',
          name: 'alice',
          email: null,
          roles: ['admin'],
          elevations: [],
          mfaEnabled: true,
          createdAt: '2026-01-01T00:00:00.000Z',
          lastLoginAt: null,
          locked: false,
          lockedUntil: null,
          password_hash: '$argon2id$secret',
        },
      ],
    })
    expect(out.users[0]).not.toHaveProperty('password_hash')
  })

  it('keeps APP_VERSION equal to package.json', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version: string
    }
    expect(APP_VERSION).toBe(pkg.version)
  })
})
