import { describe, expect, it } from 'vitest'
import { evaluatePassword, PASSWORD_PRESETS } from '../../src/main/engines/auth/password-policy'

const rules = (pw: string, ctx = {}, preset = PASSWORD_PRESETS.nist) =>
  evaluatePassword(pw, ctx, preset).failures.map((f) => f.rule)

describe('password policy (NIST/ASVS default)', () => {
  it('accepts a long, unusual passphrase without composition rules', () => {
    expect(evaluatePassword('violet tractor umbrella quietly', {}).acceptable).toBe(true)
    expect(evaluatePassword('Correct-Horse-Battery-9!x', {}).acceptable).toBe(true)
  })

  it('refuses short passwords and says how long', () => {
    const v = evaluatePassword('Xk9#mQ2!', {})
    expect(v.failures[0]).toEqual({ rule: 'min-length', message: 'Use at least 12 characters (this has 8).' })
  })

  it('refuses passwords from the shipped common-password list', () => {
    expect(rules('password1234')).toContain('strength')
    expect(rules('qwertyuiop123')).toContain('strength')
    expect(rules('1q2w3e4r5t6y')).toContain('common')
  })

  it('refuses a password that contains the account name or e-mail', () => {
    expect(rules('alice-Violet-Tractor-77', { name: 'alice' })).toContain('personal')
    expect(rules('Zebra-Mountain-carol.w', { email: 'carol.w@example.org' })).toContain('personal')
  })

  it('allows long passwords (64+ characters) without truncating them', () => {
    const long = 'the quick brown fox jumps over the lazy dog and keeps on running far away'
    expect(long.length).toBeGreaterThan(64)
    expect(evaluatePassword(long, {}).acceptable).toBe(true)
  })

  it('the reference preset also requires upper, lower, digit and symbol', () => {
    expect(rules('violet tractor umbrella quietly', {}, PASSWORD_PRESETS.reference)).toEqual(['composition'])
    expect(evaluatePassword('Violet-tractor-umbrella-9', {}, PASSWORD_PRESETS.reference).acceptable).toBe(
      true,
    )
  })
})
