import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const PROJECT_ROOT = fileURLToPath(new URL('../../../', import.meta.url))
/** The first start may build the renderer (electron-vite) before it prints its address. */
const START_TIMEOUT_MS = 240_000

export interface RunningServer {
  /** The address `qqsec serve` printed, start token included. */
  startUrl: string
  origin: string
  dataDir: string
  /** Everything the server wrote, for failure messages. */
  output: () => string
  stop: () => Promise<void>
}

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer()
    probe.unref()
    probe.on('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      const port = typeof address === 'object' && address ? address.port : 0
      probe.close(() => (port ? resolvePort(port) : reject(new Error('no free port'))))
    })
  })
}

const exited = (child: ChildProcess): Promise<void> =>
  new Promise((done) => {
    if (child.exitCode !== null || child.signalCode !== null) done()
    else child.once('exit', () => done())
  })

/** `node bin/qqsec serve` on a fresh data dir with the file keystore (no OS keychain on test machines). */
export async function startQqsecServer(): Promise<RunningServer> {
  const port = await freePort()
  const dataDir = await mkdtemp(join(tmpdir(), 'qqsec-e2e-'))
  const child = spawn(process.execPath, ['bin/qqsec', 'serve', '--port', String(port)], {
    cwd: PROJECT_ROOT,
    env: {
      ...process.env,
      QQSEC_DATA_DIR: dataDir,
      QQSEC_KEYSTORE: 'file',
      QQSEC_KEYSTORE_PASSPHRASE: 'e2e-keystore-passphrase-1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let log = ''
  child.stdout?.setEncoding('utf8')
  child.stderr?.setEncoding('utf8')
  child.stderr?.on('data', (chunk: string) => (log += chunk))

  const wanted = new RegExp(`http://127\\.0\\.0\\.1:${port}/\\?token=[A-Za-z0-9_-]+`)
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000)
      await exited(child)
      clearTimeout(timer)
    }
    await rm(dataDir, { recursive: true, force: true })
  }

  try {
    const startUrl = await new Promise<string>((found, fail) => {
      const timer = setTimeout(
        () => fail(new Error(`qqsec serve printed no address within ${START_TIMEOUT_MS / 1000} s`)),
        START_TIMEOUT_MS,
      )
      child.stdout?.on('data', (chunk: string) => {
        log += chunk
        const match = wanted.exec(log)
        if (match) {
          clearTimeout(timer)
          found(match[0])
        }
      })
      child.once('exit', (code, signal) => {
        clearTimeout(timer)
        fail(new Error(`qqsec serve exited (${signal ?? code}) before printing its address`))
      })
    })
    return { startUrl, origin: `http://127.0.0.1:${port}`, dataDir, output: () => log, stop }
  } catch (e) {
    await stop()
    throw new Error(`${(e as Error).message}\n--- server output ---\n${log}`, { cause: e })
  }
}
