import { describe, expect, it } from 'vitest'
import {
  BruteForceDetector,
  RateCounter,
  anomalyOf,
  emptyProfile,
  learn,
} from '../../src/main/engines/threats/behaviour'
import { parseClfLine, parseJsonLine, parseLogLine } from '../../src/main/engines/threats/log-parsers'
import {
  collapseWhitespace,
  decodeBackslashEscapes,
  decodeHtmlEntities,
  decodeRepeatedly,
  normalizePath,
  normalizePathSyntax,
  normalizeValue,
  parseQuery,
  percentDecodeOnce,
  plusAsSpace,
  stripSqlComments,
} from '../../src/main/engines/threats/normalize'
import { RuleEngine } from '../../src/main/engines/threats/rule-engine'
import { decide, DEFAULT_THRESHOLDS, riskOf } from '../../src/main/engines/threats/scoring'
import { inputStrings } from '../../src/main/engines/threats/threats.service'
import type { Finding } from '../../src/main/engines/threats/threat-types'
import { ManualClock } from '../../src/main/platform/clock'
import { evaluateCorpus } from '../fixtures/threats/corpus'

describe('normalization steps', () => {
  it('decodes percent, %u, overlong and repeated encodings', () => {
    expect(percentDecodeOnce('a%20b%3C')).toBe('a b<')
    expect(percentDecodeOnce('%u003cscript')).toBe('<script')
    expect(percentDecodeOnce('%c0%ae%c0%ae/')).toBe('../')
    expect(percentDecodeOnce('%ff%fe')).toBe('\u00ff\u00fe') // not UTF-8: byte by byte, never throws
    expect(decodeRepeatedly('%25252e%25252e%25252f', false)).toBe('../')
  })
  it('reads + as space in form values only', () => {
    expect(plusAsSpace('a+b')).toBe('a b')
    expect(normalizeValue('1+union+select').text).toBe('1 union select')
    expect(normalizePath('/c++/x').text).toBe('/c++/x')
  })
  it('decodes HTML entities and backslash escapes', () => {
    expect(decodeHtmlEntities('&lt;a&gt;&#39;&#x27;&quot;&amp;&colon;')).toBe(`<a>''"&:`)
    expect(decodeBackslashEscapes('\\u003cs\\x3e\\u{41}')).toBe('<s>A')
  })
  it('folds case, removes SQL comments, collapses whitespace', () => {
    expect(normalizeValue('UnIoN/**/SeLeCt').text).toBe('union select')
    expect(stripSqlComments('/*!50000union*/ select')).toBe(' union  select')
    expect(collapseWhitespace('a \t\u00a0 b\n\n c')).toBe('a b\nc')
  })
  it('normalizes paths but keeps .. and scheme slashes', () => {
    expect(normalizePathSyntax('/a//b/./c\\..\\d')).toBe('/a/b/c/../d')
    expect(normalizePathSyntax('php://filter')).toBe('php://filter')
    expect(normalizePath('/static/..%2f..%2fetc%2fpasswd').text).toBe('/static/../../etc/passwd')
  })
  it('keeps an unencoded HTML entity inside its query value', () => {
    expect(parseQuery('q=&lt;script&gt;x&b=2')).toEqual([
      ['q', '&lt;script&gt;x'],
      ['b', '2'],
    ])
  })
  it('catches evasion variants of the same payload', () => {
    const engine = new RuleEngine()
    const rulesFor = (v: string) =>
      engine
        .inspect({ method: 'GET', uri: '/', path: '/', args: [['q', v]], userAgent: null, referer: null })
        .map((f) => f.rule)
    for (const v of [
      "' or 1=1--",
      '%27%20or%201%3D1--',
      '%2527%2520or%25201%253D1--',
      "'/**/OR/**/1=1--",
      '&#39; or 1=1--',
      '\\u0027 or 1=1--',
      "'+or+1=1--",
      "'%09or%0b1=1--",
    ])
      expect(rulesFor(v), v).toContain('sqli-tautology')
  })
})

describe('log parsing', () => {
  it('reads combined and common lines, escapes included', () => {
    const c = parseClfLine(
      '1.2.3.4 - bob [10/Oct/2000:13:55:36 -0700] "GET /a?b=\\"x\\" HTTP/1.1" 200 2326 "http://r/" "UA \\x22q\\x22"',
    )
    expect(c.ok && c.record).toMatchObject({
      client: '1.2.3.4',
      user: 'bob',
      time: Date.parse('2000-10-10T20:55:36Z'),
      method: 'GET',
      target: '/a?b="x"',
      status: 200,
      referer: 'http://r/',
      userAgent: 'UA "q"',
      format: 'combined',
    })
    const m = parseClfLine('1.2.3.4 - - [10/Oct/2000:13:55:36 +0000] "GET / HTTP/1.0" 304 -')
    expect(m.ok && m.record.format).toBe('common')
  })
  it('counts broken lines instead of failing', () => {
    expect(parseClfLine('garbage').ok).toBe(false)
    expect(parseClfLine('1.2.3.4 - - [99/Foo/2000:13:55:36 +0000] "GET / HTTP/1.0" 200 1').ok).toBe(false)
    expect(
      parseLogLine('1.2.3.4 - - [10/Oct/2000:13:55:36 +0000] "GET / HTTP/1.0" 200 1', 'combined').ok,
    ).toBe(false)
    expect(parseJsonLine('{"a":').ok).toBe(false)
    expect(parseJsonLine('[1]').ok).toBe(false)
    const mal = parseClfLine('1.2.3.4 - - [10/Oct/2000:13:55:36 +0000] "\\x16\\x03\\x01" 400 0 "-" "-"')
    expect(mal.ok && mal.record.malformed).toBe(true)
  })
  it('reads JSON lines with default and configured field names', () => {
    const d = parseJsonLine(
      '{"remote_addr":"9.9.9.9","request":"POST /login HTTP/1.1","status":"401","time":"2026-01-01T00:00:00Z"}',
    )
    expect(d.ok && d.record).toMatchObject({
      client: '9.9.9.9',
      method: 'POST',
      target: '/login',
      status: 401,
    })
    const c = parseJsonLine('{"src":{"ip":"8.8.8.8"},"u":"/x","ts":1767225600}', {
      client: 'src.ip',
      uri: 'u',
      time: 'ts',
    })
    expect(c.ok && c.record).toMatchObject({ client: '8.8.8.8', target: '/x', time: 1767225600000 })
    expect(parseJsonLine('{"ip":"1.1.1.1"}').ok).toBe(false)
  })
})

