import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { openConsole } from '../../src/main/console-core'
import { totpAt } from '../../src/main/engines/auth/one-time-codes'
import type { ConsistencyProofFile, InclusionProofFile } from '../../src/main/engines/audit/tree-heads'
import { silentLogger } from '../../src/main/platform/logger'
import { qqsec } from '../support/run-cli'
import {
  fastHasher,
  fileKeyStore,
  KEYSTORE_PASSPHRASE,
  STRONG_PASSWORD,
  tempDir,
} from '../support/temp-console'

let env: Record<string, string>
let dataDir: string
let dir: string
beforeAll(async () => {
  dataDir = join(tempDir(), 'data')
  env = { QQSEC_DATA_DIR: dataDir, QQSEC_KEYSTORE: 'file', QQSEC_KEYSTORE_PASSPHRASE: KEYSTORE_PASSPHRASE }
  const totpFile = join(tempDir(), 'totp')
  const pw = { ...env, QQSEC_PASSWORD: STRONG_PASSWORD }
  expect(qqsec(['init', '--admin', 'alice', '--totp-out', totpFile], pw).code).toBe(0)
  const secret = /secret=([A-Z2-7]+)/.exec(readFileSync(totpFile, 'utf8'))![1]!
  const login = qqsec(['login', '--user', 'alice', '--otp', totpAt(secret, Date.now())], pw)
  expect(login.code, login.stderr).toBe(0)
  // 2,100 entries written by the console itself (the CLI would take minutes): tree heads at 1000 and 2000 or so.
  const core = await openConsole({
    dataDir,
    keyStore: fileKeyStore(dataDir),
    logger: silentLogger,
    hasher: fastHasher(),
  })
  for (let b = 0; b < 21; b++)
    core.audit.recordMany(
      Array.from({ length: 100 }, (_, i) => ({
        type: 'data_access' as const,
        actor: 'alice',
        client: 'cli:test',
        action: `read${b * 100 + i}`,
        result: 'success' as const,
      })),
    )
  core.close()
  dir = tempDir('qqsec-proof-')
}, 120_000)

const heads = (): number[] => {
  const r = qqsec(['audit', 'proof', '--list'], env)
  expect(r.code, r.stderr).toBe(0)
  return r.stdout
    .trim()
    .split('\n')
    .map((l) => Number(l.split('\t')[0]))
}
/** verify --proof with no data dir, keystore or account. */
const verify = (file: string) => qqsec(['audit', 'verify', '--proof', file], {})
const edit = (file: string, out: string, f: (doc: InclusionProofFile) => void) => {
  const doc = JSON.parse(readFileSync(file, 'utf8')) as InclusionProofFile
  f(doc)
  writeFileSync(out, JSON.stringify(doc))
  return out
}
const flipHex = (h: string) => (h[0] === '0' ? '1' : '0') + h.slice(1)

describe('qqsec audit proof / verify --proof', () => {
  it('proves an entry against a signed tree head; the file verifies anywhere, and each tampering is named', () => {
    const [first, second] = heads()
    expect(first).toBeGreaterThanOrEqual(1000)
    expect(second).toBeGreaterThan(first!)
    const file = join(dir, 'inclusion.json')
    const p = qqsec(['audit', 'proof', '--entry', '42', '-o', file], env)
    expect(p.code, p.stderr).toBe(0)
    const doc = JSON.parse(readFileSync(file, 'utf8')) as InclusionProofFile
    expect(doc).toMatchObject({ leafIndex: 41, entry: { seq: 42 }, treeHead: { count: first } })

    const ok = verify(file)
    expect(ok.code, ok.stderr).toBe(0)
    expect(ok.stdout).toMatch(
      new RegExp(`^proof: OK — entry 42 is in the signed tree head of ${first} entries .*signed by SHA256:`),
    )

    const later = join(dir, 'later.json')
    expect(
      qqsec(['audit', 'proof', '--entry', '42', '--tree-head', String(second), '-o', later], env).code,
    ).toBe(0)
    expect(verify(later).code).toBe(0)

    const bad = (name: string, f: (d: InclusionProofFile) => void) => verify(edit(file, join(dir, name), f))
    expect(bad('entry.json', (d) => (d.entry.action = 'something else'))).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/proof: BROKEN — entry 42 was altered/),
    })
    expect(bad('path.json', (d) => (d.auditPath[3] = flipHex(d.auditPath[3]!)))).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/the audit path does not lead from entry 42 to the signed root/),
    })
    expect(bad('root.json', (d) => (d.treeHead.root = flipHex(d.treeHead.root)))).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/the tree head of \d+ entries has an invalid signature/),
    })
    expect(
      bad('sig.json', (d) => {
        const s = Buffer.from(d.treeHead.signature, 'base64')
        s[5] = s[5]! ^ 1
        d.treeHead.signature = s.toString('base64')
      }),
    ).toMatchObject({ code: 1, stderr: expect.stringMatching(/invalid signature/) })
    // A whole entry swapped for another one, with its own valid chain hash: the path does not fit.
    const other = JSON.parse(qqsec(['audit', 'proof', '--entry', '43'], env).stdout) as InclusionProofFile
    expect(bad('swap.json', (d) => (d.entry = other.entry)).code).toBe(1)

    // Not a proof: exit 2.
    writeFileSync(join(dir, 'x.json'), '{"format":"something"}')
    expect(verify(join(dir, 'x.json')).code).toBe(2)
    writeFileSync(join(dir, 'y.json'), 'not json')
    expect(verify(join(dir, 'y.json')).code).toBe(2)
    expect(verify(join(dir, 'missing.json')).code).toBe(2)
  })

  it('proves two signed tree heads consistent, and names a tampered proof', () => {
    const [first, second] = heads()
    const file = join(dir, 'consistency.json')
    const r = qqsec(['audit', 'proof', '--from', String(first), '--to', String(second), '-o', file], env)
    expect(r.code, r.stderr).toBe(0)
    const ok = verify(file)
    expect(ok.code, ok.stderr).toBe(0)
    expect(ok.stdout).toMatch(
      new RegExp(`^proof: OK — the log of ${second} entries .* extends the one of ${first}`),
    )
    const d = JSON.parse(readFileSync(file, 'utf8')) as ConsistencyProofFile
    d.proof[0] = flipHex(d.proof[0]!)
    writeFileSync(join(dir, 'c-bad.json'), JSON.stringify(d))
    expect(verify(join(dir, 'c-bad.json'))).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/not an extension/),
    })
  })

  it('refuses bad requests with one line and exit 2, and audits each proof given out', () => {
    expect(qqsec(['audit', 'proof', '--entry', 'x'], env)).toMatchObject({ code: 2 })
    expect(qqsec(['audit', 'proof', '--entry', '0'], env)).toMatchObject({ code: 2 })
    expect(qqsec(['audit', 'proof', '--from', '1000'], env)).toMatchObject({ code: 2 })
    expect(qqsec(['audit', 'proof', '--entry', '5', '--from', '1000', '--to', '2000'], env).code).toBe(2)
    expect(qqsec(['audit', 'proof', '--entry', '5', '--tree-head', '1234'], env)).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/no signed tree head of 1234 entries/),
    })
    const search = qqsec(['audit', 'search', '--resource', 'audit:42', '--json'], env)
    expect(search.code, search.stderr).toBe(0)
    expect(search.stdout).toMatch(/audit\.inclusionProof/)
  })
})
