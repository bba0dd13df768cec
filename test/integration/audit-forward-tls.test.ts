import { spawnSync, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { SyslogForwarder } from '../../src/main/engines/audit/syslog-forwarder'
import { qqsec } from '../support/run-cli'
import { freePort, rsyslogAvailable, startCollector, stopCollector } from '../support/rsyslog'
import { tempConsole, type TestConsole } from '../support/temp-console'

/**
 * RELP over TLS to a real rsyslog (imrelp with its own certificate, which makes it ask every sender for one:
 * mutual TLS). Certificates are made per run with the openssl tool. Skips with one line without rsyslog/openssl.
 */
const openssl = spawnSync('openssl', ['version']).status === 0
const available = rsyslogAvailable && openssl
if (!available)
  console.log('audit-forward-tls: skipped — needs rsyslogd with imrelp (rsyslog, rsyslog-relp) and openssl')

const dir = mkdtempSync(join(tmpdir(), 'qqsec-relp-tls-'))
const f = (name: string) => join(dir, name)
const ssl = (args: string[]) => {
  const r = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' })
  if (r.status !== 0) throw new Error(`openssl ${args.join(' ')}: ${r.stderr}`)
}
/** A new P-256 key, unencrypted (test material only). */
const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes']
/** A certificate signed by `ca` for `name`, with the given X.509 extensions. */
function issue(ca: string, name: string, ext: string) {
  writeFileSync(f(`${name}.ext`), ext)
  ssl(['req', ...EC_KEY, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}`])
  ssl([
    'x509',
    '-req',
    '-in',
    `${name}.csr`,
    '-CA',
    `${ca}.pem`,
    '-CAkey',
    `${ca}.key`,
    '-CAcreateserial',
    '-out',
    `${name}.pem`,
    '-days',
    '2',
    '-extfile',
    `${name}.ext`,
  ])
}

/** imrelp with TLS and a certificate of its own: it then asks every sender for one signed by the CA. */
const startTlsCollector = () =>
  startCollector(
    dir,
    port,
    `tls="on" tls.authmode="certvalid" tls.cacert="${f('ca.pem')}" tls.mycert="${f('collector.pem')}" tls.myprivkey="${f('collector.key')}"`,
  )

let t: TestConsole | null = null
let collector: ChildProcess | null = null
let port = 0
beforeAll(async () => {
  if (!available) return
  for (const ca of ['ca', 'other-ca'])
    ssl([
      'req',
      '-x509',
      ...EC_KEY,
      '-keyout',
      `${ca}.key`,
      '-out',
      `${ca}.pem`,
      '-days',
      '2',
      '-subj',
      `/CN=qqsec test ${ca}`,
    ])
  issue('ca', 'collector', 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n')
  issue('ca', 'sender', 'extendedKeyUsage=clientAuth\n')
  port = await freePort()
  collector = await startTlsCollector()
}, 30_000)
afterEach(() => t?.cleanup())
afterAll(async () => {
  if (collector) await stopCollector(collector)
  rmSync(dir, { recursive: true, force: true })
})

const target = (ca: string, withCert = true) => ({
  name: `relps://127.0.0.1:${port}`,
  host: '127.0.0.1',
  port,
  tlsCa: readFileSync(f(ca), 'utf8'),
  ...(withCert
    ? { tlsCert: readFileSync(f('sender.pem'), 'utf8'), tlsKey: readFileSync(f('sender.key'), 'utf8') }
    : {}),
})

const record = (c: TestConsole, n: number) =>
  c.core.audit.recordMany(
    Array.from({ length: n }, (_, k) => ({
      type: 'system' as const,
      actor: 'alice',
      client: 'cli:test',
      action: `tls.${k}`,
      result: 'success' as const,
    })),
  )

describe.runIf(available)('forwarding the audit log over RELP with TLS', () => {
  it('delivers every entry to a collector whose certificate the given CA signed, with a sender certificate', async () => {
    t = await tempConsole()
    record(t, 400)
    const forwarder = new SyslogForwarder(t.core.db, target('ca.pem'), 'test-host')
    expect(await forwarder.run({ follow: false, retryMs: 100 })).toBe(400)
    expect(forwarder.cursor()).toBe(400)
    await stopCollector(collector!) // flush to the file, then listen again for the next test
    collector = null
    const seqs = readFileSync(f('received.log'), 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => Number(/seq="(\d+)"/.exec(l)?.[1]))
    expect(new Set(seqs)).toEqual(new Set(Array.from({ length: 400 }, (_, i) => i + 1)))
    collector = await startTlsCollector()
  })

  it('refuses a collector another CA vouches for: a clear error at once, nothing marked as sent', async () => {
    t = await tempConsole()
    record(t, 10)
    const forwarder = new SyslogForwarder(t.core.db, target('other-ca.pem'), 'test-host')
    const started = Date.now()
    await expect(forwarder.run({ follow: false, retryMs: 100 })).rejects.toThrow(
      /is not trusted .*check that --ca is the CA that signed its certificate/,
    )
    expect(Date.now() - started).toBeLessThan(10_000) // no retry loop (not a timing claim: a loop never ends)
    expect(forwarder.cursor()).toBe(0)
    expect(forwarder.pending()).toBe(10)
  })
})

describe.runIf(available)('the collector really authenticates its senders', () => {
  it('a sender without a certificate is not delivered (so the delivery above went through mutual TLS)', async () => {
    t = await tempConsole()
    record(t, 5)
    const forwarder = new SyslogForwarder(t.core.db, target('ca.pem', false), 'test-host')
    const errors: string[] = []
    await forwarder.run({
      follow: false,
      retryMs: 100,
      onProgress: (p) => {
        if (p.lastError) {
          errors.push(p.lastError)
          forwarder.stop()
        }
      },
    })
    expect(errors.length).toBeGreaterThan(0)
    expect(forwarder.cursor()).toBe(0)
  })
})

describe('qqsec audit forward: TLS flags', () => {
  const env = { QQSEC_DATA_DIR: join(dir, 'unused-data') }
  it.each([
    [['--to', 'relps://127.0.0.1:2514'], /relps:\/\/ needs --ca FILE/],
    [['--to', 'relp://127.0.0.1:2514', '--ca', '/etc/hostname'], /apply to relps:\/\/ \(TLS\) only/],
    [
      ['--to', 'relps://127.0.0.1:2514', '--ca', '/etc/hostname', '--cert', '/etc/hostname'],
      /--cert and --key go together/,
    ],
    [
      ['--to', 'relps://127.0.0.1:2514', '--ca', '/nonexistent/ca.pem'],
      /--ca: cannot read \/nonexistent\/ca\.pem \(ENOENT\)/,
    ],
  ])('%j is refused as a usage error before anything else happens', (args, message) => {
    const r = qqsec(['audit', 'forward', ...args], env)
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(message)
  })
})
