/**
 * Password hashing and sign-in cost on this machine (`npm run bench:auth`).
 *
 * 1. argon2id verification for candidate parameter sets at or above OWASP's recommendation; picks the strongest
 *    set whose median verification takes 100–500 ms and compares it with the console's DEFAULT_HASH_PARAMS.
 * 2. A full sign-in through the real pipeline (SQLite, file keystore, default hasher, TOTP).
 * 3. Node's built-in scrypt at OWASP's scrypt parameters, as a named peer measured in the same run.
 *
 * Prints plain lines; asserts nothing. Stays under about 90 s: sets that would overrun the budget are skipped
 * and said so.
 */
import { scrypt } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { cpus, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { openConsole } from '../src/main/console-core'
import { totpAt, TOTP_PERIOD } from '../src/main/engines/auth/one-time-codes'
import {
  DEFAULT_HASH_PARAMS,
  PasswordHasher,
  type HashParams,
} from '../src/main/engines/auth/password-hasher'
import type { Caller } from '../src/main/ipc/caller'
import { FileKeyStore } from '../src/main/keystore/file-keystore'
import { KDF_FLOOR } from '../src/main/keystore/kdf-params'
import { ManualClock } from '../src/main/platform/clock'
import { dataFiles } from '../src/main/platform/data-dir'
import { silentLogger } from '../src/main/platform/logger'

const RUNS = 15
const TARGET_MS = { min: 100, max: 500 }
/**
 * A sign-in is more than the hash (database, TOTP, audit), and a busy 2-core machine is slower than a quiet one:
 * the picked set keeps its median verification within half the budget, so sign-in stays inside 500 ms under load.
 */
const PICK_MAX_MEDIAN_MS = TARGET_MS.max / 2
const BUDGET_MS = 80_000
const PASSWORD = 'Correct-Horse-Battery-9!x'
const MiB = 1024

interface Candidate {
  label: string
  params: HashParams
}

/** OWASP Password Storage Cheat Sheet: m=19 MiB t=2 p=1 minimum, m=46 MiB t=1 its equivalent; then stronger ones. */
const CANDIDATES: Candidate[] = [
  { label: 'OWASP minimum', params: { memoryCost: 19 * MiB, timeCost: 2, parallelism: 1 } },
  { label: 'OWASP equivalent', params: { memoryCost: 46 * MiB, timeCost: 1, parallelism: 1 } },
  { label: 'stronger', params: { memoryCost: 64 * MiB, timeCost: 2, parallelism: 1 } },
  { label: 'stronger', params: { memoryCost: 64 * MiB, timeCost: 3, parallelism: 1 } },
  { label: 'stronger', params: { memoryCost: 128 * MiB, timeCost: 2, parallelism: 1 } },
  { label: 'stronger', params: { memoryCost: 128 * MiB, timeCost: 3, parallelism: 1 } },
  { label: 'stronger', params: { memoryCost: 256 * MiB, timeCost: 2, parallelism: 1 } },
  { label: 'stronger', params: { memoryCost: 256 * MiB, timeCost: 3, parallelism: 1 } },
]

const started = performance.now()
const elapsed = (): number => performance.now() - started

const percentile = (sorted: number[], p: number): number => {
  if (sorted.length === 0) return Number.NaN
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[i]!
}
const stats = (samples: number[]) => {
  const s = [...samples].sort((a, b) => a - b)
  return { median: percentile(s, 50), p95: percentile(s, 95), n: s.length }
}
const ms = (v: number): string => `${v.toFixed(1)} ms`
const describeParams = (p: HashParams): string =>
  `m=${p.memoryCost / MiB} MiB t=${p.timeCost} p=${p.parallelism}`
const sameParams = (a: HashParams, b: HashParams): boolean =>
  a.memoryCost === b.memoryCost && a.timeCost === b.timeCost && a.parallelism === b.parallelism
/** Work factor for "strongest": memory × passes (parallelism 1 throughout). */
const strength = (p: HashParams): number => p.memoryCost * p.timeCost

async function time<T>(f: () => Promise<T>): Promise<number> {
  const t0 = performance.now()
  await f()
  return performance.now() - t0
}

interface Measured {
  candidate: Candidate
  hashMs: number
  verify: { median: number; p95: number; n: number }
}

async function measureArgon2(): Promise<Measured[]> {
  const results: Measured[] = []
  const all = CANDIDATES.some((c) => sameParams(c.params, DEFAULT_HASH_PARAMS))
    ? CANDIDATES
    : [...CANDIDATES, { label: 'console default', params: DEFAULT_HASH_PARAMS }]
  for (const candidate of all) {
    const hasher = new PasswordHasher(candidate.params)
    const hashMs = await time(() => hasher.hash(PASSWORD))
    // estimate this set's cost from one hash; skip it when its runs would overrun the budget
    if (elapsed() + hashMs * (RUNS + 1) > BUDGET_MS * 0.6) {
      console.log(
        `  ${describeParams(candidate.params)}: skipped (about ${ms(hashMs * RUNS)} would overrun the budget)`,
      )
      continue
    }
    const hash = await hasher.hash(PASSWORD)
    if (!(await hasher.verify(hash, PASSWORD))) throw new Error('argon2 verification failed')
    const samples: number[] = []
    for (let i = 0; i < RUNS; i++) samples.push(await time(() => hasher.verify(hash, PASSWORD)))
    results.push({ candidate, hashMs, verify: stats(samples) })
  }
  return results
}

async function measureLogin(): Promise<{ median: number; p95: number; n: number }> {
  const root = mkdtempSync(join(tmpdir(), 'qqsec-bench-'))
  const dataDir = join(root, 'data')
  const clock = new ManualClock(Date.now())
  const core = await openConsole({
    dataDir,
    keyStore: new FileKeyStore(dataFiles(dataDir).fileKeystore, 'bench-keystore-passphrase', KDF_FLOOR),
    clock,
    logger: silentLogger,
    hasher: new PasswordHasher(DEFAULT_HASH_PARAMS),
  })
  try {
    const setup = await core.invoke(caller(0), 'auth.setupAdmin', { name: 'alice', password: PASSWORD })
    if (!setup.ok) throw new Error(`setup failed: ${setup.error.message}`)
    const { secret } = core.mfa.enrollNow(core.users.idOf('alice'), 'alice')
    const samples: number[] = []
    for (let i = 1; i <= RUNS; i++) {
      clock.advance(TOTP_PERIOD * 1000) // a fresh time step: a TOTP code is good once
      const c = caller(i) // one client each: the auth rate limit is per client
      const input = { name: 'alice', password: PASSWORD, otp: totpAt(secret, clock.now()) }
      const t0 = performance.now()
      const r = await core.invoke(c, 'auth.login', input)
      samples.push(performance.now() - t0)
      if (!r.ok) throw new Error(`login ${i} failed: ${r.error.code} ${r.error.message}`)
    }
    return stats(samples)
  } finally {
    core.close()
    rmSync(root, { recursive: true, force: true })
  }
}

function caller(n: number): Caller {
  return {
    transport: 'cli',
    client: `bench:${n}`,
    senderVerified: true,
    sessionToken: null,
    bindSession(token) {
      this.sessionToken = token
    },
  }
}

/** OWASP's scrypt recommendation: N=2^17, r=8, p=1 (128 MiB); Node's default maxmem is 32 MiB, so raise it. */
const SCRYPT = { N: 2 ** 17, r: 8, p: 1, maxmem: 256 * 1024 * 1024 }
const scryptOnce = (): Promise<number> =>
  time(
    () =>
      new Promise<Buffer>((resolve, reject) =>
        scrypt(PASSWORD, 'sixteen-byte-salt', 32, SCRYPT, (e, key) => (e ? reject(e) : resolve(key))),
      ),
  )

async function main(): Promise<void> {
  const cpu = cpus()[0]?.model ?? 'unknown CPU'
  console.log(
    `auth benchmark — Node ${process.version}, ${cpus().length} × ${cpu}, ${Math.round(totalmem() / 2 ** 30)} GiB RAM`,
  )
  console.log(
    `target: median verification ${TARGET_MS.min}–${TARGET_MS.max} ms; ${RUNS} verifications per set`,
  )
  console.log('')
  console.log('argon2id (console PasswordHasher):')
  const measured = await measureArgon2()
  const header = `  ${'params'.padEnd(24)}${'label'.padEnd(18)}${'hash'.padStart(10)}${'verify median'.padStart(16)}${'verify p95'.padStart(13)}  in target`
  console.log(header)
  for (const m of measured) {
    const inTarget = m.verify.median >= TARGET_MS.min && m.verify.median <= TARGET_MS.max
    const isDefault = sameParams(m.candidate.params, DEFAULT_HASH_PARAMS) ? ' (console default)' : ''
    console.log(
      `  ${describeParams(m.candidate.params).padEnd(24)}${m.candidate.label.padEnd(18)}${ms(m.hashMs).padStart(10)}${ms(m.verify.median).padStart(16)}${ms(m.verify.p95).padStart(13)}  ${inTarget ? 'yes' : 'no'}${isDefault}`,
    )
  }
  console.log('')

  const inTarget = measured.filter(
    (m) => m.verify.median >= TARGET_MS.min && m.verify.median <= PICK_MAX_MEDIAN_MS,
  )
  const picked = [...inTarget].sort((a, b) => strength(b.candidate.params) - strength(a.candidate.params))[0]
  const def = measured.find((m) => sameParams(m.candidate.params, DEFAULT_HASH_PARAMS))
  if (picked) {
    console.log(
      `picked: ${describeParams(picked.candidate.params)} — strongest set with a median of ${TARGET_MS.min}–${PICK_MAX_MEDIAN_MS} ms, half the budget (${ms(picked.verify.median)}, p95 ${ms(picked.verify.p95)})`,
    )
  } else {
    console.log(
      `picked: none — no measured set has a median verification within ${TARGET_MS.min}–${TARGET_MS.max} ms here`,
    )
  }
  if (def) {
    const where =
      def.verify.median < TARGET_MS.min
        ? 'below the target'
        : def.verify.median > TARGET_MS.max
          ? 'above the target'
          : 'within the target'
    const vsPicked = !picked
      ? ''
      : sameParams(picked.candidate.params, DEFAULT_HASH_PARAMS)
        ? '; it is the picked set'
        : strength(picked.candidate.params) > strength(DEFAULT_HASH_PARAMS)
          ? `; the picked set is ${(strength(picked.candidate.params) / strength(DEFAULT_HASH_PARAMS)).toFixed(2)}× its memory × passes`
          : `; it is stronger than the picked set`
    console.log(
      `console DEFAULT_HASH_PARAMS: ${describeParams(DEFAULT_HASH_PARAMS)} — median ${ms(def.verify.median)}, p95 ${ms(def.verify.p95)}, ${where}${vsPicked}`,
    )
  } else {
    console.log(
      `console DEFAULT_HASH_PARAMS: ${describeParams(DEFAULT_HASH_PARAMS)} — not measured (time budget)`,
    )
  }
  console.log('')

  console.log(
    'full sign-in through the pipeline (SQLite, file keystore at KDF_FLOOR, DEFAULT_HASH_PARAMS, TOTP):',
  )
  const login = await measureLogin()
  console.log(`  auth.login × ${login.n}: median ${ms(login.median)}, p95 ${ms(login.p95)}`)
  if (def) console.log(`  of which argon2id verification ≈ ${ms(def.verify.median)} (median above)`)
  console.log('')

  console.log('peer: Node crypto.scrypt at OWASP parameters (N=2^17, r=8, p=1, 128 MiB):')
  await scryptOnce() // warm-up: first call allocates
  const scryptMs = await scryptOnce()
  console.log(`  one hash: ${ms(scryptMs)}`)
  if (def)
    console.log(`  ratio scrypt / argon2id default verify: ${(scryptMs / def.verify.median).toFixed(2)}`)
  if (picked && (!def || !sameParams(picked.candidate.params, DEFAULT_HASH_PARAMS))) {
    console.log(`  ratio scrypt / argon2id picked verify: ${(scryptMs / picked.verify.median).toFixed(2)}`)
  }
  console.log('')
  console.log(`total run time: ${(elapsed() / 1000).toFixed(1)} s`)
}

await main()
