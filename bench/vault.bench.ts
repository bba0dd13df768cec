/**
 * Vault figures on this machine (`npm run bench:vault`; `-- --mib 256 --rounds 1 --files 200` for a short run).
 *
 * 1. Encrypt and decrypt a 1 GiB random file on tmpfs (/dev/shm: this disk would hide the difference) with the
 *    qqsec age engine in a child process (encrypt/decrypt with a file source and sink), with `bin/qqsec age
 *    encrypt/decrypt` (start-up included), and with the `age` tool (the named peer) — alternating, median of the
 *    rounds; MB/s, ratios, peak RSS of each qqsec process.
 * 2. The second peer: `openssl speed -evp chacha20-poly1305 -bytes 16384 -seconds 3` (one core).
 * 3. Key rotation through the vault service: 1,000 small files, 250 small files, 250 files 40 times larger —
 *    time per file (headers only: proportional to the number of files, not their size).
 *
 * Prints plain lines; asserts nothing.
 */
import { spawnSync } from 'node:child_process'
import { closeSync, existsSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs'
import { availableParallelism, loadavg } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { decrypt, encrypt } from '../src/main/engines/vault/age/age'
import { AtomicFileSink, fdSource } from '../src/main/engines/vault/age/io'
import { parseIdentityFile, X25519Identity } from '../src/main/engines/vault/age/recipients'
import { npyHeader } from '../src/main/engines/vault/state-format'
import type { Actor } from '../src/main/engines/vault/vault.service'

const SELF = fileURLToPath(import.meta.url)
const arg = (name: string, dflt: number): number => {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 ? Number(process.argv[i + 1]) : dflt
}
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const mbps = (bytes: number, s: number): string => `${(bytes / 1e6 / s).toFixed(0)} MB/s`

/** Child mode: one in-process encrypt or decrypt; prints {seconds, maxRssKiB}. */
async function child(op: string, keyFile: string, input: string, output: string): Promise<void> {
  const ids = parseIdentityFile(await import('node:fs').then((f) => f.readFileSync(keyFile, 'utf8')), keyFile)
  const fd = openSync(input, 'r')
  const sink = new AtomicFileSink(output)
  const t0 = performance.now()
  if (op === 'enc') await encrypt([ids[0]!.recipient()], fdSource(fd), sink)
  else await decrypt(ids, fdSource(fd), sink)
  sink.commit()
  const seconds = (performance.now() - t0) / 1000
  closeSync(fd)
  process.stdout.write(JSON.stringify({ seconds, maxRssKiB: process.resourceUsage().maxRSS }) + '\n')
}

/** Wall time and peak RSS (GNU time) of a command. */
function timed(cmd: string, args: string[]): { seconds: number; rssMiB: number } {
  const t0 = performance.now()
  const r = spawnSync('/usr/bin/time', ['-f', '%M', cmd, ...args], { encoding: 'utf8' })
  const seconds = (performance.now() - t0) / 1000
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`)
  const lines = r.stderr.trim().split('\n')
  return { seconds, rssMiB: Number(lines[lines.length - 1]) / 1024 }
}

function engine(op: 'enc' | 'dec', key: string, input: string, output: string): { s: number; rss: number } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', SELF, 'child', op, key, input, output], {
    encoding: 'utf8',
  })
  if (r.status !== 0) throw new Error(`engine ${op} failed: ${r.stderr}`)
  const j = JSON.parse(r.stdout.trim().split('\n').pop()!) as { seconds: number; maxRssKiB: number }
  return { s: j.seconds, rss: j.maxRssKiB / 1024 }
}

function throughput(mib: number, rounds: number): void {
  const dir = mkdtempSync('/dev/shm/qqsec-bench-')
  try {
    const bytes = mib * 1024 * 1024
    const plain = join(dir, 'plain')
    spawnSync('sh', ['-c', `head -c ${bytes} /dev/urandom > '${plain}'`])
    const id = X25519Identity.generate()
    const key = join(dir, 'key.txt')
    writeFileSync(key, `${id.toString()}\n`, { mode: 0o600 })
    const r = id.recipient().toString()
    const hasAge = existsSync('/usr/bin/age')
    const t: Record<string, number[]> = { ee: [], ed: [], ce: [], cd: [], ae: [], ad: [] }
    let rssEngine = 0
    let rssCli = 0
    for (let i = 0; i < rounds; i++) {
      const e = engine('enc', key, plain, join(dir, 'e.age'))
      t.ee!.push(e.s)
      const d = engine('dec', key, join(dir, 'e.age'), join(dir, 'e.out'))
      t.ed!.push(d.s)
      rssEngine = Math.max(rssEngine, e.rss, d.rss)
      const ce = timed('bin/qqsec', ['age', 'encrypt', '-r', r, '-o', join(dir, 'c.age'), plain])
      t.ce!.push(ce.seconds)
      const cd = timed('bin/qqsec', [
        'age',
        'decrypt',
        '-i',
        key,
        '-o',
        join(dir, 'c.out'),
        join(dir, 'c.age'),
      ])
      t.cd!.push(cd.seconds)
      rssCli = Math.max(rssCli, ce.rssMiB, cd.rssMiB)
      if (hasAge) {
        t.ae!.push(timed('/usr/bin/age', ['-r', r, '-o', join(dir, 'a.age'), plain]).seconds)
        t.ad!.push(
          timed('/usr/bin/age', ['-d', '-i', key, '-o', join(dir, 'a.out'), join(dir, 'a.age')]).seconds,
        )
      }
      for (const f of ['e.out', 'c.out', 'a.out']) rmSync(join(dir, f), { force: true })
    }
    const m = Object.fromEntries(Object.entries(t).map(([k, v]) => [k, v.length ? median(v) : NaN]))
    console.log(`\nEncrypt/decrypt ${mib} MiB on /dev/shm, median of ${rounds} (enc / dec)`)
    console.log(`  qqsec engine (in-process)  ${mbps(bytes, m.ee!)} / ${mbps(bytes, m.ed!)}`)
    console.log(`  bin/qqsec age (CLI)        ${mbps(bytes, m.ce!)} / ${mbps(bytes, m.cd!)}`)
    if (hasAge) {
      console.log(`  age 1.1.1 (peer)           ${mbps(bytes, m.ae!)} / ${mbps(bytes, m.ad!)}`)
      const ratio = (a: number, b: number) => (b / a).toFixed(2)
      console.log(
        `  throughput ratio vs age: engine ${ratio(m.ee!, m.ae!)} / ${ratio(m.ed!, m.ad!)}, ` +
          `CLI ${ratio(m.ce!, m.ae!)} / ${ratio(m.cd!, m.ad!)} (>= 1.00 is the target)`,
      )
    } else console.log('  age is not installed (apt-get install age): no ratio')
    console.log(
      `  peak RSS: engine process ${rssEngine.toFixed(0)} MiB, bin/qqsec ${rssCli.toFixed(0)} MiB (target < 200 MiB)`,
    )
    const o = spawnSync(
      'openssl',
      ['speed', '-evp', 'chacha20-poly1305', '-bytes', '16384', '-seconds', '3'],
      {
        encoding: 'utf8',
      },
    )
    const line = /ChaCha20-Poly1305\s+([\d.]+)k/i.exec(o.stdout ?? '')
    if (line) {
      const ossl = Number(line[1]) * 1000
      const eng = bytes / Math.max(m.ee!, m.ed!)
      console.log(
        `  openssl speed chacha20-poly1305 16 KiB: ${(ossl / 1e6).toFixed(0)} MB/s (one core); slower engine ` +
          `direction is ${(ossl / eng).toFixed(2)}x below it (target <= 2)`,
      )
    } else console.log('  openssl speed gave no figure')
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

function npy(n: number, seed: number): Buffer {
  const len = 2 ** n
  const body = Buffer.alloc(len * 16)
  body.writeDoubleLE(Math.cos(seed), 0)
  body.writeDoubleLE(Math.sin(seed), 8)
  return Buffer.concat([npyHeader('<c16', len), body])
}

async function rotation(files: number, qubits: number): Promise<void> {
  // Loaded here, so the engine's child processes (which import this file) do not load the whole console.
  const { addAccount, tempConsole, tempDir } = await import('../test/support/temp-console')
  const t = await tempConsole()
  const dir = tempDir()
  try {
    await addAccount(t, 'ann', ['admin'])
    const admin: Actor = { userId: 'id-ann', userName: 'ann', roles: ['admin'], client: 'bench' }
    const p = join(dir, 's.npy')
    for (let i = 0; i < files; i++) {
      writeFileSync(p, npy(qubits, i))
      await t.core.vault.importState(admin, { path: p })
    }
    const t0 = performance.now()
    const r = await t.core.vault.rotateKeys(admin)
    const s = (performance.now() - t0) / 1000
    const size = (npy(qubits, 0).length / 1024).toFixed(1)
    console.log(
      `  ${String(r.rotated).padStart(5)} files of ${size.padStart(6)} KiB: ${s.toFixed(2)} s, ` +
        `${((s * 1000) / files).toFixed(2)} ms per file`,
    )
  } finally {
    t.cleanup()
    rmSync(dir, { recursive: true, force: true })
  }
}

async function main(): Promise<void> {
  if (process.argv[2] === 'child') {
    const [, , , op, key, input, output] = process.argv
    return child(op!, key!, input!, output!)
  }
  const files = arg('files', 1000)
  console.log(
    `vault bench: ${availableParallelism()} cores, load average ${loadavg()[0]!.toFixed(2)} at start`,
  )
  throughput(arg('mib', 1024), arg('rounds', 3))
  console.log('\nKey rotation through the vault service (headers only)')
  await rotation(files, 4)
  await rotation(Math.round(files / 4), 4)
  await rotation(Math.round(files / 4), 10)
}

await main()
