import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import {
  consistencyProof,
  inclusionProof,
  leafHash,
  leafHashes,
  MerkleFrontier,
  rootOf,
  verifyConsistency,
  verifyInclusion,
} from '../../src/main/engines/audit/merkle'

const sha = (...parts: Uint8Array[]): Buffer => {
  const h = createHash('sha256')
  for (const p of parts) h.update(p)
  return h.digest()
}

/** RFC 9162 §2.1.1 written out literally, recursive, as the reference the engine is compared with. */
function naiveMth(leaves: readonly Buffer[]): Buffer {
  if (leaves.length === 0) return sha()
  if (leaves.length === 1) return sha(Buffer.from([0]), leaves[0]!)
  let k = 1
  while (k * 2 < leaves.length) k *= 2
  return sha(Buffer.from([1]), naiveMth(leaves.slice(0, k)), naiveMth(leaves.slice(k)))
}

const leavesOf = (n: number): Buffer[] => Array.from({ length: n }, (_, i) => sha(Buffer.from(`entry ${i}`)))

const flip = (b: Uint8Array, at = 7): Buffer => {
  const c = Buffer.from(b)
  c[at] = c[at]! ^ 0x01
  return c
}

const MAX = 64
const trees = Array.from({ length: MAX + 1 }, (_, n) => {
  const leaves = leavesOf(n)
  const packed = leafHashes(leaves)
  return { leaves, packed, root: rootOf(packed) }
})

describe('Merkle Tree Hash (RFC 9162 §2.1.1)', () => {
  it('equals the literal recursive definition for every size 0..64', () => {
    for (let n = 0; n <= MAX; n++)
      expect(trees[n]!.root.toString('hex'), `n=${n}`).toBe(naiveMth(trees[n]!.leaves).toString('hex'))
  })

  it('matches hand-built small trees', () => {
    const [a, b, c] = leavesOf(3) as [Buffer, Buffer, Buffer]
    const la = sha(Buffer.from([0]), a)
    const lb = sha(Buffer.from([0]), b)
    const lc = sha(Buffer.from([0]), c)
    expect(rootOf(leafHashes([a]))).toEqual(la)
    expect(rootOf(leafHashes([a, b]))).toEqual(sha(Buffer.from([1]), la, lb))
    // 3 leaves: split at 2 → (a b) c
    expect(rootOf(leafHashes([a, b, c]))).toEqual(sha(Buffer.from([1]), sha(Buffer.from([1]), la, lb), lc))
    expect(rootOf(Buffer.alloc(0)).toString('hex')).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    )
  })

  it('the frontier gives the same root after every append, and survives a round trip', () => {
    let f = MerkleFrontier.empty()
    const leaves = trees[MAX]!.leaves
    for (let n = 1; n <= MAX; n++) {
      f.append(leaves[n - 1]!)
      expect(f.root(), `n=${n}`).toEqual(trees[n]!.root)
      f = MerkleFrontier.from(f.size, f.hashes)
    }
    expect(() => MerkleFrontier.from(3, [Buffer.alloc(32)])).toThrow(/3 leaves has 2 nodes/)
  })
})

describe('inclusion proofs (RFC 9162 §2.1.3)', () => {
  it('every leaf of every tree of 1..64 verifies, and fails on any change', () => {
    for (let n = 1; n <= MAX; n++) {
      const { leaves, packed, root } = trees[n]!
      for (let i = 0; i < n; i++) {
        const path = inclusionProof(packed, i)
        const lh = leafHash(leaves[i]!)
        const ctx = `n=${n} i=${i}`
        expect(verifyInclusion(lh, i, n, path, root), ctx).toBe(true)
        expect(verifyInclusion(leafHash(flip(leaves[i]!)), i, n, path, root), ctx).toBe(false)
        expect(verifyInclusion(lh, i, n, path, flip(root, 31)), ctx).toBe(false)
        for (let j = 0; j < path.length; j++) {
          const bad = path.map((p, k) => (k === j ? flip(p, j % 32) : p))
          expect(verifyInclusion(lh, i, n, bad, root), `${ctx} path[${j}]`).toBe(false)
        }
        for (let w = 0; w < n + 2; w++)
          if (w !== i) expect(verifyInclusion(lh, w, n, path, root), `${ctx} as ${w}`).toBe(false)
        expect(verifyInclusion(lh, i, n, [...path, root], root), `${ctx} longer`).toBe(false)
        if (path.length > 0)
          expect(verifyInclusion(lh, i, n, path.slice(0, -1), root), `${ctx} shorter`).toBe(false)
      }
    }
  })

  it('refuses an index outside the tree', () => {
    expect(() => inclusionProof(trees[4]!.packed, 4)).toThrow(RangeError)
    expect(() => inclusionProof(trees[4]!.packed, -1)).toThrow(RangeError)
  })
})

describe('consistency proofs (RFC 9162 §2.1.4)', () => {
  it('every (m, n) with 1 ≤ m ≤ n ≤ 64 verifies, and fails on any change', () => {
    for (let n = 1; n <= MAX; n++) {
      const { packed, root } = trees[n]!
      for (let m = 1; m <= n; m++) {
        const proof = consistencyProof(packed, m)
        const old = trees[m]!.root
        const ctx = `m=${m} n=${n}`
        expect(verifyConsistency(m, n, old, root, proof), ctx).toBe(true)
        expect(verifyConsistency(m, n, flip(old), root, proof), `${ctx} old root`).toBe(false)
        expect(verifyConsistency(m, n, old, flip(root), proof), `${ctx} new root`).toBe(false)
        for (let j = 0; j < proof.length; j++) {
          const bad = proof.map((p, k) => (k === j ? flip(p, 3) : p))
          expect(verifyConsistency(m, n, old, root, bad), `${ctx} proof[${j}]`).toBe(false)
        }
        if (m < n) {
          // the old tree of another size (a tree size alone is bound by the signed head, not the path)
          if (m > 1)
            expect(verifyConsistency(m - 1, n, trees[m - 1]!.root, root, proof), `${ctx} m-1`).toBe(false)
          expect(verifyConsistency(m, n, old, root, []), `${ctx} empty`).toBe(false)
          expect(verifyConsistency(m, n, old, root, [...proof, root]), `${ctx} longer`).toBe(false)
        } else {
          expect(proof).toEqual([])
          expect(verifyConsistency(m, n, old, root, [root]), `${ctx} not empty`).toBe(false)
        }
      }
    }
  })

  it('a tree that is not an extension (a changed old leaf) has no valid proof', () => {
    const leaves = [...trees[20]!.leaves]
    leaves[3] = flip(leaves[3]!)
    const forked = leafHashes(leaves)
    const proof = consistencyProof(forked, 10)
    expect(verifyConsistency(10, 20, trees[10]!.root, rootOf(forked), proof)).toBe(false)
  })
})
