import { spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { cvss4BaseScore } from '../../src/main/engines/scanner/cvss'

/**
 * CVSS v4.0 base scores against Red Hat's `cvss` Python library (the one behind FIRST's calculator fixes), on
 * 4,000 random valid base vectors. Debian 12 does not package it (python3-cvss is in later releases); where
 * `import cvss` fails the test skips with one line.
 */
const hasPythonCvss = spawnSync('python3', ['-c', 'import cvss'], { encoding: 'utf8' }).status === 0
if (!hasPythonCvss)
  console.log('cvss4-oracle: skipped — python3 cannot import cvss (python3-cvss not installed)')

const METRICS: [string, string[]][] = [
  ['AV', ['N', 'A', 'L', 'P']],
  ['AC', ['L', 'H']],
  ['AT', ['N', 'P']],
  ['PR', ['N', 'L', 'H']],
  ['UI', ['N', 'P', 'A']],
  ['VC', ['H', 'L', 'N']],
  ['VI', ['H', 'L', 'N']],
  ['VA', ['H', 'L', 'N']],
  ['SC', ['H', 'L', 'N']],
  ['SI', ['H', 'L', 'N']],
  ['SA', ['H', 'L', 'N']],
]

/** mulberry32: a small seeded generator, so a failure can be replayed. */
function rng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const PY = `
import sys
from cvss import CVSS4
for line in sys.stdin:
    v = line.strip()
    if v:
        print(v, CVSS4(v).base_score)
`

describe.skipIf(!hasPythonCvss)('CVSS v4.0 against Red Hat’s cvss library', () => {
  it('scores 4,000 random base vectors exactly as it does', () => {
    const next = rng(0x0c0ffee)
    const vectors = new Set<string>()
    // the tie vectors of the 2024-11 rounding fix, then random ones
    vectors.add('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:P/VC:H/VI:L/VA:N/SC:H/SI:H/SA:H')
    vectors.add('CVSS:4.0/AV:L/AC:L/AT:P/PR:N/UI:A/VC:H/VI:N/VA:L/SC:N/SI:L/SA:N')
    while (vectors.size < 4000)
      vectors.add(
        `CVSS:4.0/${METRICS.map(([k, vs]) => `${k}:${vs[Math.floor(next() * vs.length)]!}`).join('/')}`,
      )
    const r = spawnSync('python3', ['-c', PY], {
      input: [...vectors].join('\n') + '\n',
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    })
    expect(r.status, r.stderr).toBe(0)
    const theirs = new Map(
      r.stdout
        .trim()
        .split('\n')
        .map((l) => {
          const [v, s] = l.split(' ')
          return [v!, Number(s)] as const
        }),
    )
    expect(theirs.size).toBe(vectors.size)
    const diffs = [...vectors]
      .map((v) => ({ v, ours: cvss4BaseScore(v)?.score, theirs: theirs.get(v) }))
      .filter((x) => x.ours !== x.theirs)
    expect(diffs.slice(0, 10)).toEqual([])
  })
})
