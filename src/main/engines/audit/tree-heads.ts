import { createPublicKey, verify } from 'node:crypto'
import { z } from 'zod'
import type { Db } from '../../db/connection'
import { DomainError } from '../../domain-error'
import type { CheckpointSigner } from './checkpoint-signer'
import {
  consistencyProof,
  HASH_BYTES,
  inclusionProof,
  leafHash,
  leafHashesPacked,
  MerkleFrontier,
  rootOf,
  verifyConsistency,
  verifyInclusion,
} from './merkle'

/**
 * Signed tree heads over the audit log (RFC 9162 style). The tree's leaves are the entries' 32-byte chain hashes,
 * entry N at leaf index N - 1, over every entry ever written (also those a retention cut archived later). With
 * each periodic checkpoint the console signs the root of entries 1..count; the right frontier of the tree (log2 n
 * hashes) is kept in `meta` beside the latest head, so a head costs the hashes of the entries since the last one.
 * Proofs are made from the live log: one that needs an archived entry's hash is refused and names the archive.
 */

/** The bytes a tree head signature covers: its own domain, so no checkpoint, cut or bundle signature is one. */
export const treeHeadMessage = (count: number, root: string, time: string): Buffer =>
  Buffer.from(`qq-verse-audit-tree-head/v1\n${count}\n${root}\n${time}`, 'utf8')

const hex64 = z.string().regex(/^[0-9a-f]{64}$/)

export const treeHeadSchema = z.strictObject({
  count: z.number().int().positive(),
  root: hex64,
  time: z.string().max(40),
  signature: z.string().max(200),
})
export type TreeHead = z.infer<typeof treeHeadSchema>

const entrySchema = z.strictObject({
  seq: z.number().int().positive(),
  time: z.string().max(40),
  type: z.string().max(64),
  actor: z.string().max(256).nullable(),
  client: z.string().max(256),
  session: z.string().max(256).nullable(),
  action: z.string().max(1000),
  resource: z.string().max(1000).nullable(),
  result: z.enum(['success', 'failure']),
  data_type: z.string().max(64).nullable(),
  risk: z.enum(['low', 'medium', 'high', 'critical']),
  details: z.string().max(1_000_000),
  prev_hash: hex64,
  hash: hex64,
})
export type ProofEntry = z.infer<typeof entrySchema>

export const INCLUSION_FORMAT = 'qq-verse-audit-inclusion-proof'
export const CONSISTENCY_FORMAT = 'qq-verse-audit-consistency-proof'

export const inclusionProofSchema = z.strictObject({
  format: z.literal(INCLUSION_FORMAT),
  version: z.literal(1),
  entry: entrySchema,
  leafIndex: z.number().int().nonnegative(),
  treeHead: treeHeadSchema,
  auditPath: z.array(hex64).max(64),
  publicKey: z.string().max(1000),
})
export type InclusionProofFile = z.infer<typeof inclusionProofSchema>

export const consistencyProofSchema = z.strictObject({
  format: z.literal(CONSISTENCY_FORMAT),
  version: z.literal(1),
  from: treeHeadSchema,
  to: treeHeadSchema,
  proof: z.array(hex64).max(128),
  publicKey: z.string().max(1000),
})
export type ConsistencyProofFile = z.infer<typeof consistencyProofSchema>

export function verifyTreeHeadSignature(publicKeyPem: string, h: TreeHead): boolean {
  try {
    return verify(
      null,
      treeHeadMessage(h.count, h.root, h.time),
      createPublicKey(publicKeyPem),
      Buffer.from(h.signature, 'base64'),
    )
  } catch {
    return false
  }
}

const FRONTIER_KEY = 'audit_tree_frontier'
const frontierSchema = z.strictObject({ size: z.number().int().nonnegative(), nodes: z.array(hex64).max(64) })

/** Chain hashes read per query when loading leaves. */
const PAGE = 50_000

