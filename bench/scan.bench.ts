/**
 * Scanner figures on this machine (`npm run bench:scan`). Inputs are generated under /tmp and removed afterwards.
 *
 * 1. Import of 10,000 generated OSV advisories (a folder of .json files) into a fresh console database, then a
 *    re-import (everything unchanged).
 * 2. A package-lock.json v3 of 2,000 packages scanned against that database: cold (first) and warm (second) run.
 * 3. A generated 100,000-file text tree (no lockfiles, a few planted secrets) scanned by `scanProject` (walk, read,
 *    secret rules with entropy checks, file-level configuration checks): MB/s of text. The named peer is
 *    `grep -rEl` with a comparable credential pattern over the same tree, measured in the same run after a warm-up.
 *
 * Prints plain lines; asserts nothing.
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { cpus } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { openDatabase } from '../src/main/db/connection'
import { AdvisoryDb } from '../src/main/engines/scanner/advisory-db'
import { scanProject } from '../src/main/engines/scanner/scan'
import { ManualClock } from '../src/main/platform/clock'

const ADVISORIES = 10_000
const PACKAGES = 2_000
const FILES = 100_000
const root = mkdtempSync('/tmp/qqsec-bench-scan-')
const clock = new ManualClock(Date.parse('2026-06-01T00:00:00Z'))
const ms = (t0: number) => performance.now() - t0
const fmt = (x: number) => `${x.toFixed(0)} ms`

/** A deterministic pseudo-random stream (xorshift32). */
let seed = 0x9e3779b9
const rnd = () => {
  seed ^= seed << 13
  seed ^= seed >>> 17
  seed ^= seed << 5
  return (seed >>> 0) / 0x1_0000_0000
}
const pkgName = (i: number) => (i % 7 === 0 ? `@bench/pkg-${i}` : `pkg-${i}`)

function generateAdvisories(dir: string): void {
  mkdirSync(dir, { recursive: true })
  for (let i = 0; i < ADVISORIES; i++) {
    const pkg = pkgName(Math.floor(rnd() * 3 * PACKAGES))
    const major = Math.floor(rnd() * 5)
    const rec = {
      schema_version: '1.6.0',
      id: `GHSA-bnch-${String(i).padStart(4, '0')}-${(i * 7919).toString(36).padStart(4, 'x').slice(-4)}`,
      modified: '2026-05-20T00:00:00Z',
      published: '2026-01-01T00:00:00Z',
      aliases: [`CVE-2026-${10000 + i}`],
      summary: `Generated advisory ${i} for ${pkg}`,
      details: 'A generated advisory for the benchmark. '.repeat(8),
      severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:L/A:N' }],
      affected: [
        {
          package: { ecosystem: 'npm', name: pkg },
          ranges: [
            {
              type: 'SEMVER',
              events: [{ introduced: `${major}.0.0` }, { fixed: `${major}.${1 + Math.floor(rnd() * 9)}.0` }],
            },
          ],
        },
      ],
      references: [{ type: 'ADVISORY', url: `https://example.invalid/advisories/${i}` }],
      database_specific: { severity: 'HIGH' },
    }
    const sub = join(dir, String(i % 100))
    if (i < 100) mkdirSync(sub, { recursive: true })
    writeFileSync(join(sub, `${rec.id}.json`), JSON.stringify(rec))
  }
}

function generateLockfile(dir: string): void {
  mkdirSync(dir, { recursive: true })
  const packages: Record<string, unknown> = {
    '': { name: 'bench-app', version: '1.0.0', dependencies: {} as Record<string, string> },
  }
  const top = packages[''] as { dependencies: Record<string, string> }
  for (let i = 0; i < PACKAGES; i++) {
    const name = pkgName(i)
    const version = `${Math.floor(rnd() * 5)}.${Math.floor(rnd() * 10)}.${Math.floor(rnd() * 10)}`
    if (i < 200) top.dependencies[name] = `^${version}`
    packages[`node_modules/${name}`] = {
      version,
      resolved: `https://registry.npmjs.org/${name}`,
      dev: i % 5 === 0,
    }
  }
  writeFileSync(
    join(dir, 'package-lock.json'),
    JSON.stringify({ name: 'bench-app', version: '1.0.0', lockfileVersion: 3, requires: true, packages }),
  )
}

