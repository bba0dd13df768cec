import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { totpAt } from '../../src/main/engines/auth/one-time-codes'
import { qqsec } from '../support/run-cli'
import { STRONG_PASSWORD } from '../support/temp-console'

const FIX = fileURLToPath(new URL('../fixtures/scanner/', import.meta.url))
const tmp = mkdtempSync(join(tmpdir(), 'qqsec-scanrec-'))
const env = {
  QQSEC_DATA_DIR: join(tmp, 'data'),
  QQSEC_KEYSTORE: 'file',
  QQSEC_KEYSTORE_PASSPHRASE: 'scan-test-passphrase-1',
  QQSEC_PASSWORD: STRONG_PASSWORD,
}
const totpFile = join(tmp, 'totp')
let step = 0
/** A fresh code per command (each time step is used once). */
const otp = () => {
  const secret = /secret=([A-Z2-7]+)/.exec(readFileSync(totpFile, 'utf8'))![1]!
  return totpAt(secret, Date.now() + 30_000 * step++)
}

afterAll(() => rmSync(tmp, { recursive: true, force: true }))

describe('qqsec db / waiver / recorded scan', () => {
  it('imports advisories, records scans with tracking and waivers, refuses without an account', () => {
    expect(qqsec(['init', '--admin', 'alice', '--totp-out', totpFile], env).code).toBe(0)
    const anon = qqsec(['db', 'status'], env)
    expect(anon.code).toBe(3)
    expect(anon.stderr).toMatch(/Not signed in/)

    const login = qqsec(['login', '--user', 'alice', '--otp', otp()], env)
    expect(login.code, login.stderr).toBe(0)
    const imp = qqsec(['db', 'import', join(FIX, 'advisories')], env)
    expect(imp.code, imp.stderr).toBe(0)
    expect(imp.stdout).toMatch(/5 added, 0 updated, 0 unchanged, 0 skipped/)
    const st = qqsec(['db', 'status', '--json'], env)
    expect(JSON.parse(st.stdout)).toMatchObject({ count: 5 })
    expect(qqsec(['db', 'import', join(tmp, 'missing')], env).code).toBe(2)

    const first = qqsec(['scan', join(FIX, 'app'), '--format', 'json'], env)
    expect(first.code, first.stderr).toBe(0)
    expect(first.stderr).toMatch(/recorded: \d+ new, 0 still open/)
    const r1 = JSON.parse(first.stdout) as { findings: { ids?: string[]; status: string }[] }
    expect(r1.findings.some((f) => f.ids?.includes('CVE-2099-0001'))).toBe(true)

    const add = qqsec(
      [
        'waiver',
        'add',
        '--advisory',
        'CVE-2099-0001',
        '--reason',
        'not reachable',
        '--expires',
        '2099-01-01',
      ],
      env,
    )
    expect(add.code, add.stderr).toBe(2) // at most 3 years
    const ok = qqsec(
      [
        'waiver',
        'add',
        '--advisory',
        'CVE-2099-0001',
        '--reason',
        'not reachable',
        '--expires',
        `${new Date().getUTCFullYear() + 1}-01-01`,
        '--json',
      ],
      env,
    )
    expect(ok.code, ok.stderr).toBe(0)
    const w = JSON.parse(ok.stdout) as { id: string }

    const second = qqsec(['scan', join(FIX, 'app'), '--format', 'json'], env)
    expect(second.stderr).toMatch(/0 new, \d+ still open, 0 fixed since the last scan, 1 accepted/)
    const r2 = JSON.parse(second.stdout) as {
      findings: { ids?: string[]; status: string; accepted: { ref: string } | null }[]
    }
    const acc = r2.findings.find((f) => f.ids?.includes('CVE-2099-0001'))
    expect(acc).toMatchObject({ status: 'accepted', accepted: { ref: w.id } })

    expect(qqsec(['waiver', 'revoke', w.id, '--reason', 'upgrade planned now'], env).code).toBe(0)
    expect(qqsec(['waiver', 'list', '--state', 'revoked'], env).stdout).toContain(w.id)
  })
})
