import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { afterAll, describe, expect, it } from 'vitest'
import { qqsec } from '../support/run-cli'

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/threats/${name}`, import.meta.url))
const dir = mkdtempSync(join(tmpdir(), 'qqsec-ids-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

interface JsonOut {
  linesRead: number
  linesParsed: number
  findings: Array<{
    file: string
    line: number
    client: string
    category: string
    rule: string
    severity: string
    decision: string
    evidence: string
  }>
  report: { unparsable: { count: number; samples: Array<{ line: number }> }; successfulAttacks: unknown[] }
}

describe('qqsec ids analyze (no account needed)', () => {
  it('prints one JSON object with linesRead, linesParsed and findings, and exits 1 on findings', () => {
    const r = qqsec(['ids', 'analyze', '--format', 'json', fixture('sample-combined.log')], {})
    expect(r.code, r.stderr).toBe(1)
    const out = JSON.parse(r.stdout) as JsonOut
    expect(out.linesRead).toBe(9)
    expect(out.linesParsed).toBe(8)
    expect(out.report.unparsable).toMatchObject({ count: 1, samples: [{ line: 5 }] })
    const sqli = out.findings.find((f) => f.rule === 'sqli-union-select')
    expect(sqli).toMatchObject({
      file: 'sample-combined.log',
      line: 3,
      client: '198.51.100.7',
      category: 'sqli',
      severity: 'critical',
      decision: 'block',
    })
    expect(sqli?.evidence).toContain('union select')
    expect(out.findings.some((f) => f.line === 2)).toBe(false) // O'Brien <3 is benign
    expect(out.report.successfulAttacks.length).toBeGreaterThan(0)
    expect(r.stderr).toMatch(/attack requests found/)
  })

  it('reads .gz, common format and JSON lines with configured fields', () => {
    const gz = join(dir, 'common.log.gz')
    writeFileSync(gz, gzipSync(readFileSync(fixture('sample-common.log'))))
    const a = qqsec(['ids', 'analyze', '--format', 'json', '--log-format', 'common', gz], {})
    const out = JSON.parse(a.stdout) as JsonOut
    expect(out.linesRead).toBe(3)
    expect(out.findings.map((f) => f.rule)).toContain('cmdi-separator-command')
    const j = qqsec(
      [
        'ids',
        'analyze',
        '--format',
        'json',
        '--log-format',
        'json',
        '--field',
        'client=ip',
        'uri=url',
        'status=code',
        'time=ts',
        '--',
        fixture('sample.jsonl'),
      ],
      {},
    )
    const jo = JSON.parse(j.stdout) as JsonOut
    expect(jo.findings.map((f) => [f.line, f.rule])).toEqual([
      [1, 'ssti-expression'],
      [4, 'sqli-comment-terminator'],
    ])
  })

  it('writes a self-contained HTML report atomically with -o, and exits 0 on a clean log', () => {
    const out = join(dir, 'report.html')
    const r = qqsec(['ids', 'analyze', '--format', 'html', '-o', out, fixture('sample-combined.log')], {})
    expect(r.code).toBe(1)
    const html = readFileSync(out, 'utf8')
    expect(html).toContain('<svg')
    expect(html).not.toMatch(/<script|src="http|href="http/)
    const clean = join(dir, 'clean.log')
    writeFileSync(
      clean,
      '1.2.3.4 - - [10/Oct/2026:13:55:36 +0000] "GET /search?q=O%27Brien HTTP/1.1" 200 5 "-" "Mozilla/5.0"\n',
    )
    expect(qqsec(['ids', 'analyze', clean], {}).code).toBe(0)
  })

  it('refuses bad usage with one line and exit 2', () => {
    const missing = qqsec(['ids', 'analyze', join(dir, 'nope.log')], {})
    expect(missing.code).toBe(2)
    expect(missing.stderr.trim().split('\n')).toHaveLength(1)
    expect(qqsec(['ids', 'analyze', '--format', 'pdf', fixture('sample-common.log')], {}).code).toBe(2)
    expect(
      qqsec(['ids', 'analyze', '--alert-at', '50', '--block-at', '10', fixture('sample-common.log')], {})
        .code,
    ).toBe(2)
  })
})
