import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'

/** A real rsyslog collector with RELP input (Debian packages rsyslog and rsyslog-relp) for forwarding tests. */
export const rsyslogd = ['/usr/sbin/rsyslogd', '/sbin/rsyslogd'].find((p) => existsSync(p))
const imrelp = spawnSync('sh', [
  '-c',
  'ls /usr/lib/*/rsyslog/imrelp.so /usr/lib/rsyslog/imrelp.so 2>/dev/null',
])
  .stdout.toString()
  .trim()
export const rsyslogAvailable = !!rsyslogd && imrelp.length > 0

export const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port
      s.close(() => resolve(port))
    })
  })

/**
 * Start rsyslogd in the foreground listening for RELP on 127.0.0.1:port; every message's structured data goes to
 * DIR/received.log, one line each. `inputOptions` adds to the imrelp input (e.g. its TLS settings).
 */
export function startCollector(dir: string, port: number, inputOptions = ''): Promise<ChildProcess> {
  writeFileSync(
    join(dir, 'rsyslog.conf'),
    `global(workDirectory="${dir}")
module(load="imrelp")
input(type="imrelp" port="${port}" address="127.0.0.1" ${inputOptions})
template(name="sd" type="string" string="%structured-data%\\n")
*.* action(type="omfile" file="${dir}/received.log" template="sd")
`,
  )
  const child = spawn(rsyslogd!, ['-n', '-f', join(dir, 'rsyslog.conf'), '-i', join(dir, 'rsyslogd.pid')], {
    stdio: 'ignore',
  })
  return new Promise((resolve, reject) => {
    const started = Date.now()
    const probe = () => {
      const s = createServer()
      s.once('error', () => resolve(child)) // the port is taken: rsyslog listens
      s.listen(port, '127.0.0.1', () => {
        s.close()
        if (Date.now() - started > 10_000) reject(new Error('rsyslogd did not start listening'))
        else setTimeout(probe, 100)
      })
    }
    probe()
  })
}

/** Stop the collector; rsyslog flushes its queue to the file on SIGTERM. */
export const stopCollector = (c: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (c.exitCode !== null || c.signalCode !== null) return resolve()
    c.once('exit', () => resolve())
    c.kill('SIGTERM')
  })
