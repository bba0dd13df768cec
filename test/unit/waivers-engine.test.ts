import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { parseRange, satisfies } from '../../src/main/engines/waivers/semver-range'
import { scopeMatches, validateScope, WaiverService } from '../../src/main/engines/waivers/waivers'
import { tempConsole, type TestConsole } from '../support/temp-console'

describe('waiver package ranges (npm semantics)', () => {
  it.each([
    ['4.17.20', '<4.17.21', true],
    ['4.17.21', '<4.17.21', false],
    ['1.2.9', '^1.2.0', true],
    ['2.0.0', '^1.2.0', false],
    ['0.2.5', '^0.2.3', true],
    ['0.3.0', '^0.2.3', false],
    ['0.0.3', '^0.0.3', true],
    ['0.0.4', '^0.0.3', false],
    ['1.2.9', '~1.2.3', true],
    ['1.3.0', '~1.2.3', false],
    ['1.9.0', '1.x', true],
    ['2.0.0', '1.x', false],
    ['7.7.7', '*', true],
    ['1.5.0', '1.0.0 - 2.0.0', true],
    ['2.0.1', '1.0.0 - 2.0.0', false],
    ['3.1.0', '<2 || >=3 <4', true],
    ['2.5.0', '<2 || >=3 <4', false],
    ['2.0.0', '>= 1.0.0 <= 2.0.0', true],
    // prereleases only match a comparator naming a prerelease of the same core
    ['1.3.0-beta.1', '^1.2.0', false],
    ['1.2.3-beta.2', '>=1.2.3-beta.1 <1.3.0', true],
    ['1.2.3-alpha', '>=1.2.3-beta.1', false],
  ])('%s satisfies %s: %s', (v, r, want) => {
    expect(satisfies(v, r)).toBe(want)
  })

  it('rejects what is not a range', () => {
    expect(parseRange('not a range')).toBeNull()
    expect(parseRange('>=abc')).toBeNull()
    expect(satisfies('not-a-version', '*')).toBe(false)
  })
})

describe('waiver scopes', () => {
  it('normalizes values and refuses malformed ones with what to write', () => {
    expect(validateScope('advisory', 'ghsa-AbCd-1234-wxyz')).toBe('GHSA-abcd-1234-wxyz')
    expect(validateScope('advisory', 'cve-2024-1234')).toBe('CVE-2024-1234')
    expect(validateScope('package', '@Scope/Pkg@^1.2.0')).toBe('@scope/pkg@^1.2.0')
    expect(validateScope('package', 'lodash')).toBe('lodash@*')
    expect(() => validateScope('package', 'lodash@banana')).toThrow(/not a version range/)
    expect(() => validateScope('path', '/etc/passwd')).toThrow(/relative/)
    expect(() => validateScope('path', '../x')).toThrow(/relative/)
    expect(() => validateScope('fingerprint', 'xyz')).toThrow(/fingerprint/)
    expect(() => validateScope('advisory', '')).toThrow(/1 to 300/)
  })

  it('matches each scope kind against a finding', () => {
    const dep = {
      ids: ['GHSA-abcd-1234-wxyz', 'CVE-2024-1234'],
      package: 'Lodash',
      version: '4.17.20',
      path: 'packages/a/package-lock.json',
      fingerprint: 'a'.repeat(32),
      ruleId: 'GHSA-abcd-1234-wxyz',
    }
    const m = (kind: 'advisory' | 'package' | 'path' | 'fingerprint' | 'rule' | 'client', value: string) =>
      scopeMatches({ scope: { kind, value } }, dep)
    expect(m('advisory', 'CVE-2024-1234')).toBe(true)
    expect(m('advisory', 'CVE-2024-9999')).toBe(false)
    expect(m('package', 'lodash@<4.17.21')).toBe(true)
    expect(m('package', 'lodash@>=4.17.21')).toBe(false)
    expect(m('path', 'packages/**')).toBe(true)
    expect(m('path', 'src/**')).toBe(false)
    expect(m('fingerprint', 'a'.repeat(32))).toBe(true)
    expect(m('rule', 'GHSA-abcd-1234-wxyz')).toBe(true)
    expect(m('client', '*')).toBe(false)
    expect(scopeMatches({ scope: { kind: 'client', value: '203.0.113.*' } }, { client: '203.0.113.7' })).toBe(
      true,
    )
    expect(
      scopeMatches({ scope: { kind: 'client', value: '203.0.113.*' } }, { client: '198.51.100.1' }),
    ).toBe(false)
  })
})

describe('WaiverService', () => {
  let t: TestConsole
  let w: WaiverService
  beforeEach(async () => {
    t = await tempConsole()
    w = t.core.waivers
  })
  afterEach(() => t.cleanup())

  const base = {
    domain: 'scanner' as const,
    scope: { kind: 'advisory' as const, value: 'CVE-2024-1234' },
    reason: 'not reachable from user input',
    owner: 'alice',
    expiresAt: '2026-03-01T00:00:00.000Z',
  }
  const rows = () => (t.core.db.prepare(`SELECT count(*) AS n FROM waivers`).get() as { n: number }).n

  it('creates, lists, expires and revokes; expired and revoked waivers stop applying', () => {
    const a = w.create(base, 'alice')
    expect(a).toMatchObject({ state: 'active', approver: null, createdBy: 'alice', revokedAt: null })
    expect(w.matches('scanner', { ids: ['CVE-2024-1234'] })?.id).toBe(a.id)
    expect(w.matches('threats', { ids: ['CVE-2024-1234'] })).toBeNull() // per domain
    const b = w.create({ ...base, scope: { kind: 'client', value: '10.0.0.*' }, domain: 'threats' }, 'alice')
    expect(w.list({ domain: 'threats' }).map((x) => x.id)).toEqual([b.id])

    t.clock.set(Date.parse('2026-03-02T00:00:00Z'))
    const match = w.matcher('scanner')({ ids: ['CVE-2024-1234'] })
    expect(match.waiver).toBeNull()
    expect(match.expired.map((x) => x.id)).toEqual([a.id])
    expect(w.get(a.id).state).toBe('expired')

    const r = w.revoke(b.id, 'client no longer trusted', 'carol')
    expect(r).toMatchObject({
      state: 'revoked',
      revokedBy: 'carol',
      revokeReason: 'client no longer trusted',
    })
    expect(w.matches('threats', { client: '10.0.0.1' })).toBeNull()
    expect(() => w.revoke(b.id, 'again please', 'carol')).toThrow(/already revoked/)
    expect(w.list({ state: 'revoked' })).toHaveLength(1)
  })

  it('bad input changes nothing', () => {
    expect(() => w.create({ ...base, expiresAt: '2025-12-31T00:00:00Z' }, 'alice')).toThrow(/future/)
    expect(() => w.create({ ...base, expiresAt: '2031-01-01T00:00:00Z' }, 'alice')).toThrow(/at most 3 years/)
    expect(() => w.create({ ...base, expiresAt: 'soon' }, 'alice')).toThrow(/not a date/)
    expect(() => w.create({ ...base, reason: ' ok ' }, 'alice')).toThrow(/Say why/)
    expect(() => w.create({ ...base, owner: '  ' }, 'alice')).toThrow(/owner/)
    expect(() => w.create({ ...base, scope: { kind: 'package', value: 'x@???' } }, 'alice')).toThrow(/range/)
    expect(() => w.revoke('00000000-0000-4000-8000-000000000000', 'gone now', 'alice')).toThrow(/No such/)
    expect(rows()).toBe(0)
  })
})