export class AuditTreeHeads {
  /** Loaded on first use; null until then. */
  private frontier: MerkleFrontier | null = null
  /** Why tree heads cannot be signed (set once; the checkpoints go on regardless). */
  private unavailable: string | null = null

  constructor(private readonly db: Db) {}

  /** Why no tree heads are being signed, if none are. */
  get unavailableReason(): string | null {
    return this.unavailable
  }

  latest(): TreeHead | null {
    return (
      (this.db.prepare(`SELECT * FROM audit_tree_heads ORDER BY count DESC LIMIT 1`).get() as
        TreeHead | undefined) ?? null
    )
  }

  get(count: number): TreeHead | null {
    return (
      (this.db.prepare(`SELECT * FROM audit_tree_heads WHERE count = ?`).get(count) as
        TreeHead | undefined) ?? null
    )
  }

  /** The first head that covers entry `seq`. */
  firstCovering(seq: number): TreeHead | null {
    return (
      (this.db.prepare(`SELECT * FROM audit_tree_heads WHERE count >= ? ORDER BY count LIMIT 1`).get(seq) as
        TreeHead | undefined) ?? null
    )
  }

  /**
   * Sign the root over entries 1..count (called with each periodic checkpoint). Does nothing if a head at or past
   * `count` exists; records why, and stops, when the leaves it needs are gone or the stored frontier does not
   * match the latest signed head.
   */
  sign(count: number, time: string, signer: CheckpointSigner): TreeHead | null {
    if (this.unavailable) return null
    const latest = this.latest()
    if (latest && latest.count >= count) return null
    const frontier = this.loadFrontier(latest)
    if (!frontier) return null
    const next = MerkleFrontier.from(frontier.size, frontier.hashes)
    const leaves = this.leaves(next.size + 1, count)
    if (typeof leaves === 'string') {
      this.unavailable = `tree heads stopped: ${leaves}`
      return null
    }
    for (let i = 0; i < leaves.length; i += HASH_BYTES) next.append(leaves.subarray(i, i + HASH_BYTES))
    const root = next.root().toString('hex')
    const head: TreeHead = {
      count,
      root,
      time,
      signature: signer.signDigest(treeHeadMessage(count, root, time)),
    }
    this.db.transaction(() => {
      this.db
        .prepare(`INSERT INTO audit_tree_heads (count, root, time, signature) VALUES (?, ?, ?, ?)`)
        .run(head.count, head.root, head.time, head.signature)
      this.db
        .prepare(
          `INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`,
        )
        .run(
          FRONTIER_KEY,
          JSON.stringify({ size: next.size, nodes: next.hashes.map((h) => h.toString('hex')) }),
        )
    })()
    this.frontier = next
    return head
  }

  /**
   * The frontier at the latest head: from memory, else from meta, else rebuilt once from the chain hashes — in
   * every case it must give the latest signed head's root, or tree heads stop (the reason says why).
   */
  private loadFrontier(latest: TreeHead | null): MerkleFrontier | null {
    if (this.frontier) return this.frontier
    if (!latest) return (this.frontier = MerkleFrontier.empty())
    const matches = (f: MerkleFrontier) => f.size === latest.count && f.root().toString('hex') === latest.root
    const stored = this.storedFrontier()
    if (stored && matches(stored)) return (this.frontier = stored)
    const leaves = this.leaves(1, latest.count)
    if (typeof leaves === 'string') {
      this.unavailable = `tree heads stopped: the stored tree frontier is ${stored ? 'altered' : 'missing or unreadable'}, and rebuilding it needs every entry's hash, but ${leaves}`
      return null
    }
    const rebuilt = MerkleFrontier.empty()
    for (let i = 0; i < leaves.length; i += HASH_BYTES) rebuilt.append(leaves.subarray(i, i + HASH_BYTES))
    if (!matches(rebuilt)) {
      this.unavailable = `tree heads stopped: the log no longer gives the root of the signed tree head of ${latest.count} entries (run \`qqsec audit verify\`)`
      return null
    }
    return (this.frontier = rebuilt)
  }

