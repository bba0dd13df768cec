import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Caller } from '../../src/main/ipc/caller'
import type { CallInput, CallName, CallOutput } from '../../src/shared/contract'
import type { Result } from '../../src/shared/result'
import { signedInAdmin, tempConsole, testCaller, type TestConsole } from '../support/temp-console'

let t: TestConsole
beforeEach(async () => {
  t = await tempConsole()
})
afterEach(() => t.cleanup())

/** A pipeline call with its contract output type. */
const invoke = <N extends CallName>(caller: Caller, name: N, input: CallInput<N>) =>
  t.core.invoke(caller, name, input) as Promise<Result<CallOutput<N>>>

const threatEntries = (t: TestConsole) => t.core.audit.recent(200).entries.filter((e) => e.type === 'threat')

describe('the console analyzes its own guarded calls', () => {
  it('blocks a traversal payload before the handler runs and records the threat', async () => {
    const admin = await signedInAdmin(t)
    const roles = await invoke(admin, 'roles.create', {
      name: 'probe',
      description: '../../../../etc/passwd',
      permissions: ['system:monitor'],
    })
    expect(roles.ok).toBe(false)
    if (roles.ok) return
    expect(roles.error.code).toBe('BLOCKED')
    expect(roles.error.message).toMatch(/looks like an attack/)
    // the handler did not run
    const list = await invoke(admin, 'roles.list', {})
    expect(list.ok && list.value.roles.some((r) => r.name === 'probe')).toBe(false)

    const [entry] = threatEntries(t)
    expect(entry?.action).toBe('threat.detected')
    expect(entry?.result).toBe('failure')
    const details = JSON.parse(entry?.details ?? '{}') as { call: string; rules: string[]; decision: string }
    expect(details).toMatchObject({ call: 'roles.create', decision: 'block' })
    expect(details.rules).toContain('traversal-dot-dot')

    const threats = await invoke(admin, 'threats.list', {})
    expect(threats.ok).toBe(true)
    if (!threats.ok) return
    expect(threats.value.total).toBe(1)
    const th = threats.value.threats[0]
    expect(th).toMatchObject({
      source: 'console',
      client: 'ipc:1',
      user: 'alice',
      status: 'active',
      decision: 'block',
    })
    expect(th?.findings.map((f) => f.evidence).join(' ')).toContain('../../../../etc/passwd')
  })

  it('lets an alert run, and never analyzes or stores password fields', async () => {
    const admin = await signedInAdmin(t)
    const attempt = await invoke(testCaller({ client: 'ipc:9' }), 'auth.login', {
      name: 'alice',
      password: "' or '1'='1 <script>alert(1)</script>",
    })
    expect(attempt.ok).toBe(false)
    if (!attempt.ok) expect(attempt.error.code).not.toBe('BLOCKED')
    const listed = await invoke(admin, 'threats.list', {})
    expect(listed.ok && listed.value.total).toBe(0)
    const raw = t.core.db.prepare(`SELECT group_concat(details) AS d FROM audit_log`).get() as { d: string }
    expect(raw.d).not.toContain("or '1'='1")
  })

  it('upload chunks are data: their content is not matched against rules and they do not count as a call flood', async () => {
    const admin = await signedInAdmin(t)
    const begun = await invoke(admin, 'vault.uploadBegin', { fileName: 'state.npy', size: 300 * 36 })
    expect(begun.ok).toBe(true)
    if (!begun.ok) return
    // valid base64 (36 bytes of a state) that a pattern matcher reads as a sensitive-file probe: blocked if inspected
    const content = '/etc/passwd/'.repeat(4)
    expect(Buffer.from(content, 'base64').length).toBe(36)
    for (let i = 0; i < 300; i++) {
      // over the 120 calls a minute of the console's rate rule, within the upload rate class
      const r = await invoke(admin, 'vault.uploadChunk', {
        uploadId: begun.value.uploadId,
        offset: i * 36,
        content,
      })
      expect(r.ok).toBe(true)
    }
    const list = await invoke(admin, 'threats.list', {})
    expect(list.ok && list.value.total).toBe(0)
    expect(threatEntries(t)).toEqual([])
    // what is not inspected must be base64: text cannot ride in a content field past the rules
    for (const r of [
      await invoke(admin, 'vault.import', { content: "' OR 1=1 --", fileName: 's.json', normalize: false }),
      await invoke(admin, 'vault.uploadChunk', {
        uploadId: begun.value.uploadId,
        offset: 300 * 36,
        content: '<script>alert(1)</script>',
      }),
    ])
      expect(!r.ok && r.error.code).toBe('INVALID_INPUT')
    // a key the caller names is text like any other, whatever it is called
    for (const key of ['content', 'password', 'note']) {
      const r = await invoke(admin, 'vault.import', {
        path: '/tmp/state.npy',
        labels: { [key]: '1 UNION SELECT name FROM users -- ../../../etc/passwd' },
        normalize: false,
      })
      expect(!r.ok && r.error.code).toBe('BLOCKED')
    }
    // the same number of ordinary calls is a flood
    for (let i = 0; i < 121; i++) await invoke(admin, 'threats.list', {})
    const after = await invoke(admin, 'threats.list', {})
    expect(after.ok && after.value.threats.flatMap((x) => x.findings.map((f) => f.rule))).toContain(
      'rate-per-minute',
    )
  })

  it('blocks a client after repeated failed sign-ins (brute force from the audit log)', async () => {
    await signedInAdmin(t)
    const attacker = testCaller({ client: 'http:203.0.113.9' })
    for (let i = 0; i < 10; i++) {
      const r = await invoke(attacker, 'auth.login', { name: 'alice', password: `wrong-${i}` })
      expect(r.ok).toBe(false)
      t.clock.advance(1_000)
    }
    const r = await invoke(attacker, 'auth.login', { name: 'alice', password: 'again' })
    expect(!r.ok && r.error.code).toBe('BLOCKED')
    const rules = threatEntries(t).flatMap((e) => (JSON.parse(e.details) as { rules: string[] }).rules)
    expect(rules).toContain('bruteforce-client')
    // the window slides: after it, the client may try again (and is judged by the sign-in lockout rules)
    t.clock.advance(6 * 60_000)
    const later = await invoke(attacker, 'auth.login', { name: 'alice', password: 'later' })
    expect(!later.ok && later.error.code).not.toBe('BLOCKED')
  })

  it('moves a threat forward only: active → acknowledged → resolved, each change audited', async () => {
    const admin = await signedInAdmin(t)
    await invoke(admin, 'roles.create', {
      name: 'probe',
      description: 'x; cat /etc/passwd',
      permissions: ['system:monitor'],
    })
    const list = await invoke(admin, 'threats.list', { status: 'active' })
    const id = list.ok ? list.value.threats[0]?.id : undefined
    expect(id).toBeDefined()
    if (!id) return
    const ack = await invoke(admin, 'threats.updateStatus', {
      threatId: id,
      status: 'acknowledged',
      assignee: 'alice',
      note: 'looking into it',
    })
    expect(ack.ok && ack.value).toMatchObject({ status: 'acknowledged', assignee: 'alice' })
    const back = await invoke(admin, 'threats.updateStatus', { threatId: id, status: 'active' })
    expect(!back.ok && back.error.code).toBe('CONFLICT')
    const done = await invoke(admin, 'threats.updateStatus', { threatId: id, status: 'resolved' })
    expect(done.ok && done.value.status).toBe('resolved')
    const changes = t.core.audit
      .recent(50)
      .entries.filter((e) => e.action === 'threats.updateStatus' && e.result === 'success')
    expect(changes.map((e) => (JSON.parse(e.details) as { to: string }).to)).toEqual([
      'resolved',
      'acknowledged',
    ])
    expect(changes.every((e) => e.type === 'threat')).toBe(true)
  })
})

