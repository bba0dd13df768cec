import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { LogAnalyzer } from '../../src/main/engines/threats/log-analyzer'
import type { Caller } from '../../src/main/ipc/caller'
import type { CallInput, CallName, CallOutput } from '../../src/shared/contract'
import type { Result } from '../../src/shared/result'
import { signedInAdmin, tempConsole, tempDir, type TestConsole } from '../support/temp-console'

let t: TestConsole
beforeEach(async () => {
  t = await tempConsole()
})
afterEach(() => t.cleanup())

const invoke = <N extends CallName>(caller: Caller, name: N, input: CallInput<N>) =>
  t.core.invoke(caller, name, input) as Promise<Result<CallOutput<N>>>
const PROBE = {
  name: 'probe',
  description: '../../../../etc/passwd',
  permissions: ['system:monitor' as const],
}
const inAMonth = () => new Date(t.clock.now() + 30 * 86_400_000).toISOString()

describe('allow-listing threats with the console’s waiver model', () => {
  it('a waiver for a path (a call name in the console) lets the call through until it expires; the waiver itself is audited', async () => {
    const admin = await signedInAdmin(t)
    expect((await invoke(admin, 'roles.create', PROBE)).ok).toBe(false)
    const w = await invoke(admin, 'waivers.create', {
      domain: 'threats',
      scope: { kind: 'path', value: 'roles.create' },
      reason: 'role descriptions quote file paths in our runbooks',
      owner: 'alice',
      expiresAt: inAMonth(),
    })
    expect(w.ok, JSON.stringify(w)).toBe(true)
    expect(
      t.core.audit.recent(5).entries.some((e) => e.action === 'waivers.create' && e.result === 'success'),
    ).toBe(true)
    const allowed = await invoke(admin, 'roles.create', PROBE)
    expect(allowed.ok, JSON.stringify(allowed)).toBe(true)
    t.clock.advance(31 * 86_400_000) // expired: the finding resurfaces
    const again = t.core.threats.inspect(
      { client: 'ipc:1' },
      'roles.create',
      { ...PROBE, name: 'probe2' },
      { userName: 'alice' },
    )
    expect(again.decision).toBe('block')
  })

  it('a waiver for a client drops that client’s findings from a log analysis', async () => {
    const dir = tempDir()
    const log = join(dir, 'access.log')
    const line = (ip: string) =>
      `${ip} - - [04/Dec/2026:10:00:00 +0000] "GET /index.php?id=1%27%20UNION%20SELECT%20password%20FROM%20users-- HTTP/1.1" 200 512 "-" "curl/8.0"`
    writeFileSync(log, `${line('203.0.113.7')}\n${line('198.51.100.2')}\n`)
    t.core.waivers.create(
      {
        domain: 'threats',
        scope: { kind: 'client', value: '198.51.100.2' },
        reason: 'our own pen-test box',
        owner: 'alice',
        expiresAt: inAMonth(),
      },
      'alice',
    )
    const accepted = t.core.waivers.matcher('threats')
    const analyzer = new LogAnalyzer({
      allowListed: (f) => accepted({ ruleId: f.rule, client: f.client, path: f.path }).waiver !== null,
    })
    await analyzer.analyzeFile(log)
    const report = analyzer.report()
    expect(report.topClients.map((c) => c.client)).toEqual(['203.0.113.7'])
    expect(analyzer.waived).toBeGreaterThan(0)
  })
})
