#!/usr/bin/env node
/**
 * `npm start`: the desktop app when the Electron binary is installed; otherwise it says so plainly and starts
 * browser mode (`qqsec serve`) with the same arguments, unless QQSEC_NO_FALLBACK=1.
 * Plain ESM JavaScript, because it runs before anything is built.
 */
import { spawn } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { constants } from 'node:os'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const at = (...parts) => join(root, ...parts)
const args = process.argv.slice(2)
const say = (line) => process.stderr.write(`${line}\n`)

const electronVersion = () =>
  JSON.parse(readFileSync(at('node_modules', 'electron', 'package.json'), 'utf8')).version
const EXECUTABLE = { darwin: 'Electron.app/Contents/MacOS/Electron', win32: 'electron.exe' }

/** The Electron executable, or where it was expected. Not require('electron'): that starts a download when it is missing. */
function findElectron() {
  const pathFile = at('node_modules', 'electron', 'path.txt')
  const executable = existsSync(pathFile)
    ? readFileSync(pathFile, 'utf8').trim()
    : (EXECUTABLE[process.platform] ?? 'electron')
  const dist = process.env.ELECTRON_OVERRIDE_DIST_PATH || at('node_modules', 'electron', 'dist')
  const path = join(dist, executable)
  return { path, found: existsSync(path) }
}

/** Run a command in the foreground and resolve to its exit code. */
function run(command, commandArgs, env = process.env) {
  return new Promise((done) => {
    const child = spawn(command, commandArgs, { stdio: 'inherit', env, cwd: root })
    // Ctrl+C reaches the child through the terminal's process group; forward only what is sent to us alone.
    const forward = (signal) => child.kill(signal)
    process
      .on('SIGTERM', forward)
      .on('SIGHUP', forward)
      .on('SIGINT', () => {})
    child.on('error', (e) => {
      say(`Could not run ${command}: ${e.message}`)
      done(1)
    })
    child.on('exit', (code, signal) => done(code ?? 128 + (constants.signals[signal] ?? 0)))
  })
}

const mtime = (path) => statSync(path).mtimeMs
const newest = (path) =>
  statSync(path).isDirectory()
    ? Math.max(mtime(path), ...readdirSync(path).map((name) => newest(join(path, name))))
    : mtime(path)

/** The bundles are missing, or some source, the build config or the manifest is newer than one of them. */
function buildIsStale() {
  const outputs = ['out/main/index.js', 'out/preload/index.js', 'out/renderer/index.html'].map((p) => at(p))
  if (!outputs.every((p) => existsSync(p))) return true
  const inputs = [newest(at('src')), mtime(at('electron.vite.config.ts')), mtime(at('package.json'))]
  return Math.max(...inputs) > Math.min(...outputs.map(mtime))
}

/** The Electron-ABI better-sqlite3 is missing, or was built for another Electron version. */
function nativeIsStale() {
  const dir = at('build', 'electron-native')
  const stamp = join(dir, 'electron-version.txt')
  if (!existsSync(join(dir, 'better_sqlite3.node')) || !existsSync(stamp)) return true
  return readFileSync(stamp, 'utf8').trim() !== electronVersion()
}

async function browserModeInstead(electronPath) {
  say(
    [
      `The Electron binary is not installed (looked for ${relative(root, electronPath) || electronPath}).`,
      `npm fetches it from Electron's release host on first use. With that host reachable, run`,
      `  node node_modules/electron/install.js     (or: npx install-electron)`,
      `or set ELECTRON_OVERRIDE_DIST_PATH to the folder of an existing Electron ${electronVersion()} build.`,
    ].join('\n'),
  )
  if (process.env.QQSEC_NO_FALLBACK === '1') {
    say('QQSEC_NO_FALLBACK=1, so browser mode is not started.')
    return 1
  }
  const cli = at('bin', 'qqsec')
  if (!existsSync(cli)) {
    say('Browser mode cannot start either: bin/qqsec is missing.')
    return 1
  }
  say(`Starting browser mode instead: node bin/qqsec serve${args.length ? ` ${args.join(' ')}` : ''}`)
  return run(process.execPath, [cli, 'serve', ...args])
}

async function desktop(electronPath) {
  if (buildIsStale()) {
    say('Building the app (electron-vite build)...')
    const code = await run(process.execPath, [
      at('node_modules', 'electron-vite', 'bin', 'electron-vite.js'),
      'build',
    ])
    if (code !== 0) return code
  }
  if (nativeIsStale()) {
    say('Building better-sqlite3 for Electron (scripts/build-electron-sqlite.mjs)...')
    const code = await run(process.execPath, [at('scripts', 'build-electron-sqlite.mjs')])
    if (code !== 0) {
      say('The desktop app cannot open its database without it. Browser mode works meanwhile: npm run serve')
      return code
    }
  }
  // Electron launched with this variable set behaves as plain Node and would not open a window.
  const env = { ...process.env }
  delete env.ELECTRON_RUN_AS_NODE
  return run(electronPath, [root, ...args], env)
}

const electron = findElectron()
process.exitCode = electron.found ? await desktop(electron.path) : await browserModeInstead(electron.path)
