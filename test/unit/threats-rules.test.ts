import { describe, expect, it } from 'vitest'
import { RuleEngine } from '../../src/main/engines/threats/rule-engine'
import { RULES, RULESET_VERSION, type RuleSpec } from '../../src/main/engines/threats/rules.data'
import type { RequestView } from '../../src/main/engines/threats/threat-types'

const engine = new RuleEngine()

/** Put an example value into the rule's first target of an otherwise plain request. */
function requestFor(rule: RuleSpec, value: string): RequestView {
  const base: RequestView = { method: 'GET', uri: '/', path: '/', args: [], userAgent: null, referer: null }
  switch (rule.targets[0]) {
    case 'path':
      return { ...base, path: value, uri: value }
    case 'args':
      return { ...base, args: [['q', value]] }
    case 'user-agent':
      return { ...base, userAgent: value }
    case 'referer':
      return { ...base, referer: value }
    case 'method':
      return { ...base, method: value }
    case 'uri':
      return { ...base, uri: value }
    default:
      throw new Error(`no target for ${rule.id}`)
  }
}

describe(`threat rules ${RULESET_VERSION}`, () => {
  it('has unique ids and references for every rule', () => {
    const ids = RULES.map((r) => r.id)
    expect(new Set(ids).size).toBe(ids.length)
    for (const r of RULES) {
      expect(r.patterns?.length || r.condition, r.id).toBeTruthy()
      expect(r.references.attack.length, `${r.id} has an ATT&CK id`).toBeGreaterThan(0)
      expect(r.examples.noMatch.length, `${r.id} has negative examples`).toBeGreaterThan(0)
    }
  })

  for (const rule of RULES) {
    describe(rule.id, () => {
      for (const ex of rule.examples.match) {
        it(`matches ${JSON.stringify(ex.slice(0, 60))}`, () => {
          const rules = engine.inspect(requestFor(rule, ex)).map((f) => f.rule)
          expect(rules).toContain(rule.id)
        })
      }
      for (const ex of rule.examples.noMatch) {
        it(`does not match ${JSON.stringify(ex.slice(0, 60))}`, () => {
          const rules = engine.inspect(requestFor(rule, ex)).map((f) => f.rule)
          expect(rules).not.toContain(rule.id)
        })
      }
    })
  }

  it('flags a request line that is not METHOD TARGET PROTOCOL', () => {
    const f = engine.inspect({
      method: '',
      uri: '\\x16\\x03\\x01',
      path: '',
      args: [],
      userAgent: null,
      referer: null,
      malformed: true,
    })
    expect(f.map((x) => x.rule)).toEqual(['protocol-malformed-request'])
  })

  it('reports the normalized fragment as evidence, truncated', () => {
    const [f] = engine.inspect({
      method: 'GET',
      uri: '/',
      path: '/',
      args: [['id', `1%20UnIoN/**/SeLeCt%20${'a,'.repeat(200)}`]],
      userAgent: null,
      referer: null,
    })
    expect(f?.rule).toBe('sqli-union-select')
    expect(f?.evidence).toContain('union select')
    expect(f?.location).toBe('arg:id')
    expect(f?.evidence.length).toBeLessThanOrEqual(120)
  })
})
