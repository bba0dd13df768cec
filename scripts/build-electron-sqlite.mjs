#!/usr/bin/env node
/**
 * Build better-sqlite3 for Electron's ABI into build/electron-native/better_sqlite3.node, leaving
 * node_modules/better-sqlite3 (the Node build the CLI and tests use) untouched. The package is copied to a temp
 * folder and rebuilt there with node-gyp against Electron's headers, which node-gyp downloads from
 * electronjs.org. Fails loudly when anything is missing; it never reports success for a build it did not make.
 */
import { spawnSync } from 'node:child_process'
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { createRequire } from 'node:module'
import { homedir, tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const at = (...parts) => join(root, ...parts)
const HEADERS_URL = 'https://electronjs.org/headers'
const outDir = at('build', 'electron-native')
const outFile = join(outDir, 'better_sqlite3.node')

class BuildFailure extends Error {}
const fail = (message) => {
  throw new BuildFailure(message)
}

const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'))

/** node-gyp from the project, else the copy bundled with npm (found beside npm or beside node). */
function findNodeGyp() {
  const candidates = []
  try {
    candidates.push(createRequire(at('package.json')).resolve('node-gyp/bin/node-gyp.js'))
  } catch {
    // not a project dependency
  }
  if (process.env.npm_execpath) {
    candidates.push(
      join(dirname(process.env.npm_execpath), '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
    )
  }
  const nodeDir = dirname(process.execPath)
  candidates.push(
    join(nodeDir, '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  )
  candidates.push(join(nodeDir, 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'))
  return candidates.find((path) => existsSync(path))
}

/** Rebuild a copy of better-sqlite3 in `work` against Electron's headers; returns the built addon's path. */
function buildIn(work, electronVersion) {
  const sqliteDir = at('node_modules', 'better-sqlite3')
  if (!existsSync(join(sqliteDir, 'binding.gyp')))
    fail('node_modules/better-sqlite3 is not installed; run `npm ci` first.')
  const nodeGyp = findNodeGyp()
  if (!nodeGyp) fail('node-gyp was not found (neither in node_modules nor bundled with npm).')

  const pkgCopy = join(work, 'better-sqlite3')
  // Without its build/ folder, so nothing of the Node build can end up in the result.
  cpSync(sqliteDir, pkgCopy, { recursive: true, filter: (src) => src !== join(sqliteDir, 'build') })

  // npm passes its `nodedir` setting down as npm_config_nodedir; node-gyp would then compile against those
  // (Node's) headers and quietly produce a Node build. Electron's headers must come from --target/--dist-url.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) => !/^npm_config_(nodedir|target|disturl|dist_url|runtime|devdir)$/i.test(key),
    ),
  )
  const gypArgs = [
    'rebuild',
    '--release',
    `--target=${electronVersion}`,
    `--dist-url=${HEADERS_URL}`,
    `--devdir=${join(homedir(), '.electron-gyp')}`,
  ]
  process.stderr.write(
    `Building better-sqlite3 for Electron ${electronVersion}: node-gyp ${gypArgs.join(' ')}\n`,
  )
  const build = spawnSync(process.execPath, [nodeGyp, ...gypArgs], { cwd: pkgCopy, env, stdio: 'inherit' })
  if (build.error) fail(`node-gyp could not run: ${build.error.message}`)
  if (build.status !== 0) {
    fail(
      `node-gyp exited with ${build.status ?? build.signal}. It needs Electron ${electronVersion}'s headers from ` +
        `${HEADERS_URL} (or already in ~/.electron-gyp), Python 3 and a C++20 compiler.`,
    )
  }
  const built = join(pkgCopy, 'build', 'Release', 'better_sqlite3.node')
  if (!existsSync(built)) fail(`node-gyp finished but ${built} does not exist.`)
  return built
}

/** An Electron build cannot load in plain Node; one that does was built for Node by mistake. */
function assertElectronAbi(addon, electronAbi) {
  const probe = spawnSync(
    process.execPath,
    ['-e', 'process.dlopen({ exports: {} }, process.argv[1])', addon],
    {
      encoding: 'utf8',
    },
  )
  if (probe.status === 0) fail('the addon loads in plain Node, so it was built for Node, not for Electron.')
  if (electronAbi && !probe.stderr.includes(`NODE_MODULE_VERSION ${electronAbi}`)) {
    fail(
      `the addon does not report Electron's ABI (NODE_MODULE_VERSION ${electronAbi}):\n${probe.stderr.trim()}`,
    )
  }
}

const work = mkdtempSync(join(tmpdir(), 'qqsec-electron-sqlite-'))
try {
  const electronPkg = at('node_modules', 'electron', 'package.json')
  if (!existsSync(electronPkg)) fail('node_modules/electron is not installed; run `npm ci` first.')
  const electronVersion = readJson(electronPkg).version
  const abiFile = at('node_modules', 'electron', 'abi_version')
  const electronAbi = existsSync(abiFile) ? readFileSync(abiFile, 'utf8').trim() : null

  const built = buildIn(work, electronVersion)
  assertElectronAbi(built, electronAbi)
  mkdirSync(outDir, { recursive: true })
  copyFileSync(built, outFile)
  writeFileSync(join(outDir, 'electron-version.txt'), `${electronVersion}\n`)
  process.stderr.write(`Wrote ${outFile} (Electron ${electronVersion}, ABI ${electronAbi ?? 'unknown'}).\n`)
} catch (e) {
  if (!(e instanceof BuildFailure)) throw e
  process.stderr.write(`build-electron-sqlite: FAILED. ${e.message}\nNothing was written to ${outDir}.\n`)
  process.exitCode = 1
} finally {
  rmSync(work, { recursive: true, force: true })
}
