import { spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import {
  cpSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

/**
 * `qqsec age` runs from a prebuilt bundle (scripts/age-cli-bundle.mjs) only while it matches its sources (by content). Built here
 * in a copy of the project, whose src/cli/entry.ts (the tsx path, not among the bundle's sources) is then removed:
 * a command that still works ran the bundle; once a source changes, bin/qqsec must fall back to tsx — which, in this
 * copy, fails visibly.
 */
const project = resolve(import.meta.dirname, '../..')
const root = mkdtempSync(join(tmpdir(), 'age-bundle-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

const run = (args: string[]) =>
  spawnSync(process.execPath, [join(root, 'bin/qqsec'), ...args], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: root },
    encoding: 'utf8',
    timeout: 60_000,
  })

beforeAll(async () => {
  for (const d of ['src', 'bin', 'scripts']) cpSync(join(project, d), join(root, d), { recursive: true })
  cpSync(join(project, 'package.json'), join(root, 'package.json'))
  symlinkSync(join(project, 'node_modules'), join(root, 'node_modules'))
  const { buildAgeBundle } = (await import(join(root, 'scripts/age-cli-bundle.mjs'))) as {
    buildAgeBundle: () => Promise<{ inputs: number }>
  }
  const built = await buildAgeBundle()
  expect(built.inputs).toBeGreaterThan(10)
  unlinkSync(join(root, 'src/cli/entry.ts'))
}, 60_000)

describe('the prebuilt age CLI bundle', () => {
  it('runs while fresh and writes files the age tool reads', () => {
    const version = run(['age', '--version'])
    expect(version.stderr).toBe('')
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/)
    const keygen = spawnSync('age-keygen', ['-o', join(root, 'a.key')], { encoding: 'utf8' })
    expect(keygen.status).toBe(0)
    const rec = spawnSync('age-keygen', ['-y', join(root, 'a.key')], { encoding: 'utf8' }).stdout.trim()
    const plain = randomBytes(200_000)
    writeFileSync(join(root, 'plain'), plain)
    const enc = run(['age', 'encrypt', '-r', rec, '-o', join(root, 'b.age'), join(root, 'plain')])
    expect(enc.stderr).toBe('')
    expect(enc.status).toBe(0)
    const dec = spawnSync('age', [
      '-d',
      '-i',
      join(root, 'a.key'),
      '-o',
      join(root, 'b.out'),
      join(root, 'b.age'),
    ])
    expect(dec.status).toBe(0)
    expect(readFileSync(join(root, 'b.out')).equals(plain)).toBe(true)
  })

  it('is kept when only modification times change (a copy or a fresh checkout), not once a source changes', () => {
    const src = join(root, 'src/main/engines/vault/age/stream.ts')
    const later = new Date(Date.now() + 5_000)
    utimesSync(src, later, later)
    expect(run(['age', '--version']).status).toBe(0)
    writeFileSync(src, readFileSync(src, 'utf8') + '\n// edited\n')
    const r = run(['age', '--version'])
    expect(r.status).toBe(2)
    expect(r.stderr).toMatch(/qqsec: could not start: .*entry\.ts/)
  })

  it('is not used when the bundle itself was altered', async () => {
    const { buildAgeBundle } = (await import(join(root, 'scripts/age-cli-bundle.mjs'))) as {
      buildAgeBundle: () => Promise<unknown>
    }
    await buildAgeBundle()
    expect(run(['age', '--version']).status).toBe(0)
    const bundle = join(root, 'out/cli/qqsec-age.mjs')
    writeFileSync(bundle, readFileSync(bundle, 'utf8') + '\n// edited\n')
    const r = run(['age', '--version'])
    expect(r.status).toBe(2)
    expect(r.stderr).toMatch(/could not start/)
  })
})
