import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { CALL_NAMES, contract, MAX_INPUT_BYTES } from '../../src/shared/contract'
import { VALID_INPUT } from '../support/valid-inputs'
import {
  addAccount,
  signedInAdmin,
  STRONG_PASSWORD,
  tempConsole,
  testCaller,
  type TestConsole,
} from '../support/temp-console'

/** A valid input for each call, so refusals are about the session or permission, not the input. */

let t: TestConsole
beforeEach(async () => {
  t = await tempConsole()
})
afterEach(() => t.cleanup())

const lastAudit = () => t.core.audit.recent(1).entries[0]!

describe('the guard pipeline', () => {
  it('refuses every non-public call without a session, and audits the refusal', async () => {
    await signedInAdmin(t)
    for (const name of CALL_NAMES.filter((n) => contract[n].access !== 'public')) {
      const r = await t.core.invoke(testCaller(), name, VALID_INPUT[name])
      expect(r.ok, name).toBe(false)
      if (!r.ok) expect(r.error.code, name).toBe('UNAUTHENTICATED')
      expect(lastAudit()).toMatchObject({ action: name, result: 'failure' })
    }
  })

  it('refuses every permission-guarded call to an account without that permission', async () => {
    await signedInAdmin(t)
    await addAccount(t, 'nobody', []) // no roles: no permissions at all
    const caller = testCaller({ client: 'ipc:2' })
    const login = await t.core.invoke(caller, 'auth.login', { name: 'nobody', password: STRONG_PASSWORD })
    expect(login.ok).toBe(true)
    const guarded = CALL_NAMES.filter((n) => !['public', 'session'].includes(contract[n].access))
    expect(guarded.length).toBeGreaterThan(0)
    for (const name of guarded) {
      const r = await t.core.invoke(caller, name, VALID_INPUT[name])
      expect(r.ok, name).toBe(false)
      if (!r.ok) expect(r.error.code, name).toBe('FORBIDDEN')
      const entry = lastAudit()
      expect(entry).toMatchObject({ action: name, result: 'failure', actor: 'nobody' })
      expect(JSON.parse(entry.details)).toMatchObject({
        code: 'FORBIDDEN',
        authorization: expect.stringContaining(contract[name].access),
      })
    }
  })

  it('lets a permitted call through and records why it was allowed', async () => {
    const admin = await signedInAdmin(t)
    const r = await t.core.invoke(admin, 'users.list', {})
    expect(r.ok).toBe(true)
    if (r.ok) expect((r.value as { users: { name: string }[] }).users.map((u) => u.name)).toEqual(['alice'])
    const entry = lastAudit()
    expect(entry).toMatchObject({ action: 'users.list', result: 'success', actor: 'alice', client: 'ipc:1' })
    expect(JSON.parse(entry.details).authorization).toBe('role admin grants users:read')
  })

  it('refuses a sender the transport did not verify, before anything else', async () => {
    const r = await t.core.invoke(testCaller({ senderVerified: false }), 'system.status', {})
    expect(r).toEqual({ ok: false, error: { code: 'BAD_SENDER', message: expect.any(String) } })
    expect(lastAudit()).toMatchObject({ result: 'failure', risk: 'high' })
  })

  it('refuses unknown calls, including prototype names', async () => {
    for (const name of ['nope.call', '__proto__', 'constructor', 'toString', 42, null]) {
      const r = await t.core.invoke(testCaller(), name, {})
      expect(r.ok).toBe(false)
      if (!r.ok) expect(r.error.code).toBe('UNKNOWN_CALL')
    }
  })

  it('refuses malformed and hostile inputs with INVALID_INPUT and changes nothing', async () => {
    const bad: unknown[] = [
      { name: 'alice', password: STRONG_PASSWORD, extra: true },
      { name: 'Alice Smith', password: STRONG_PASSWORD },
      { name: 'alice' },
      { name: 'alice', password: 42 },
      'a string',
      [1, 2, 3],
      { name: 'alice', password: STRONG_PASSWORD, __proto__: { admin: true } },
    ]
    for (const input of bad) {
      const r = await t.core.invoke(testCaller(), 'auth.setupAdmin', input)
      expect(r.ok, JSON.stringify(input)).toBe(false)
      if (!r.ok) expect(r.error.code).toBe('INVALID_INPUT')
    }
    expect(t.core.auth.hasAccounts()).toBe(false)
  })

  it('caps the input size', async () => {
    const r = await t.core.invoke(testCaller(), 'auth.evaluatePassword', {
      password: 'x'.repeat(MAX_INPUT_BYTES + 1),
    })
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.error.code).toBe('PAYLOAD_TOO_LARGE')
    const cyclic: Record<string, unknown> = {}
    cyclic.self = cyclic
    const c = await t.core.invoke(testCaller(), 'auth.evaluatePassword', cyclic)
    expect(c.ok).toBe(false)
  })

  it('rate-limits authentication calls per client', async () => {
    await signedInAdmin(t)
    const caller = testCaller({ client: 'ipc:9' })
    const codes: string[] = []
    for (let i = 0; i < 12; i++) {
      const r = await t.core.invoke(caller, 'auth.login', { name: 'ghost', password: 'wrong-password' })
      if (!r.ok) codes.push(r.error.code)
    }
    expect(codes.slice(0, 10).every((c) => c === 'BAD_CREDENTIALS')).toBe(true)
    expect(codes.slice(10)).toEqual(['RATE_LIMITED', 'RATE_LIMITED'])
    // another client is not affected
    const other = await t.core.invoke(testCaller({ client: 'ipc:10' }), 'auth.login', {
      name: 'ghost',
      password: 'x',
    })
    expect(!other.ok && other.error.code).toBe('BAD_CREDENTIALS')
  })

  it('binds the session to the caller on login and unbinds it on logout', async () => {
    const admin = await signedInAdmin(t)
    expect(admin.sessionToken).toMatch(/^[A-Za-z0-9_-]{43}$/)
    const token = admin.sessionToken!
    expect((await t.core.invoke(admin, 'auth.logout', {})).ok).toBe(true)
    expect(admin.sessionToken).toBeNull()
    const replay = await t.core.invoke(testCaller({ sessionToken: token }), 'auth.session', {})
    expect(!replay.ok && replay.error.code).toBe('UNAUTHENTICATED')
  })

  it('never stores or logs the session token or password', async () => {
    const admin = await signedInAdmin(t)
    const dump =
      JSON.stringify(t.core.db.prepare(`SELECT * FROM audit_log`).all()) +
      JSON.stringify(t.core.db.prepare(`SELECT * FROM sessions`).all())
    expect(dump).not.toContain(admin.sessionToken!)
    expect(dump).not.toContain(STRONG_PASSWORD)
  })

  it('maps an unexpected failure to INTERNAL without its message', async () => {
    const admin = await signedInAdmin(t)
    t.core.db.exec(`DROP TABLE permission_use`)
    const r = await t.core.invoke(admin, 'users.list', {})
    expect(r).toEqual({
      ok: false,
      error: { code: 'INTERNAL', message: expect.not.stringContaining('permission_use') },
    })
    expect(lastAudit()).toMatchObject({ action: 'users.list', result: 'failure' })
  })
})
