import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { AuthService } from '../../src/main/engines/auth/auth.service'
import { PasswordHasher } from '../../src/main/engines/auth/password-hasher'
import { STRONG_PASSWORD, tempConsole, type TestConsole } from '../support/temp-console'
import { refusal } from '../support/refusal'

let t: TestConsole
let auth: AuthService
beforeEach(async () => {
  t = await tempConsole()
  auth = t.core.auth
  await t.core.users.setupAdmin('alice', STRONG_PASSWORD)
})
afterEach(() => t.cleanup())

describe('first administrator', () => {
  it('is created once; a second setup is refused', async () => {
    expect(t.core.users.list().map((u) => [u.name, u.roles])).toEqual([['alice', ['admin']]])
    expect((await refusal(t.core.users.setupAdmin('mallory', STRONG_PASSWORD))).code).toBe('CONFLICT')
  })

  it('stores an argon2id hash, never the password', () => {
    const row = t.core.db.prepare(`SELECT password_hash FROM users`).get() as { password_hash: string }
    expect(row.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/)
    expect(row.password_hash).not.toContain(STRONG_PASSWORD)
  })
})

describe('sign-in', () => {
  it('gives the same answer for an unknown account and a wrong password', async () => {
    const unknown = await refusal(auth.login('nobody', STRONG_PASSWORD, 'c'))
    const wrong = await refusal(auth.login('alice', 'not-the-password', 'c'))
    expect([unknown.code, unknown.message]).toEqual([wrong.code, wrong.message])
    expect(unknown.code).toBe('BAD_CREDENTIALS')
  })

  it('locks after 5 failures, refuses the right password while locked, and says until when', async () => {
    for (let i = 0; i < 4; i++)
      expect((await refusal(auth.login('alice', 'wrong', 'c'))).code).toBe('BAD_CREDENTIALS')
    const fifth = await refusal(auth.login('alice', 'wrong', 'c'))
    expect(fifth.code).toBe('LOCKED')
    expect(fifth.details?.lockedUntil).toBe('2026-01-01T00:30:00.000Z')
    const right = await refusal(auth.login('alice', STRONG_PASSWORD, 'c'))
    expect(right.code).toBe('LOCKED')
    expect(right.message).toBe('Account locked until 2026-01-01 00:30 UTC after 5 failed attempts.')
    t.clock.advance(30 * 60_000 + 1)
    await expect(auth.login('alice', STRONG_PASSWORD, 'c')).resolves.toHaveProperty('token')
  })

  it('locks longer after a repeated lockout', async () => {
    for (let i = 0; i < 5; i++) await refusal(auth.login('alice', 'wrong', 'c'))
    t.clock.advance(31 * 60_000)
    for (let i = 0; i < 4; i++) await refusal(auth.login('alice', 'wrong', 'c'))
    const second = await refusal(auth.login('alice', 'wrong', 'c'))
    expect(second.code).toBe('LOCKED')
    expect(Date.parse(String(second.details?.lockedUntil)) - t.clock.now()).toBe(60 * 60_000)
  })

  it('a success resets the failure count', async () => {
    for (let i = 0; i < 4; i++) await refusal(auth.login('alice', 'wrong', 'c'))
    await auth.login('alice', STRONG_PASSWORD, 'c')
    for (let i = 0; i < 4; i++)
      expect((await refusal(auth.login('alice', 'wrong', 'c'))).code).toBe('BAD_CREDENTIALS')
  })

  it('rehashes a hash made with weaker parameters', async () => {
    const weak = await new PasswordHasher({ memoryCost: 8192, timeCost: 1, parallelism: 1 }).hash(
      STRONG_PASSWORD,
    )
    t.core.db.prepare(`UPDATE users SET password_hash = ?`).run(weak)
    await auth.login('alice', STRONG_PASSWORD, 'c')
    const row = t.core.db.prepare(`SELECT password_hash FROM users`).get() as { password_hash: string }
    expect(row.password_hash).toMatch(/m=19456,p=1,t=2/)
  })
})

describe('sessions', () => {
  it('expire after 15 minutes idle, and stay alive while used', async () => {
    const { token } = await auth.login('alice', STRONG_PASSWORD, 'c')
    t.clock.advance(14 * 60_000)
    expect(auth.resolve(token)).not.toBeNull()
    t.clock.advance(14 * 60_000)
    expect(auth.resolve(token)).not.toBeNull()
    t.clock.advance(15 * 60_000)
    expect(auth.resolve(token)).toBeNull()
  })

  it('end after 8 hours however busy', async () => {
    const { token } = await auth.login('alice', STRONG_PASSWORD, 'c')
    for (let i = 0; i < 8 * 6; i++) {
      t.clock.advance(10 * 60_000)
      if (i < 47) expect(auth.resolve(token), `step ${i}`).not.toBeNull()
    }
    expect(auth.resolve(token)).toBeNull()
  })

  it('are limited to 3 per account: the oldest is revoked', async () => {
    const tokens: string[] = []
    for (let i = 0; i < 4; i++) {
      tokens.push((await auth.login('alice', STRONG_PASSWORD, `c${i}`)).token)
      t.clock.advance(1000)
    }
    expect(tokens.map((tok) => auth.resolve(tok) !== null)).toEqual([false, true, true, true])
  })

  it('are revoked by logout and unknown tokens resolve to nothing', async () => {
    const { token } = await auth.login('alice', STRONG_PASSWORD, 'c')
    auth.logout(token)
    expect(auth.resolve(token)).toBeNull()
    expect(auth.resolve('forged-token')).toBeNull()
  })

  it('keep only a hash of the token', async () => {
    const { token } = await auth.login('alice', STRONG_PASSWORD, 'c')
    expect(Buffer.from(token, 'base64url')).toHaveLength(32)
    const rows = JSON.stringify(t.core.db.prepare(`SELECT * FROM sessions`).all())
    expect(rows).not.toContain(token)
  })
})

describe('per-client failure limit (password spraying)', () => {
  it('refuses a client after 20 failures in 15 minutes across accounts, and lets it try again later', async () => {
    for (let i = 0; i < 20; i++) {
      expect((await refusal(auth.login(`user${i}`, 'Spray-Password-1!', 'http:10.0.0.9'))).code).toBe(
        'BAD_CREDENTIALS',
      )
    }
    const refused = await refusal(auth.login('alice', STRONG_PASSWORD, 'http:10.0.0.9'))
    expect(refused.code).toBe('RATE_LIMITED')
    expect(refused.message).toMatch(
      /Too many failed sign-ins from this client \(20 in 15 minutes\); try again after 2026-01-01 00:15 UTC/,
    )
    // another client is unaffected, and the account itself is not locked
    await expect(auth.login('alice', STRONG_PASSWORD, 'http:10.0.0.10')).resolves.toHaveProperty('token')
    t.clock.advance(15 * 60_000 + 1)
    await expect(auth.login('alice', STRONG_PASSWORD, 'http:10.0.0.9')).resolves.toHaveProperty('token')
  })
})