  private storedFrontier(): MerkleFrontier | null {
    const row = this.db.prepare(`SELECT value FROM meta WHERE key = ?`).get(FRONTIER_KEY) as
      { value: string } | undefined
    if (!row) return null
    try {
      const parsed = frontierSchema.parse(JSON.parse(row.value))
      return MerkleFrontier.from(
        parsed.size,
        parsed.nodes.map((h) => Buffer.from(h, 'hex')),
      )
    } catch {
      return null
    }
  }

  /** The chain hashes of entries from..to (packed), or why they cannot all be read. */
  private leaves(from: number, to: number): Buffer | string {
    const n = to - from + 1
    const out = Buffer.allocUnsafe(Math.max(0, n) * HASH_BYTES)
    const page = this.db.prepare(
      `SELECT seq, hash FROM audit_log WHERE seq >= ? AND seq <= ? ORDER BY seq LIMIT ?`,
    )
    let expected = from
    pages: while (expected <= to) {
      const rows = page.raw().all(expected, to, PAGE) as [number, string][]
      if (rows.length === 0) break
      for (const [seq, hash] of rows) {
        if (seq !== expected) break pages
        out.write(hash, (seq - from) * HASH_BYTES, HASH_BYTES, 'hex')
        expected++
      }
    }
    if (expected <= to) {
      const cut = this.db
        .prepare(`SELECT seq, archive_name AS name FROM audit_cuts WHERE first_seq <= ? AND seq >= ? LIMIT 1`)
        .get(expected, expected) as { seq: number; name: string } | undefined
      return cut
        ? `entry ${expected} is archived in ${cut.name}; verify it with the archive (\`qqsec audit verify --archive FILE\`)`
        : `entry ${expected} is missing from the log (run \`qqsec audit verify\`)`
    }
    return out
  }

  /** The leaves of the tree of `head.count`, checked against the head's signed root. */
  private treeOf(head: TreeHead): Buffer {
    const leaves = this.leaves(1, head.count)
    if (typeof leaves === 'string')
      throw new DomainError(
        'UNAVAILABLE',
        `A proof against the tree head of ${head.count} entries needs every entry's hash from 1 on, and ${leaves}.`,
      )
    const hashes = leafHashesPacked(leaves)
    if (rootOf(hashes).toString('hex') !== head.root)
      throw new DomainError(
        'CONFLICT',
        `The log no longer matches the signed tree head of ${head.count} entries (${head.time}); run \`qqsec audit verify\`.`,
      )
    return hashes
  }

  /** Inclusion proof of entry `seq` against the head of `count` entries (default: the first head covering it). */
  inclusion(seq: number, count: number | undefined, publicKey: string): InclusionProofFile {
    const head = count === undefined ? this.firstCovering(seq) : this.get(count)
    if (!head)
      throw new DomainError(
        'NOT_FOUND',
        count === undefined
          ? `No signed tree head covers entry ${seq} yet (one is signed every 1000 entries).`
          : `There is no signed tree head of ${count} entries (\`qqsec audit proof --list\` shows them).`,
      )
    if (seq > head.count)
      throw new DomainError('INVALID_INPUT', `Entry ${seq} is after the tree head of ${head.count} entries.`)
    const entry = this.db.prepare(`SELECT * FROM audit_log WHERE seq = ?`).get(seq) as ProofEntry | undefined
    if (!entry) {
      const why = this.leaves(seq, seq)
      throw new DomainError('UNAVAILABLE', typeof why === 'string' ? `No proof: ${why}.` : `No entry ${seq}.`)
    }
    const hashes = this.treeOf(head)
    return {
      format: INCLUSION_FORMAT,
      version: 1,
      entry,
      leafIndex: seq - 1,
      treeHead: head,
      auditPath: inclusionProof(hashes, seq - 1).map((h) => h.toString('hex')),
      publicKey,
    }
  }

