/**
 * Threat detection figures on this machine (`npm run bench:ids`).
 *
 * 1. Accuracy on the hand-written labelled corpus (test/fixtures/threats/corpus) with generated evasion variants:
 *    detection per attack category and false positives on benign traffic.
 * 2. Throughput: a generated combined-format log (mostly benign, ~2 % attacks) analyzed by the streamed analyzer on
 *    one core, lines per second, and peak RSS for two file sizes (memory must stay flat in file size).
 * 3. The named peer: `fail2ban-regex` with its stock apache-badbots filter over the same file, when installed
 *    (Debian package fail2ban); prints the ratio.
 *
 * Prints plain lines; asserts nothing.
 */
import { spawnSync } from 'node:child_process'
import { createWriteStream, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { cpus, tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { LogAnalyzer } from '../src/main/engines/threats/log-analyzer'
import { RULES, RULESET_VERSION } from '../src/main/engines/threats/rules.data'
import { evaluateCorpus } from '../test/fixtures/threats/corpus'

const pct = (x: number) => `${(x * 100).toFixed(1)} %`

function accuracy(): void {
  const r = evaluateCorpus()
  console.log(`\nAccuracy on the labelled corpus (rules ${RULESET_VERSION}, ${RULES.length} rules)`)
  for (const c of r.categories)
    console.log(
      `  ${c.category.padEnd(18)} ${String(c.detected).padStart(4)} / ${String(c.samples).padEnd(4)} detected  ${pct(c.rate)}`,
    )
  console.log(
    `  benign             ${String(r.benign.flagged).padStart(4)} / ${r.benign.samples} flagged   ${pct(r.benign.rate)} false positives`,
  )
  for (const c of r.categories)
    for (const m of c.missed.slice(0, 3)) console.log(`    missed ${c.category} (${m.variant}): ${m.value}`)
  for (const f of r.benign.flaggedSamples.slice(0, 5))
    console.log(`    false positive: ${f.value} (${f.rules.join(', ')})`)
}

const BENIGN_PATHS = [
  '/products',
  '/blog/post',
  '/search?q=shoes+size+',
  '/static/js/app.3f2a9c.js',
  '/static/css/site.css',
  '/images/logo.png',
  '/api/v1/items?page=2&per_page=50',
  '/search?q=red+shoes',
  '/search?q=O%27Brien',
  '/blog/2024/01/15/hello-world',
  '/products/1234?ref=home',
  '/favicon.ico',
  '/account/orders?id=991',
  '/search?q=i+%3C3+cats',
]
const ATTACK_PATHS = [
  '/item?id=1%27%20or%20%271%27%3D%271',
  '/p?q=%3Cscript%3Ealert(1)%3C/script%3E',
  '/dl?f=..%2f..%2fetc%2fpasswd',
  '/ping?h=1;cat%20/etc/passwd',
  '/.env',
  '/wp-login.php',
]
const UAS = [
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  'curl/8.5.0',
  'Googlebot/2.1 (+http://www.google.com/bot.html)',
]
const BAD_UAS = [
  'sqlmap/1.7.2#stable (https://sqlmap.org)',
  'Mozilla/5.0 (compatible; Nikto/2.1.6)',
  'EmailCollector/1.0',
]

async function generate(path: string, lines: number): Promise<void> {
  const out = createWriteStream(path)
  let seed = 7
  const rnd = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff
    return seed % n
  }
  const start = Date.UTC(2026, 2, 10, 0, 0, 0)
  const batch: string[] = []
  for (let i = 0; i < lines; i++) {
    const attack = rnd(50) === 0
    const ip = attack ? `198.51.100.${rnd(20)}` : `203.0.${rnd(256)}.${rnd(256)}`
    const t = new Date(start + i * 20)
    const d = `${String(t.getUTCDate()).padStart(2, '0')}/Mar/2026:${String(t.getUTCHours()).padStart(2, '0')}:${String(t.getUTCMinutes()).padStart(2, '0')}:${String(t.getUTCSeconds()).padStart(2, '0')} +0000`
    // Varied ids and queries, so most paths and values are new to the engine's cache, as in real traffic.
    const path = attack
      ? ATTACK_PATHS[rnd(ATTACK_PATHS.length)]
      : `${BENIGN_PATHS[rnd(BENIGN_PATHS.length)]}${rnd(2) ? `${rnd(3) ? '/' : '?v='}${rnd(1_000_000)}` : ''}`
    const ua = attack && rnd(3) === 0 ? BAD_UAS[rnd(BAD_UAS.length)] : UAS[rnd(UAS.length)]
    const status = attack ? [200, 403, 404][rnd(3)] : [200, 200, 200, 304, 404][rnd(5)]
    batch.push(
      `${ip} - - [${d}] "GET ${path} HTTP/1.1" ${status} ${rnd(50000)} "https://shop.example/" "${ua}"\n`,
    )
    if (batch.length === 10_000) {
      if (!out.write(batch.join(''))) await new Promise<void>((r) => out.once('drain', () => r()))
      batch.length = 0
    }
  }
  out.end(batch.join(''))
  await new Promise<void>((r) => out.on('finish', () => r()))
}

async function throughput(file: string): Promise<{ seconds: number; lines: number; rssMiB: number }> {
  global.gc?.()
  let peak = process.memoryUsage().rss
  const a = new LogAnalyzer({
    logFormat: 'combined',
    onProgress: () => {
      peak = Math.max(peak, process.memoryUsage().rss)
    },
  })
  const t0 = performance.now()
  await a.analyzeFile(file)
  const seconds = (performance.now() - t0) / 1000
  const r = a.report()
  return { seconds, lines: r.linesRead, rssMiB: Math.round(peak / 1048576) }
}

function fail2ban(file: string): number | null {
  const filter = '/etc/fail2ban/filter.d/apache-badbots.conf'
  const which = spawnSync('sh', ['-c', 'command -v fail2ban-regex'], { encoding: 'utf8' })
  if (which.status !== 0 || !existsSync(filter)) return null
  const t0 = performance.now()
  const r = spawnSync('fail2ban-regex', ['--print-no-missed', '--print-no-ignored', file, filter], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  })
  if (r.status !== 0) {
    console.log(`  fail2ban-regex failed: ${r.stderr.trim().split('\n').pop()}`)
    return null
  }
  return (performance.now() - t0) / 1000
}