describe('threats.analyzeLog and threats.report', () => {
  it('analyzes a log as a job, stores the report and raises threats per attacking client', async () => {
    const admin = await signedInAdmin(t)
    const path = new URL('../fixtures/threats/sample-combined.log', import.meta.url).pathname
    const started = await invoke(admin, 'threats.analyzeLog', { paths: [path] })
    expect(started.ok).toBe(true)
    if (!started.ok) return
    const job = await t.core.jobs.wait(started.value.id, t.core.users.idOf('alice'))
    expect(job.state).toBe('done')
    const analysisId = String(job.result?.analysisId)
    expect(job.result).toMatchObject({ linesRead: 9, linesParsed: 8, unparsable: 1 })
    const rep = await invoke(admin, 'threats.report', { analysisId, format: 'html' })
    expect(rep.ok && rep.value.html).toContain('<svg')
    const list = await invoke(admin, 'threats.list', {})
    expect(list.ok && list.value.threats.map((x) => x.client)).toContain('198.51.100.7')
    expect(threatEntries(t).some((e) => e.action === 'threat.raised')).toBe(true)
    const rel = await invoke(admin, 'threats.analyzeLog', { paths: ['relative.log'] })
    expect(!rel.ok && rel.error.code).toBe('INVALID_INPUT')
  })
})
