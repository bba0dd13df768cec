import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { MemoryAdvisorySource } from '../../src/main/engines/scanner/advisory-source'
import { cvss3BaseScore } from '../../src/main/engines/scanner/cvss'
import { parseLockfile } from '../../src/main/engines/scanner/lockfiles'
import { rangeIncludes, readOsv, severityOf, type OsvRecord } from '../../src/main/engines/scanner/osv'
import { failsAt, scanProject } from '../../src/main/engines/scanner/scan'
import { compareVersions } from '../../src/main/engines/scanner/semver'
import { scanTextForSecrets } from '../../src/main/engines/scanner/secrets'
import { checkSource, emptyFacts } from '../../src/main/engines/scanner/config-checks'

const FIX = fileURLToPath(new URL('../fixtures/scanner/', import.meta.url))
const SHARED = fileURLToPath(new URL('../../../shared/fixtures/advisories/', import.meta.url))
const shared = existsSync(SHARED)
if (!shared) console.log(`scanner-engine: ${SHARED} is absent, third-party advisory cases skipped`)

const range = (type: string, events: object[]) => ({ type, events })

describe('SemVer 2.0 ordering', () => {
  it('orders prereleases per SemVer 2.0 and reads loose versions', () => {
    expect(compareVersions('1.0.0-alpha', '1.0.0-alpha.1')).toBe(-1)
    expect(compareVersions('1.0.0-beta.11', '1.0.0-beta.2')).toBe(1)
    expect(compareVersions('1.0.0-rc.1', '1.0.0')).toBe(-1)
    expect(compareVersions('1.7', '1.7.0')).toBe(0)
    expect(compareVersions('1.8.2-beta5', '1.8.2')).toBe(-1)
  })
  it.runIf(shared)('agrees with every case of osv-scalibr semver-versions.txt', () => {
    const lines = readFileSync(`${SHARED}semver/semver-versions.txt`, 'utf8').split('\n')
    let n = 0
    for (const l of lines) {
      const m = /^(\S+) ([<>=]) (\S+)$/.exec(l.trim())
      if (!m) continue
      const want = m[2] === '<' ? -1 : m[2] === '>' ? 1 : 0
      expect(compareVersions(m[1]!, m[3]!), l).toBe(want)
      n++
    }
    expect(n).toBeGreaterThan(80)
  })
})

describe('OSV range semantics', () => {
  it('introduced / fixed', () => {
    const r = range('SEMVER', [{ introduced: '1.0.0' }, { fixed: '1.5.0' }])
    expect(rangeIncludes('0.9.9', r)).toBe(false)
    expect(rangeIncludes('1.0.0', r)).toBe(true)
    expect(rangeIncludes('1.4.99', r)).toBe(true)
    expect(rangeIncludes('1.5.0', r)).toBe(false)
    expect(rangeIncludes('1.5.0-rc.1', r)).toBe(true)
  })
  it('introduced 0 and last_affected (inclusive)', () => {
    const r = range('ECOSYSTEM', [{ introduced: '0' }, { last_affected: '3.9.19' }])
    expect(rangeIncludes('0.0.1', r)).toBe(true)
    expect(rangeIncludes('3.9.19', r)).toBe(true)
    expect(rangeIncludes('3.9.20', r)).toBe(false)
  })
  it('limit caps the range', () => {
    const r = range('SEMVER', [{ introduced: '0' }, { limit: '2.0.0' }])
    expect(rangeIncludes('1.9.9', r)).toBe(true)
    expect(rangeIncludes('2.0.0', r)).toBe(false)
    expect(rangeIncludes('9.0.0', range('SEMVER', [{ introduced: '0' }, { limit: '*' }]))).toBe(true)
  })
  it('several introduced/fixed pairs in one range, and prerelease bounds', () => {
    const r = range('SEMVER', [
      { introduced: '1.0.0' },
      { fixed: '1.2.0' },
      { introduced: '2.0.0-alpha.1' },
      { fixed: '2.0.0-beta.3' },
    ])
    expect(rangeIncludes('1.1.0', r)).toBe(true)
    expect(rangeIncludes('1.3.0', r)).toBe(false)
    expect(rangeIncludes('2.0.0-alpha', r)).toBe(false)
    expect(rangeIncludes('2.0.0-beta.2', r)).toBe(true)
    expect(rangeIncludes('2.0.0-beta.3', r)).toBe(false)
  })
  it('GIT ranges are not version ranges', () => {
    expect(rangeIncludes('1.0.0', range('GIT', [{ introduced: '0' }]))).toBe(false)
  })
})

describe('CVSS v3 base score', () => {
  it('matches the FIRST calculator on known vectors', () => {
    expect(cvss3BaseScore('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H')?.score).toBe(9.8)
    expect(cvss3BaseScore('CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N')?.score).toBe(6.1)
    expect(cvss3BaseScore('CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:C/C:H/I:H/A:N')?.score).toBe(8.2)
    expect(cvss3BaseScore('CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N')?.score).toBe(5.9)
    expect(cvss3BaseScore('CVSS:3.0/AV:N/AC:L/PR:L/UI:R/S:U/C:H/I:H/A:H')?.score).toBe(8.0)
    expect(cvss3BaseScore('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N')?.score).toBe(0)
    expect(cvss3BaseScore('CVSS:3.1/AV:X/AC:L')).toBeNull()
  })
})

const loadShared = (): MemoryAdvisorySource => {
  const src = new MemoryAdvisorySource('shared')
  for (const dir of ['ghsa-original', 'malicious-packages/malicious', 'malicious-packages/withdrawn'])
    for (const f of readdirSync(`${SHARED}${dir}`)) {
      const r = readOsv(JSON.parse(readFileSync(`${SHARED}${dir}/${f}`, 'utf8')))
      if ('record' in r) src.add(r.record)
    }
  return src
}