describe('behaviour detectors on a fake clock', () => {
  it('brute force per client, per account and spraying in a sliding window', () => {
    const clock = new ManualClock()
    const bf = new BruteForceDetector({ windowMs: 60_000, perClient: 5, perAccount: 3, sprayAccounts: 4 })
    for (let i = 0; i < 4; i++) {
      bf.failure('c1', `user${i}`, clock.now())
      clock.advance(1_000)
    }
    expect(bf.assess('c1', null, clock.now()).map((f) => f.rule)).toEqual(['bruteforce-spraying'])
    bf.failure('c1', 'user0', clock.now())
    expect(bf.assess('c1', null, clock.now()).map((f) => f.rule)).toContain('bruteforce-client')
    clock.advance(61_000)
    expect(bf.assess('c1', null, clock.now())).toEqual([])
    for (let i = 0; i < 3; i++) bf.failure(`c${i + 10}`, 'root', clock.now())
    expect(bf.assess('c10', 'root', clock.now()).map((f) => f.rule)).toEqual(['bruteforce-account'])
  })
  it('rate per client per minute, once per minute', () => {
    const r = new RateCounter(3)
    const at = Date.parse('2026-01-01T00:00:10Z')
    expect([1, 2, 3, 4, 5].map(() => r.check('c', at)?.rule ?? null)).toEqual([
      null,
      null,
      null,
      'rate-per-minute',
      null,
    ])
    expect(r.check('c', at + 60_000)).toBeNull()
  })
  it('anomaly only once the profile has enough history', () => {
    const p = emptyProfile()
    expect(anomalyOf(p, { hour: 3, call: 'users.list', client: 'ipc:1' }).score).toBeNull()
    for (let i = 0; i < 60; i++) learn(p, { hour: 10, call: 'users.list', client: 'ipc:1' })
    expect(anomalyOf(p, { hour: 10, call: 'users.list', client: 'ipc:1' }).score).toBe(0)
    expect(anomalyOf(p, { hour: 3, call: 'users.delete', client: 'http:1.2.3.4' }).score).toBe(1)
  })
})

describe('risk and decision', () => {
  const f = (severity: Finding['severity'], action: Finding['action'] = 'alert'): Finding => ({
    rule: 'r',
    name: 'r',
    category: 'sqli',
    severity,
    action,
    confidence: 1,
    location: 'x',
    evidence: 'x',
  })
  it('sums severity points, anomaly × 50 and the rate excess', () => {
    expect(riskOf([f('low'), f('medium'), f('high'), f('critical')], 0.5)).toBe(5 + 15 + 30 + 50 + 25)
    expect(riskOf([{ ...f('high'), category: 'rate' }], null)).toBe(30)
  })
  it('decides by thresholds and rule actions', () => {
    expect(decide([], 0, DEFAULT_THRESHOLDS)).toBe('allow')
    expect(decide([f('low')], 5, DEFAULT_THRESHOLDS)).toBe('alert')
    expect(decide([f('high', 'block')], 30, DEFAULT_THRESHOLDS)).toBe('block')
    expect(decide([f('medium')], 75, DEFAULT_THRESHOLDS)).toBe('block')
  })
  it("never reads a call's secret or file-content fields, and only those: a nested key of the same name is text", () => {
    expect(
      inputStrings({
        name: 'a',
        password: 'p',
        content: 'QUJD',
        labels: { password: "' or 1=1", content: '<script>' },
        list: ['x'],
      }),
    ).toEqual([
      ['name', 'a'],
      ['labels.password', "' or 1=1"],
      ['labels.content', '<script>'],
      ['list[0]', 'x'],
    ])
  })
})

describe('labelled corpus', () => {
  it('detects ≥ 95 % of SQLi, XSS, traversal and command injection with ≤ 0.5 % false positives', () => {
    const r = evaluateCorpus()
    for (const c of r.categories.filter((x) =>
      ['sqli', 'xss', 'traversal', 'command-injection'].includes(x.category),
    ))
      expect(c.rate, c.category).toBeGreaterThanOrEqual(0.95)
    expect(r.benign.rate).toBeLessThanOrEqual(0.005)
  })
})
