import type { ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { SyslogForwarder, WINDOW } from '../../src/main/engines/audit/syslog-forwarder'
import { freePort, rsyslogAvailable, startCollector, stopCollector } from '../support/rsyslog'
import { tempConsole, type TestConsole } from '../support/temp-console'

/**
 * Forwarding to a real rsyslog (Debian packages rsyslog and rsyslog-relp) on loopback, including a collector
 * restart in the middle of the stream. npm test installs both; elsewhere this skips with one line.
 */
if (!rsyslogAvailable)
  console.log('audit-forward: skipped — rsyslogd with imrelp (Debian rsyslog, rsyslog-relp) is not installed')

let t: TestConsole | null = null
let collector: ChildProcess | null = null
afterEach(() => {
  collector?.kill('SIGKILL')
  t?.cleanup()
})

describe.runIf(rsyslogAvailable)('forwarding the audit log to rsyslog over RELP', () => {
  it('delivers every entry across a collector restart mid-stream; a repeat is only ever an unacknowledged in-flight message', async () => {
    t = await tempConsole()
    const N = 3000
    for (let i = 0; i < N; i += 500) {
      t.core.audit.recordMany(
        Array.from({ length: 500 }, (_, k) => ({
          type: 'system' as const,
          actor: 'alice',
          client: 'cli:test',
          action: `event.${i + k}`,
          result: 'success' as const,
        })),
      )
    }
    const dir = mkdtempSync(join(tmpdir(), 'qqsec-rsyslog-'))
    const port = await freePort()
    collector = await startCollector(dir, port)
    const forwarder = new SyslogForwarder(
      t.core.db,
      { name: `relp://127.0.0.1:${port}`, host: '127.0.0.1', port },
      'test-host',
    )
    let restarted = false
    const errors: string[] = []
    const run = forwarder.run({
      follow: false,
      retryMs: 100,
      onProgress: (p) => {
        if (p.lastError) errors.push(p.lastError)
        if (!restarted && p.sent >= 700) {
          restarted = true
          const old = collector!
          void stopCollector(old).then(async () => {
            await new Promise((r) => setTimeout(r, 800)) // the collector is down for a while
            collector = await startCollector(dir, port)
          })
        }
      },
    })
    await run
    expect(restarted).toBe(true)
    expect(errors.length).toBeGreaterThan(0) // it did see the collector go away
    await stopCollector(collector!) // flush rsyslog's queue to the file
    collector = null
    const lines = readFileSync(join(dir, 'received.log'), 'utf8').trimEnd().split('\n')
    const seqs = lines.map((l) => Number(/seq="(\d+)"/.exec(l)?.[1]))
    const unique = new Set(seqs)
    expect(unique.size).toBe(N) // nothing lost
    expect([...unique].sort((a, b) => a - b)).toEqual(Array.from({ length: N }, (_, i) => i + 1))
    // RELP is at-least-once: a message stored by the collector whose acknowledgement was lost in the restart is
    // sent again. Such repeats are byte-identical (same seq and hash) and at most one window of messages.
    expect(seqs.length - N).toBeLessThanOrEqual(WINDOW)
    const bySeq = new Map<number, string>()
    for (const [i, l] of lines.entries()) {
      const prev = bySeq.get(seqs[i]!)
      if (prev !== undefined) expect(l).toBe(prev)
      bySeq.set(seqs[i]!, l)
    }
    expect(forwarder.cursor()).toBe(N)
    expect(forwarder.pending()).toBe(0)
  })
})
