import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ThreatNotice } from '../../src/main/engines/threats/threats.service'
import { signedInAdmin, tempConsole, type TestConsole } from '../support/temp-console'

let t: TestConsole
beforeEach(async () => {
  t = await tempConsole()
})
afterEach(() => t.cleanup())

describe('threat notices (desktop notifications in the Electron host)', () => {
  it('are given for a blocked call, with the rule names, client and account — never the input', async () => {
    const admin = await signedInAdmin(t)
    const notices: ThreatNotice[] = []
    t.core.threats.onThreat = (n) => notices.push(n)
    await t.core.invoke(admin, 'roles.create', {
      name: 'probe',
      description: '../../../../etc/passwd',
      permissions: ['system:monitor'],
    })
    expect(notices).toHaveLength(1)
    expect(notices[0]).toMatchObject({ decision: 'block', client: 'ipc:1', user: 'alice' })
    expect(notices[0]!.summary.length).toBeGreaterThan(0)
    expect(JSON.stringify(notices)).not.toContain('etc/passwd')
  })

  it('a failing notifier does not break the call it reports on', async () => {
    const admin = await signedInAdmin(t)
    t.core.threats.onThreat = () => {
      throw new Error('notification service down')
    }
    const r = await t.core.invoke(admin, 'roles.create', {
      name: 'probe',
      description: '../../../../etc/passwd',
      permissions: ['system:monitor'],
    })
    expect(!r.ok && r.error.code).toBe('BLOCKED')
  })
})