const WORDS = 'const value = compute(input) // return the result of the transformation and log it '.split(' ')
function generateTree(dir: string): number {
  let bytes = 0
  for (let d = 0; d < 1000; d++) {
    const sub = join(dir, `m${Math.floor(d / 50)}`, `d${d}`)
    mkdirSync(sub, { recursive: true })
    for (let f = 0; f < FILES / 1000; f++) {
      const lines: string[] = []
      const n = 10 + Math.floor(rnd() * 30)
      for (let l = 0; l < n; l++) {
        const w: string[] = []
        for (let k = 0; k < 8 + Math.floor(rnd() * 8); k++) w.push(WORDS[Math.floor(rnd() * WORDS.length)]!)
        lines.push(w.join(' '))
      }
      if ((d * 100 + f) % 5000 === 0) lines.push(`aws_access_key_id = AKIA${'Q7W3EZR2T5Y2U7I4'}`)
      const text = lines.join('\n') + '\n'
      bytes += text.length
      writeFileSync(join(sub, `note-${f}.txt`), text)
    }
  }
  return bytes
}

async function main(): Promise<void> {
  console.log(
    `qqsec scanner benchmark — ${cpus().length} CPU(s) ${cpus()[0]?.model ?? ''}, Node ${process.version}`,
  )
  const advDir = join(root, 'advisories')
  let t0 = performance.now()
  generateAdvisories(advDir)
  console.log(`generated ${ADVISORIES} advisories in ${fmt(ms(t0))}`)

  const db = openDatabase(join(root, 'console.db'))
  const adb = new AdvisoryDb(db, clock)
  t0 = performance.now()
  const imp = await adb.importAsync(advDir)
  const importMs = ms(t0)
  t0 = performance.now()
  const again = await adb.importAsync(advDir)
  const reimportMs = ms(t0)
  console.log(
    `\nImport of ${imp.added} advisories: ${fmt(importMs)} (${((imp.added / importMs) * 1000).toFixed(0)} records/s; target < 10 s: ${importMs < 10_000 ? 'met' : 'MISSED'})`,
  )
  console.log(`Re-import (${again.unchanged} unchanged): ${fmt(reimportMs)}`)

  const proj = join(root, 'project')
  generateLockfile(proj)
  const runs: number[] = []
  let findings = 0
  for (let i = 0; i < 3; i++) {
    t0 = performance.now()
    const r = await scanProject(proj, { advisories: adb, now: clock.now() })
    runs.push(ms(t0))
    findings = r.findings.length
  }
  const warm = Math.min(...runs.slice(1))
  console.log(
    `\nLockfile of ${PACKAGES} packages vs ${ADVISORIES} advisories: ${findings} findings; cold ${fmt(runs[0]!)}, warm ${fmt(warm)} (target < 1 s warm: ${warm < 1000 ? 'met' : 'MISSED'})`,
  )
  db.close()

  const tree = join(root, 'tree')
  t0 = performance.now()
  const bytes = generateTree(tree)
  console.log(`\ngenerated ${FILES} files, ${(bytes / 1e6).toFixed(1)} MB of text in ${fmt(ms(t0))}`)
  const pattern =
    'AKIA[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{36}|-----BEGIN [A-Z ]*PRIVATE KEY-----|xox[baprs]-[0-9A-Za-z-]{10,}'
  const grep = () => {
    const g0 = performance.now()
    const r = spawnSync('grep', ['-rElI', pattern, tree], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
    return {
      ms: ms(g0),
      hits: r.stdout.split('\n').filter(Boolean).length,
      ok: r.status === 0 || r.status === 1,
    }
  }
  grep() // warms the page cache for both
  t0 = performance.now()
  const s = await scanProject(tree, { advisories: null, now: clock.now() })
  const scanMs = ms(t0)
  const mbs = bytes / 1e6 / (scanMs / 1000)
  const secrets = s.findings.filter((f) => f.kind === 'secret').length
  console.log(
    `qqsec secrets scan: ${fmt(scanMs)}, ${mbs.toFixed(1)} MB/s, ${secrets} secret findings (target ≥ 50 MB/s: ${mbs >= 50 ? 'met' : 'MISSED'})`,
  )
  const g = grep()
  if (g.ok) {
    const gmbs = bytes / 1e6 / (g.ms / 1000)
    console.log(
      `peer grep -rElI (4 credential patterns, no entropy, no redaction): ${fmt(g.ms)}, ${gmbs.toFixed(1)} MB/s, ${g.hits} files; qqsec/grep throughput ratio ${(mbs / gmbs).toFixed(2)}`,
    )
  } else console.log('peer grep: not available on this machine')
}

main()
  .catch((e: unknown) => {
    console.error(e)
    process.exitCode = 1
  })
  .finally(() => rmSync(root, { recursive: true, force: true }))
