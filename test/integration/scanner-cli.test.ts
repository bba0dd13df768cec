import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { Ajv } from 'ajv'
import addFormats from 'ajv-formats'
import { Spec, Validation } from '@cyclonedx/cyclonedx-library'
import { qqsec } from '../support/run-cli'

const FIX = fileURLToPath(new URL('../fixtures/scanner/', import.meta.url))
const SARIF_SCHEMA = fileURLToPath(
  new URL('../../node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json', import.meta.url),
)
const tmp = mkdtempSync(join(tmpdir(), 'qqsec-scan-'))
// No data dir exists: the scan needs no account and no console.
const env = { QQSEC_DATA_DIR: join(tmp, 'no-data-dir'), XDG_CONFIG_HOME: join(tmp, 'cfg') }
const scan = (...args: string[]) =>
  qqsec(['scan', `${FIX}app`, '--advisories', `${FIX}advisories`, ...args], env)

afterAll(() => rmSync(tmp, { recursive: true, force: true }))

describe('qqsec scan', () => {
  it('prints JSON with the stable field names, without an account or data dir', () => {
    const r = scan('--format', 'json')
    expect(r.code, r.stderr).toBe(0)
    const d = JSON.parse(r.stdout) as {
      riskScore: number
      findings: Record<string, unknown>[]
    }
    expect(d.riskScore).toBe(100)
    const dep = d.findings.find((f) => f.kind === 'dependency' && f.package === 'demo-parser')
    expect(dep).toMatchObject({ version: '1.4.2', lockfile: 'package-lock.json', severity: 'critical' })
    expect(dep?.ids).toEqual(['GHSA-demo-0001-aaaa', 'CVE-2099-0001'])
    for (const f of d.findings) expect(typeof f.fingerprint).toBe('string')
    const secret = d.findings.find((f) => f.kind === 'secret')
    expect(secret).toMatchObject({ file: expect.any(String), line: expect.any(Number) })
  })

  it('--fail-on sets exit 1 at or above the level; a clean level exits 0', () => {
    expect(scan('--format', 'json', '--fail-on', 'critical').code).toBe(1)
    const clean = qqsec(['scan', `${FIX}advisories`, '--format', 'json', '--fail-on', 'low'], env)
    expect(clean.code, clean.stderr).toBe(0)
  })

  it('bad input is a usage error with one line', () => {
    const r = qqsec(['scan', join(tmp, 'missing'), '--format', 'json'], env)
    expect(r.code).toBe(2)
    expect(r.stderr.trim().split('\n')).toHaveLength(1)
    expect(scan('--format', 'pdf').code).toBe(2)
  })

  it('SARIF output is valid against the official SARIF 2.1.0 schema and carries fingerprints', () => {
    const r = scan('--format', 'sarif')
    expect(r.code, r.stderr).toBe(0)
    const log = JSON.parse(r.stdout) as { runs: { results: { partialFingerprints: object }[] }[] }
    const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false })
    addFormats(ajv)
    // The official schema is written for draft-04 ("id"); ajv reads it once the id keyword is spelled "$id".
    const schema = JSON.parse(readFileSync(SARIF_SCHEMA, 'utf8')) as {
      $schema?: string
      id?: string
      $id?: string
    }
    delete schema.$schema
    schema.$id = schema.id
    delete schema.id
    const validate = ajv.compile(schema)
    expect(validate({ version: '2.1.0', runs: [{ results: [] }] })).toBe(false) // the schema does bite
    expect(validate(log), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true)
    expect(log.runs[0]!.results.length).toBeGreaterThan(5)
    for (const res of log.runs[0]!.results) expect(Object.keys(res.partialFingerprints)).toHaveLength(1)
  })

  it('CycloneDX output passes @cyclonedx/cyclonedx-library’s validator (1.5)', async () => {
    const r = scan('--format', 'cyclonedx')
    expect(r.code, r.stderr).toBe(0)
    const errors = await new Validation.JsonStrictValidator(Spec.Version.v1dot5).validate(r.stdout)
    expect(errors).toBeNull()
    expect((JSON.parse(r.stdout) as { vulnerabilities: unknown[] }).vulnerabilities).toHaveLength(3)
  })

  it('-o writes a self-contained HTML report', () => {
    const out = join(tmp, 'report.html')
    const r = scan('--format', 'html', '-o', out)
    expect(r.code, r.stderr).toBe(0)
    const html = readFileSync(out, 'utf8')
    expect(html).toMatch(/^<!doctype html>/)
    expect(html).not.toMatch(/<script|src="http|href="http/)
    expect(html).toContain('demo-parser')
    expect(html).not.toContain('S3cr3tPassw0rd')
  })

  it('scores a CVSS v4.0 vector (CVSS-B, preferred over v3.1) in json, table, sarif, cyclonedx and html', async () => {
    // the fixture advisories with a v4.0 vector added to DEMO-0001 (its v3.1 vector alone scores 9.8)
    const adv = join(tmp, 'advisories-v4')
    cpSync(`${FIX}advisories`, adv, { recursive: true })
    const v4 = 'CVSS:4.0/AV:N/AC:L/AT:P/PR:L/UI:A/VC:L/VI:L/VA:L/SC:H/SI:L/SA:H'
    const rec = JSON.parse(readFileSync(join(adv, 'DEMO-0001.json'), 'utf8')) as {
      severity: { type: string; score: string }[]
    }
    rec.severity.push({ type: 'CVSS_V4', score: v4 })
    writeFileSync(join(adv, 'DEMO-0001.json'), JSON.stringify(rec))
    const run = (format: string) => {
      const r = qqsec(['scan', `${FIX}app`, '--advisories', adv, '--format', format], env)
      expect(r.code, r.stderr).toBe(0)
      return r.stdout
    }
    const json = JSON.parse(run('json')) as { findings: Record<string, unknown>[] }
    const dep = json.findings.find((f) => f.package === 'demo-parser')
    expect(dep).toMatchObject({ severity: 'medium', score: 5, severitySource: 'CVSS:4.0', vector: v4 })
    expect(dep?.ratings).toEqual([
      { version: '4.0', vector: v4, score: 5, label: 'medium' },
      {
        version: '3.1',
        vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
        score: 9.8,
        label: 'critical',
      },
    ])
    expect(run('table')).toMatch(/demo-parser@1\.4\.2 .*GHSA-demo-0001-aaaa.*\[CVSS:4\.0 5\.0\]/)
    const sarif = JSON.parse(run('sarif')) as {
      runs: {
        tool: { driver: { rules: { id: string; properties: Record<string, string> }[] } }
        results: { ruleId: string; message: { text: string }; properties: Record<string, unknown> }[]
      }[]
    }
    const rule = sarif.runs[0]!.tool.driver.rules.find((x) => x.id === 'GHSA-demo-0001-aaaa')
    expect(rule?.properties['security-severity']).toBe('5.0')
    const res = sarif.runs[0]!.results.find((x) => x.ruleId === 'GHSA-demo-0001-aaaa')
    expect(res?.message.text).toContain(`CVSS:4.0 5.0 ${v4}`)
    expect(res?.properties).toMatchObject({ cvssVersion: '4.0', cvssScore: 5, cvssVector: v4 })
    const cdxText = run('cyclonedx')
    expect(await new Validation.JsonStrictValidator(Spec.Version.v1dot5).validate(cdxText)).toBeNull()
    const cdx = JSON.parse(cdxText) as { vulnerabilities: { id: string; ratings: unknown[] }[] }
    expect(cdx.vulnerabilities.find((v) => v.id === 'GHSA-demo-0001-aaaa')?.ratings).toEqual([
      { score: 5, severity: 'medium', method: 'CVSSv4', vector: v4 },
      {
        score: 9.8,
        severity: 'critical',
        method: 'CVSSv31',
        vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
      },
    ])
    expect(run('html')).toContain(`CVSS 4.0 5.0: ${v4}`)
  })
})
