/**
 * npm run bench:audit-merkle — the audit log's RFC 9162 Merkle tree on this machine: the root over N leaves (the
 * entries' chain hashes), a signed-tree-head step (1,000 appends to the frontier and its root), an inclusion and a
 * consistency proof, and their verification. Peers, in the same run: the same number of SHA-256 calls over the
 * same inputs with nothing else (the floor for any implementation of the tree), and `sha256sum` over the leaves.
 * Usage: npm run bench:audit-merkle [-- --leaves N]   (default 1,000,000)
 */
import { execFileSync } from 'node:child_process'
import { hash, randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  consistencyProof,
  inclusionProof,
  leafHash,
  leafHashesPacked,
  MerkleFrontier,
  rootOf,
  verifyConsistency,
  verifyInclusion,
} from '../src/main/engines/audit/merkle'

const arg = process.argv.indexOf('--leaves')
const N = arg > 0 ? Number(process.argv[arg + 1]) : 1_000_000
const now = () => performance.now()
const ms = (t: number) => `${t.toFixed(1)} ms`

const leaves = randomBytes(N * 32)

// The tree: leaf hashes, then levels.
let t = now()
const packed = leafHashesPacked(leaves)
const root = rootOf(packed)
const tree = now() - t

// Peer 1: 2N - 1 one-shot SHA-256 calls over 33- and 65-byte inputs, nothing else.
t = now()
const leafIn = Buffer.alloc(33)
const nodeIn = Buffer.alloc(65)
for (let i = 0; i < N; i++) hash('sha256', leafIn, 'buffer')
for (let i = 0; i < N - 1; i++) hash('sha256', nodeIn, 'buffer')
const floor = now() - t

// Peer 2: sha256sum over the leaves' bytes (one stream).
const dir = mkdtempSync(join(tmpdir(), 'qqsec-merkle-bench-'))
const file = join(dir, 'leaves.bin')
writeFileSync(file, leaves)
t = now()
execFileSync('sha256sum', [file])
const sum = now() - t
rmSync(dir, { recursive: true, force: true })

// A signed tree head's Merkle work: the frontier at N - 1000 (rebuilt once, as after a restart), then 1,000 appends.
t = now()
const f = MerkleFrontier.empty()
for (let i = 0; i < N - 1000; i++) f.append(leaves.subarray(i * 32, i * 32 + 32))
const rebuild = now() - t
t = now()
for (let i = N - 1000; i < N; i++) f.append(leaves.subarray(i * 32, i * 32 + 32))
const headRoot = f.root()
const step = now() - t
if (!headRoot.equals(root)) throw new Error('the frontier root differs from the full root')

const idx = Math.floor(N * 0.37)
t = now()
const path = inclusionProof(packed, idx)
const incl = now() - t
t = now()
const okIncl = verifyInclusion(leafHash(leaves.subarray(idx * 32, idx * 32 + 32)), idx, N, path, root)
const vIncl = now() - t
const m = Math.floor(N * 0.6) + 1
t = now()
const cons = consistencyProof(packed, m)
const consT = now() - t
const oldRoot = rootOf(packed.subarray(0, m * 32))
t = now()
const okCons = verifyConsistency(m, N, oldRoot, root, cons)
const vCons = now() - t
if (!okIncl || !okCons) throw new Error('a proof did not verify')

console.log(`Merkle tree over ${N.toLocaleString('en')} leaves (SHA-256, RFC 9162)`)
console.log(`  root (leaf hashes + levels)      ${ms(tree)}`)
console.log(`  peer: ${2 * N - 1} bare SHA-256 calls  ${ms(floor)}   ratio ${(tree / floor).toFixed(2)}×`)
console.log(`  peer: sha256sum over ${(N * 32) / 1e6} MB     ${ms(sum)}   ratio ${(tree / sum).toFixed(2)}×`)
console.log(`  frontier rebuilt from ${N - 1000} leaves  ${ms(rebuild)}`)
console.log(
  `  tree head step (1,000 appends + root)  ${ms(step)}   (${((step / tree) * 100).toFixed(2)} % of a full root)`,
)
console.log(`  inclusion proof (${path.length} hashes)       ${ms(incl)}; verify ${ms(vIncl)}`)
console.log(`  consistency proof ${m}→${N} (${cons.length} hashes) ${ms(consT)}; verify ${ms(vCons)}`)