describe.runIf(shared)('real GHSA / MAL advisories', () => {
  it('rates severity from the CVSS vector, else the database label', () => {
    const src = loadShared()
    const byId = (id: string): OsvRecord =>
      src
        .lookup('npm', 'vm2')
        .concat(src.lookup('npm', 'ip'))
        .find((r) => r.id === id)!
    expect(severityOf(byId('GHSA-cchq-frgv-rjh5'))).toMatchObject({ severity: 'critical', score: 9.8 })
    expect(severityOf(byId('GHSA-78xj-cgh5-2h22'))).toMatchObject({ severity: 'high', source: 'database' })
  })
})

describe('scan of a sample project', () => {
  const scan = () =>
    scanProject(`${FIX}app`, {
      advisories: MemoryAdvisorySource.fromPath(`${FIX}advisories`).source,
      now: Date.parse('2026-01-10T00:00:00Z'),
    })

  it('finds dependency advisories with aliases merged, paths, dev marking; skips withdrawn', async () => {
    const r = await scan()
    const deps = r.findings.filter((f) => f.kind === 'dependency')
    expect(deps.map((f) => (f.kind === 'dependency' ? `${f.package}@${f.version}` : '')).sort()).toEqual([
      'demo-glob@3.0.0-beta.2',
      'demo-parser@1.4.2',
      'demo-template@4.2.0',
    ])
    const parser = deps.find((f) => f.kind === 'dependency' && f.package === 'demo-parser')!
    expect(parser).toMatchObject({
      ids: ['GHSA-demo-0001-aaaa', 'CVE-2099-0001'],
      severity: 'critical',
      score: 9.8,
      fixedVersions: ['1.5.0'],
      path: ['demo-http', 'demo-parser'],
      dev: false,
      lockfile: 'package-lock.json',
    })
    expect(deps.find((f) => f.kind === 'dependency' && f.package === 'demo-glob')).toMatchObject({
      dev: true,
      severity: 'medium',
    })
    expect(deps.find((f) => f.kind === 'dependency' && f.package === 'demo-template')).toMatchObject({
      path: ['web', 'demo-template'],
      fixedVersions: [],
    })
    expect(r.remediation.find((a) => a.kind === 'replace')?.title).toMatch(/demo-template/)
    expect(r.riskScore).toBe(100)
    expect(failsAt(r, 'critical')).toBe(true)
  })

  it('fingerprints are stable across scans', async () => {
    const a = await scan()
    const b = await scan()
    expect(a.findings.map((f) => f.fingerprint)).toEqual(b.findings.map((f) => f.fingerprint))
  })

  it('reports secrets redacted, never in plain text', async () => {
    const r = await scan()
    const secrets = r.findings.filter((f) => f.kind === 'secret')
    expect(secrets.map((f) => f.ruleId).sort()).toEqual([
      'aws-access-key-id',
      'connection-string-password',
      'github-token',
      'private-key',
    ])
    const json = JSON.stringify(r)
    const source = readFileSync(`${FIX}app/src/leaky.js`, 'utf8')
    for (const secret of [/AKIA[A-Z2-7]{16}/, /ghp_\w{36}/, /S3cr3tPassw0rd/, /MIIEow\w+/])
      expect(json).not.toContain(secret.exec(source)![0])
    expect(secrets.find((f) => f.ruleId === 'github-token')).toMatchObject({ line: 2, column: 16 })
  })

  it('config checks read the syntax tree: comments and strings are not settings', async () => {
    const r = await scan()
    const ids = r.findings
      .filter((f) => f.kind === 'config')
      .map((f) => f.ruleId)
      .sort()
    expect(ids).toEqual([
      'dotenv-committed',
      'electron-context-isolation-off',
      'electron-missing-csp',
      'electron-node-integration',
      'electron-open-external-unchecked',
      'mfa-disabled',
      'tls-old-protocol',
      'tls-reject-unauthorized-off',
      'weak-password-policy',
    ])
  })
})

describe('secret rules', () => {
  it('skips placeholders and low-entropy values', () => {
    expect(
      scanTextForSecrets('a.ts', "const password = 'changeme-changeme'\nconst token = '${TOKEN_FROM_ENV}'"),
    ).toEqual([])
  })
  it('flags a high-entropy generic assignment with line and column', () => {
    const [f] = scanTextForSecrets('a.ts', "\n  api_key: 'q8Zr2LmX0vB7nT4wKp9s'")
    expect(f).toMatchObject({
      ruleId: 'generic-secret-assignment',
      line: 2,
      column: 3,
      redacted: 'q8Zr********',
    })
  })
})

describe('config rules', () => {
  it('a hardened window has no findings; an opener behind a URL check is fine', () => {
    const src = `const w = new BrowserWindow({ webPreferences: { sandbox: true, contextIsolation: true, nodeIntegration: false } })
function go(u) { const url = new URL(u); if (url.protocol === 'https:') shell.openExternal(url.href) }`
    expect(checkSource('w.ts', src, emptyFacts())).toEqual([])
  })
  it('CORS * with credentials', () => {
    expect(
      checkSource('s.js', `app.use(cors({ origin: '*', credentials: true }))`, emptyFacts())[0]?.ruleId,
    ).toBe('cors-wildcard-credentials')
  })
})

describe('parseLockfile', () => {
  it('dispatches by file name and refuses unreadable input with an actionable message', () => {
    expect(() => parseLockfile('/x/package-lock.json', '{')).toThrow(/Regenerate it/)
    expect(
      parseLockfile(`${FIX}app/package-lock.json`, readFileSync(`${FIX}app/package-lock.json`, 'utf8')).kind,
    ).toBe('package-lock')
  })
})
