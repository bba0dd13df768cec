/**
 * Vault imports from the page (`npm run bench:vault-upload`; `-- --mib 32 --rounds 1` for a short run).
 *
 * The same .npy state (default 128 MiB) imported through the guard pipeline, IPC transport, a signed-in admin:
 *  - peer: `vault.import {path}` — the CLI and desktop path, the file read by main (job to completion);
 *  - upload: `vault.uploadBegin` + 192,000-byte `vault.uploadChunk` calls (base64, as the page sends them) +
 *    `vault.import {uploadId}` — the page's path, staged encrypted, then the same import job.
 * Rounds alternate; medians. Also the time one chunk spends in threat inspection (`threats.inspect` alone), so the
 * upload phase's cost can be attributed. Prints plain lines; asserts nothing.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { openConsole, type ConsoleCore } from '../src/main/console-core'
import { totpAt } from '../src/main/engines/auth/one-time-codes'
import { PasswordHasher } from '../src/main/engines/auth/password-hasher'
import { npyHeader } from '../src/main/engines/vault/state-format'
import { UPLOAD_CHUNK_MAX_BYTES } from '../src/main/engines/vault/vault-uploads'
import type { Caller } from '../src/main/ipc/caller'
import { FileKeyStore } from '../src/main/keystore/file-keystore'
import { KDF_FLOOR } from '../src/main/keystore/kdf-params'
import { silentLogger } from '../src/main/platform/logger'
import { dataFiles } from '../src/main/platform/data-dir'
import type { CallInput, CallName, CallOutput, JobView } from '../src/shared/contract'

const arg = (name: string, dflt: number): number => {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 ? Number(process.argv[i + 1]) : dflt
}
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const mbps = (bytes: number, s: number): string => `${(bytes / 1e6 / s).toFixed(0)} MB/s`
const PASSWORD = 'Correct-Horse-Battery-9!x'

async function call<N extends CallName>(
  core: ConsoleCore,
  caller: Caller,
  name: N,
  input: CallInput<N>,
): Promise<CallOutput<N>> {
  const r = await core.invoke(caller, name, input)
  if (!r.ok) throw new Error(`${name}: ${r.error.code} ${r.error.message}`)
  return r.value as CallOutput<N>
}

async function untilDone(core: ConsoleCore, caller: Caller, job: JobView): Promise<JobView> {
  let j = job
  while (j.state === 'running') {
    await new Promise((r) => setTimeout(r, 5))
    j = await call(core, caller, 'jobs.get', { jobId: j.id })
  }
  if (j.state !== 'done') throw new Error(`import ${j.state}: ${j.error?.message ?? ''}`)
  return j
}

async function main(): Promise<void> {
  const mib = arg('mib', 128)
  const rounds = arg('rounds', 3)
  const root = mkdtempSync(join(tmpdir(), 'qqsec-bench-upload-'))
  const dataDir = join(root, 'data')
  const core = await openConsole({
    dataDir,
    keyStore: new FileKeyStore(dataFiles(dataDir).fileKeystore, 'bench-keystore-passphrase-1', KDF_FLOOR),
    logger: silentLogger,
    hasher: new PasswordHasher({ memoryCost: 19_456, timeCost: 2, parallelism: 1 }),
  })
  try {
    const caller: Caller = {
      transport: 'ipc',
      client: 'ipc:1',
      senderVerified: true,
      sessionToken: null,
      bindSession(token) {
        this.sessionToken = token
      },
    }
    await call(core, caller, 'auth.setupAdmin', { name: 'alice', password: PASSWORD })
    const { secret } = core.mfa.enrollNow(core.users.idOf('alice'), 'alice')
    await call(core, caller, 'auth.login', {
      name: 'alice',
      password: PASSWORD,
      otp: totpAt(secret, Date.now()),
    })

    const len = Math.max(2, 2 ** Math.round(Math.log2((mib * 2 ** 20) / 16)))
    const body = Buffer.alloc(len * 16)
    const a = 1 / Math.sqrt(len)
    for (let i = 0; i < len; i++) body.writeDoubleLE(i % 3 ? a : -a, i * 16 + (i % 2) * 8)
    const bytes = Buffer.concat([npyHeader('<c16', len), body])
    const path = join(root, 'state.npy')
    writeFileSync(path, bytes)
    const size = readFileSync(path).length
    console.log(
      `state: 2^${Math.log2(len)} complex128 amplitudes, ${(size / 2 ** 20).toFixed(0)} MiB; ${rounds} round(s); load ${loadavg()[0]!.toFixed(2)}`,
    )

    const peer: number[] = []
    const total: number[] = []
    const sending: number[] = []
    let chunks = 0
    for (let r = 0; r < rounds; r++) {
      let t0 = performance.now()
      await untilDone(core, caller, await call(core, caller, 'vault.import', { path, name: `peer-${r}` }))
      peer.push((performance.now() - t0) / 1000)

      t0 = performance.now()
      const { uploadId } = await call(core, caller, 'vault.uploadBegin', { fileName: 'state.npy', size })
      chunks = 0
      for (let off = 0; off < size; off += UPLOAD_CHUNK_MAX_BYTES) {
        const content = bytes.subarray(off, off + UPLOAD_CHUNK_MAX_BYTES).toString('base64')
        await call(core, caller, 'vault.uploadChunk', { uploadId, offset: off, content })
        chunks++
      }
      const sent = performance.now()
      sending.push((sent - t0) / 1000)
      await untilDone(core, caller, await call(core, caller, 'vault.import', { uploadId, name: `up-${r}` }))
      total.push((performance.now() - t0) / 1000)
    }

    const sample = { uploadId: '00000000-0000-4000-8000-000000000000', offset: 0 }
    const content = bytes.subarray(0, UPLOAD_CHUNK_MAX_BYTES).toString('base64')
    const s0 = performance.now()
    for (let i = 0; i < 20; i++)
      core.threats.inspect({ client: 'bench' }, 'vault.uploadChunk', { ...sample, content }, null)
    const inspectMs = (performance.now() - s0) / 20

    const p = median(peer)
    const u = median(total)
    const s = median(sending)
    console.log(`peer  vault.import {path}:            ${p.toFixed(2)} s  ${mbps(size, p)}`)
    console.log(
      `page  upload + vault.import {uploadId}: ${u.toFixed(2)} s  ${mbps(size, u)}  (${(u / p).toFixed(2)}x the peer's time)`,
    )
    console.log(
      `      of which sending ${chunks} chunks:  ${s.toFixed(2)} s  ${mbps(size, s)}  ${((s * 1000) / chunks).toFixed(1)} ms/chunk`,
    )
    console.log(
      `      threat inspection of one chunk:  ${inspectMs.toFixed(1)} ms (${(((inspectMs * chunks) / 1000 / s) * 100).toFixed(0)} % of the sending time)`,
    )
  } finally {
    core.close()
    rmSync(root, { recursive: true, force: true })
  }
}

await main()
