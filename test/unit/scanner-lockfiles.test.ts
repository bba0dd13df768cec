import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { parseNpmLock, parsePnpmLock, parseYarnLock } from '../../src/main/engines/scanner/lockfiles'

const ROOT = fileURLToPath(new URL('../../../shared/fixtures/advisories/lockfiles/', import.meta.url))
const PARSER = `${ROOT}osv-scanner-parser-fixtures/`
const present = existsSync(PARSER)
if (!present) console.log(`scanner-lockfiles: ${PARSER} is absent, third-party lockfile cases skipped`)

interface Expected {
  test: string
  fixture: string
  expect_error?: string
  expect_error_containing?: string
  expect_packages_exact?: { Name: string; Version: string; Commit?: string; DepGroups?: string[] }[]
  expect_packages_include?: { Name: string; Version: string }[]
}

const parseBy = (fixture: string, text: string) => {
  const file = `${PARSER}${fixture}`
  if (fixture.startsWith('npm/')) return parseNpmLock(text, file)
  if (fixture.startsWith('yarn/')) return parseYarnLock(text, file).packages
  return parsePnpmLock(text, file)
}

describe.runIf(present)('lockfile parsers against osv-scanner fixtures', () => {
  const cases = present
    ? (JSON.parse(readFileSync(`${PARSER}expected-packages.json`, 'utf8')) as { tests: Expected[] }).tests
    : []
  const runnable = cases.filter((c) => existsSync(`${PARSER}${c.fixture}`))
  it('has cases', () => expect(runnable.length).toBeGreaterThan(60))
  for (const c of runnable) {
    it(`${c.test} (${c.fixture})`, () => {
      const text = readFileSync(`${PARSER}${c.fixture}`, 'utf8')
      if (c.expect_error_containing === 'invalid package path') {
        // Divergence by design: osv-scanner rejects the whole file for one unreadable key; we skip that key and
        // still check every package we can read.
        expect(parseBy(c.fixture, text).length).toBeGreaterThan(0)
        return
      }
      if (c.expect_error || c.expect_error_containing) {
        // Unreadable input either fails with an actionable message or yields no packages (a pnpm key we cannot
        // read is skipped rather than failing the whole scan).
        let n = 0
        try {
          n = parseBy(c.fixture, text).length
        } catch (e) {
          expect((e as Error).message).toMatch(/could not be read .* Regenerate it/)
        }
        expect(n).toBe(0)
        return
      }
      // Compared: every expected name@version is found, with the same dev grouping. Git commits are not
      // compared (a git dependency has no registry version for OSV ranges to match).
      const got = new Map(parseBy(c.fixture, text).map((p) => [`${p.name}@${p.version}`, p.dev]))
      // osv-scanner's pnpm v9 parser reports no dependency groups at all; ours reads devDependencies of the
      // importers, so dev grouping is compared only where the reference states it.
      const groupsKnown = !/\.v9\.yaml$/.test(c.fixture)
      for (const p of c.expect_packages_exact ?? []) {
        const key = `${p.Name}@${p.Version}`
        expect(got.has(key), `${key} found`).toBe(true)
        if (groupsKnown) expect(got.get(key), `${key} dev`).toBe(p.DepGroups?.includes('dev') ?? false)
      }
      for (const p of c.expect_packages_include ?? []) expect(got.has(`${p.Name}@${p.Version}`)).toBe(true)
      if (c.expect_packages_exact?.length === 0) expect(got.size).toBe(0)
    })
  }
})