async function main(): Promise<void> {
  console.log(`bench:ids — ${cpus()[0]?.model ?? 'cpu'} × ${cpus().length}, Node ${process.version}`)
  accuracy()
  const dir = mkdtempSync(join(tmpdir(), 'qqsec-ids-bench-'))
  try {
    console.log('\nThroughput (combined format, ~2 % attack lines, one core)')
    const sizes = [200_000, 1_000_000]
    let ours = 0
    for (const n of sizes) {
      const f = join(dir, `access-${n}.log`)
      await generate(f, n)
      const r = await throughput(f)
      ours = r.lines / r.seconds
      console.log(
        `  ${n.toLocaleString('en').padStart(9)} lines (${(statSync(f).size / 1048576).toFixed(0)} MiB): ${Math.round(ours).toLocaleString('en')} lines/s, peak RSS ${r.rssMiB} MiB`,
      )
    }
    const PEER_LINES = 400_000
    const peerFile = join(dir, 'access-peer.log')
    await generate(peerFile, PEER_LINES)
    const peer = fail2ban(peerFile)
    if (peer === null) console.log('\nfail2ban-regex not installed (Debian package fail2ban): no peer ratio.')
    else {
      // Best of three for both sides' steady state; fail2ban's time includes its Python start-up (about 1 s).
      const runs = [await throughput(peerFile), await throughput(peerFile), await throughput(peerFile)]
      const best = Math.max(...runs.map((r) => r.lines / r.seconds))
      const peerRate = PEER_LINES / peer
      console.log(
        `\nPeer on the same ${PEER_LINES.toLocaleString('en')}-line file: fail2ban-regex with its stock apache-badbots filter ${Math.round(peerRate).toLocaleString('en')} lines/s (${peer.toFixed(1)} s, one run); qqsec ids ${Math.round(best).toLocaleString('en')} lines/s (best of 3) — ratio ${(best / peerRate).toFixed(1)}×`,
      )
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

await main()