  /** Consistency proof between the heads of `from` and `to` entries. */
  consistency(from: number, to: number, publicKey: string): ConsistencyProofFile {
    if (from > to) throw new DomainError('INVALID_INPUT', `--from (${from}) must not be after --to (${to}).`)
    const a = this.get(from)
    const b = this.get(to)
    const missing = !a ? from : !b ? to : null
    if (missing !== null || !a || !b)
      throw new DomainError(
        'NOT_FOUND',
        `There is no signed tree head of ${missing} entries (\`qqsec audit proof --list\` shows them).`,
      )
    const hashes = this.treeOf(b)
    return {
      format: CONSISTENCY_FORMAT,
      version: 1,
      from: a,
      to: b,
      proof: consistencyProof(hashes, from).map((h) => h.toString('hex')),
      publicKey,
    }
  }

  list(): TreeHead[] {
    return this.db.prepare(`SELECT * FROM audit_tree_heads ORDER BY count`).all() as TreeHead[]
  }
}

export type ProofVerdict =
  { ok: true; kind: 'inclusion' | 'consistency'; summary: string } | { ok: false; problem: string }

/**
 * Check a proof document on its own (no database): the signature(s) of the tree head(s) with the key in it, and
 * the path. `chainHashOf` recomputes an entry's chain hash from its fields (the audit log's format).
 * Returns null when `doc` is not a proof document at all.
 */
export function verifyProofDocument(
  doc: unknown,
  chainHashOf: (e: ProofEntry) => string,
): ProofVerdict | null {
  const format = (doc as { format?: unknown } | null)?.format
  if (format === INCLUSION_FORMAT) {
    const p = inclusionProofSchema.safeParse(doc)
    if (!p.success) return null
    const { entry, treeHead, leafIndex, auditPath, publicKey } = p.data
    if (chainHashOf(entry) !== entry.hash)
      return { ok: false, problem: `entry ${entry.seq} was altered: its contents do not give its chain hash` }
    if (leafIndex !== entry.seq - 1)
      return {
        ok: false,
        problem: `the leaf index ${leafIndex} is not entry ${entry.seq}'s (${entry.seq - 1})`,
      }
    if (!verifyTreeHeadSignature(publicKey, treeHead))
      return { ok: false, problem: `the tree head of ${treeHead.count} entries has an invalid signature` }
    const ok = verifyInclusion(
      leafHash(Buffer.from(entry.hash, 'hex')),
      leafIndex,
      treeHead.count,
      auditPath.map((h) => Buffer.from(h, 'hex')),
      Buffer.from(treeHead.root, 'hex'),
    )
    if (!ok)
      return {
        ok: false,
        problem: `the audit path does not lead from entry ${entry.seq} to the signed root of ${treeHead.count} entries`,
      }
    return {
      ok: true,
      kind: 'inclusion',
      summary: `entry ${entry.seq} is in the signed tree head of ${treeHead.count} entries (${treeHead.time})`,
    }
  }
  if (format === CONSISTENCY_FORMAT) {
    const p = consistencyProofSchema.safeParse(doc)
    if (!p.success) return null
    const { from, to, proof, publicKey } = p.data
    for (const h of [from, to])
      if (!verifyTreeHeadSignature(publicKey, h))
        return { ok: false, problem: `the tree head of ${h.count} entries has an invalid signature` }
    const ok = verifyConsistency(
      from.count,
      to.count,
      Buffer.from(from.root, 'hex'),
      Buffer.from(to.root, 'hex'),
      proof.map((h) => Buffer.from(h, 'hex')),
    )
    if (!ok)
      return {
        ok: false,
        problem: `the tree of ${to.count} entries is not an extension of the tree of ${from.count}: the consistency proof fails`,
      }
    return {
      ok: true,
      kind: 'consistency',
      summary: `the log of ${to.count} entries (${to.time}) extends the one of ${from.count} (${from.time}) unchanged`,
    }
  }
  return null
}
