import { existsSync, readFileSync } from 'node:fs'
import { createHash, createPublicKey, hash as sha256Once, verify as verifySignature } from 'node:crypto'
import { z } from 'zod'
import type { Db } from '../../db/connection'
import type { Clock } from '../../platform/clock'
import { iso } from '../../platform/clock'
import { writeFileAtomic } from '../../platform/atomic-write'
import type { AuditEventType } from '../../../shared/contract'
import { AuditRollup } from './audit-rollup'
import { verifyCheckpointSignature, type CheckpointSigner } from './checkpoint-signer'
import { AuditTreeHeads } from './tree-heads'
import { PARALLEL_MIN_ENTRIES, scanParallel, scanSegment, type SegmentResult } from './verify-worker'
import { toWellFormed } from '../../platform/unicode'

export type Risk = 'low' | 'medium' | 'high' | 'critical'
export type DataType = 'personal' | 'financial' | 'health' | 'quantum'

export interface AuditEvent {
  type: AuditEventType
  actor: string | null
  client: string
  session?: string | null
  action: string
  resource?: string | null
  result: 'success' | 'failure'
  dataType?: DataType | null
  risk?: Risk
  details?: Record<string, unknown>
}

export interface AuditRow {
  seq: number
  time: string
  type: string
  actor: string | null
  client: string
  session: string | null
  action: string
  resource: string | null
  result: 'success' | 'failure'
  data_type: string | null
  risk: Risk
  details: string
  prev_hash: string
  hash: string
}

export type ChainProblemKind =
  'edited' | 'deleted' | 'reordered' | 'inserted' | 'truncated' | 'replaced' | 'bad-signature'

export interface ChainProblem {
  kind: ChainProblemKind
  seq: number | null
  message: string
}

export interface VerifyReport {
  ok: boolean
  entries: number
  /** The last archived entry, when entries were archived: the live log (and this check) starts after it. */
  archivedThrough: number | null
  checkpoints: number
  lastCheckpoint: { count: number; time: string } | null
  outsideCheckpoint: { count: number; time: string } | null
  problems: ChainProblem[]
}

/**
 * The fast check can only ever say "clean"; if SQLite fails in it (e.g. a planted row too large for its batch
 * query), that is doubt, and the exact walk decides and names what it finds.
 */
const fastOrDoubt = (check: () => SegmentResult): SegmentResult => {
  try {
    return check()
  } catch {
    return { clean: false, rows: 0, firstPrev: null, lastHash: null, at: [] }
  }
}

export const GENESIS_HASH = '0'.repeat(64)
/** A signed checkpoint every this many entries (and whenever the console closes). */
export const CHECKPOINT_EVERY = 1000

/**
 * The bytes an entry's hash covers, in a fixed field order. The sequence number is not among them: order is
 * carried by the chain itself, so a moved entry is told apart from an edited one.
 */
export const canonicalEntry = (r: Omit<AuditRow, 'hash' | 'prev_hash' | 'seq'>): string =>
  JSON.stringify([
    r.time,
    r.type,
    r.actor,
    r.client,
    r.session,
    r.action,
    r.resource,
    r.result,
    r.data_type,
    r.risk,
    r.details,
  ])

export const chainHash = (prevHash: string, r: Omit<AuditRow, 'hash' | 'prev_hash' | 'seq'>): string =>
  createHash('sha256').update(prevHash).update('\n').update(canonicalEntry(r)).digest('hex')

const outsideSchema = z.strictObject({
  format: z.literal('qq-verse-audit-checkpoint'),
  count: z.number().int().nonnegative(),
  headHash: z.string().regex(/^[0-9a-f]{64}$/),
  time: z.string(),
  signature: z.string().max(200),
  publicKey: z.string().max(1000),
})
type OutsideCheckpoint = z.infer<typeof outsideSchema>

/**
 * The one audit API every engine writes through. Append-only (the table refuses UPDATE and DELETE) and
 * hash-chained: each entry stores the previous entry's hash and its own, SHA-256 over both. Checkpoints
 * (count, head hash, time) are signed with Ed25519 every CHECKPOINT_EVERY entries and on close; the latest is also
 * kept in a file beside the database, so truncating the log or rolling the whole database back is detected.
 */
export class AuditLog {
  private readonly insert
  private readonly last
  /** Per-hour counters for metrics, written in the same transaction as the entries. */
  private readonly rollup
  private sinceCheckpoint = 0
  /** Set when the log no longer matches the checkpoint kept outside: checkpoints stop, to keep the evidence. */
  private broken: string | null = null
  private trees: AuditTreeHeads | null = null

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly signer: CheckpointSigner | null = null,
    private readonly outsideFile: string | null = null,
    /** The better-sqlite3 addon the connection was opened with (Electron), for verification workers. */
    private readonly options: { nativeBinding?: string } = {},
  ) {
    this.insert = db.prepare(
      `INSERT INTO audit_log (seq, time, type, actor, client, session, action, resource, result, data_type, risk, details, prev_hash, hash)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    this.last = db.prepare(`SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1`)
    this.rollup = new AuditRollup(db)
    this.broken = this.quickCheck()
  }

  /** Cheap check at start: does the log still reach the checkpoint kept outside the database? */
  private quickCheck(): string | null {
    const outside = this.readOutside()
    if (!outside || outside === 'unreadable')
      return outside === 'unreadable' ? 'the outside checkpoint is unreadable' : null
    const cut = this.currentCut()
    // Archived since that checkpoint was written: the signed cut is later (verify() checks it).
    if (cut && outside.count <= cut.seq) return null
    const at = this.db.prepare(`SELECT hash FROM audit_log WHERE seq = ?`).get(outside.count) as
      { hash: string } | undefined
    if (outside.count > 0 && (!at || at.hash !== outside.headHash))
      return 'the log does not reach the outside checkpoint'
    return null
  }

  /** Why checkpoints are suspended, if they are (the chain no longer matches the outside checkpoint). */
  get brokenReason(): string | null {
    return this.broken
  }

  /** `time`: the entry's time, read once per millisecond by recordMany (formatting it per entry showed up). */
  private row(e: AuditEvent, seq: number, prevHash: string, time: string): AuditRow {
    // One object, filled in place: it is the insert's parameters, the rollup's input and the hash's input.
    const r: AuditRow = {
      seq,
      time,
      type: e.type,
      // Stored as UTF-8: a lone surrogate would read back as U+FFFD and the entry would no longer match its hash.
      actor: e.actor === null ? null : toWellFormed(e.actor),
      client: toWellFormed(e.client),
      session: e.session ?? null,
      action: toWellFormed(e.action),
      resource: e.resource == null ? null : toWellFormed(e.resource),
      result: e.result,
      data_type: e.dataType ?? null,
      risk: e.risk ?? 'low',
      details: JSON.stringify(e.details ?? {}),
      prev_hash: prevHash,
      hash: '',
    }
    // = chainHash(prevHash, r): the same bytes, hashed in one call (a hash object and three updates per entry
    // showed up in the append profile)
    r.hash = sha256Once('sha256', `${prevHash}\n${canonicalEntry(r)}`, 'hex')
    return r
  }

  record(e: AuditEvent): { seq: number; hash: string } {
    const [first] = this.recordMany([e])
    return first!
  }

  /** Append entries in one transaction (bursts stay cheap). */
  recordMany(events: readonly AuditEvent[]): { seq: number; hash: string }[] {
    const out = this.db
      .transaction(() => {
        const prev = this.last.get() as { seq: number; hash: string } | undefined
        let seq = prev?.seq ?? 0
        let hash = prev?.hash ?? GENESIS_HASH
        const written: { seq: number; hash: string }[] = []
        const rows: AuditRow[] = []
        let ms = Number.NaN
        let time = ''
        for (const e of events) {
          const now = this.clock.now()
          if (now !== ms) time = iso((ms = now))
          const r = this.row(e, ++seq, hash, time)
          // Positional parameters: binding by name cost about 8 % of the append CPU time.
          this.insert.run(
            r.seq,
            r.time,
            r.type,
            r.actor,
            r.client,
            r.session,
            r.action,
            r.resource,
            r.result,
            r.data_type,
            r.risk,
            r.details,
            r.prev_hash,
            r.hash,
          )
          rows.push(r)
          hash = r.hash
          written.push({ seq, hash })
        }
        this.rollup.add(rows)
        return written
      })
      .immediate()
    this.sinceCheckpoint += events.length
    if (this.sinceCheckpoint >= CHECKPOINT_EVERY) this.checkpoint(true)
    return out
  }

  /**
   * Sign the current head into the file beside the database (atomically; never moving backwards). Periodic
   * checkpoints (every CHECKPOINT_EVERY entries) are also kept in the database as signed anchors.
   */
  checkpoint(periodic = false): void {
    if (!this.signer || this.broken) return
    const head = this.last.get() as { seq: number; hash: string } | undefined
    if (!head) return
    const outside = this.readOutside()
    const outsideCurrent = outside !== null && outside !== 'unreadable' && outside.count >= head.seq
    if (outsideCurrent && !periodic) return
    const time = iso(this.clock.now())
    const signature = this.signer.sign(head.seq, head.hash, time)
    if (periodic) {
      this.db
        .prepare(
          `INSERT OR IGNORE INTO audit_checkpoints (count, head_hash, time, signature) VALUES (?, ?, ?, ?)`,
        )
        .run(head.seq, head.hash, time, signature)
      // The Merkle root of entries 1..head.seq, signed beside the checkpoint (RFC 9162 style proofs).
      this.treeHeads.sign(head.seq, time, this.signer)
    }
    if (this.outsideFile && !outsideCurrent) {
      const file: OutsideCheckpoint = {
        format: 'qq-verse-audit-checkpoint',
        count: head.seq,
        headHash: head.hash,
        time,
        signature,
        publicKey: this.signer.publicKeyPem,
      }
      writeFileAtomic(this.outsideFile, JSON.stringify(file, null, 2) + '\n')
    }
    this.sinceCheckpoint = 0
  }

  /** Signed Merkle tree heads over the entries' chain hashes, and inclusion and consistency proofs. */
  get treeHeads(): AuditTreeHeads {
    return (this.trees ??= new AuditTreeHeads(this.db))
  }

  /** The signer (for evidence bundles), when this log has one. */
  get checkpointSigner(): CheckpointSigner | null {
    return this.signer
  }

  private readOutside(): OutsideCheckpoint | 'unreadable' | null {
    if (!this.outsideFile || !existsSync(this.outsideFile)) return null
    try {
      const parsed = outsideSchema.safeParse(JSON.parse(readFileSync(this.outsideFile, 'utf8')))
      return parsed.success ? parsed.data : 'unreadable'
    } catch {
      return 'unreadable'
    }
  }

  /**
   * Bring the full-text index up to the newest entry (entries are indexed in batches, at search time, so bursts of
   * writes stay cheap). Returns how many entries were added.
   */
  indexForSearch(): number {
    return this.db
      .transaction(() => {
        const upto = Number(
          (
            this.db.prepare(`SELECT value FROM meta WHERE key = 'audit_fts_upto'`).get() as
              { value: string } | undefined
          )?.value ?? 0,
        )
        const head = (this.last.get() as { seq: number } | undefined)?.seq ?? 0
        if (head <= upto) return 0
        this.db
          .prepare(
            `INSERT INTO audit_fts(rowid, details, action, resource) SELECT seq, details, action, resource FROM audit_log WHERE seq > ?`,
          )
          .run(upto)
        this.db
          .prepare(
            `INSERT INTO meta (key, value) VALUES ('audit_fts_upto', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`,
          )
          .run(String(head))
        return head - upto
      })
      .immediate()
  }

  recent(limit: number, beforeSeq?: number): { entries: AuditRow[]; total: number } {
    const entries = (
      beforeSeq === undefined
        ? this.db.prepare(`SELECT * FROM audit_log ORDER BY seq DESC LIMIT ?`).all(limit)
        : this.db
            .prepare(`SELECT * FROM audit_log WHERE seq < ? ORDER BY seq DESC LIMIT ?`)
            .all(beforeSeq, limit)
    ) as AuditRow[]
    const total = (this.db.prepare(`SELECT count(*) AS n FROM audit_log`).get() as { n: number }).n
    return { entries, total }
  }

  /** The cuts made by archiving, oldest first (empty until entries are archived). */
  cuts(): AuditCut[] {
    return (this.db.prepare(`SELECT * FROM audit_cuts ORDER BY seq`).all() as CutRow[]).map(cutFromRow)
  }

  /** The last cut: the live log starts after it (its hash is the live chain's anchor). */
  currentCut(): AuditCut | null {
    const row = this.db.prepare(`SELECT * FROM audit_cuts ORDER BY seq DESC LIMIT 1`).get() as
      CutRow | undefined
    return row ? cutFromRow(row) : null
  }

  private verifyContext(): VerifyContext {
    const checkpointRows = this.db.prepare(`SELECT * FROM audit_checkpoints ORDER BY count`).all() as {
      count: number
      head_hash: string
      time: string
      signature: string
    }[]
    const outside = this.readOutside()
    const cuts = this.cuts()
    const cut = cuts.at(-1) ?? null
    const from = cut?.seq ?? 0
    const wanted = new Set<number>(checkpointRows.map((c) => c.count).filter((c) => c > from))
    if (outside && outside !== 'unreadable' && outside.count > from) wanted.add(outside.count)
    const range = this.db
      .prepare(
        `SELECT (SELECT max(seq) FROM audit_log) AS last, (SELECT count(*) FROM audit_log WHERE seq <= ?) AS below`,
      )
      .get(from) as { last: number | null; below: number }
    const publicKey =
      (
        this.db.prepare(`SELECT value FROM meta WHERE key = 'audit_public_key'`).get() as
          { value: string } | undefined
      )?.value ?? null
    return {
      checkpointRows,
      outside,
      cuts,
      from,
      anchor: cut?.hash ?? GENESIS_HASH,
      lastSeq: Math.max(from, range.last ?? 0),
      below: range.below,
      wanted,
      publicKey,
    }
  }

  /**
   * Walk the whole live chain (from the last archive cut, or the start) and the checkpoints; name every kind of
   * damage found, first the earliest. Edited: an entry's contents no longer match its hash. Reordered: an entry links
   * to another one than the entry before it. Inserted: an entry that links into the chain but nothing links to it.
   * Deleted: entries missing (also: removed under a cut record the audit key did not sign). Truncated / replaced:
   * the log ends before, or differs from, a signed checkpoint.
   */
  verify(): VerifyReport {
    const ctx = this.verifyContext()
    return this.finishVerify(
      ctx,
      fastOrDoubt(() => scanSegment(this.db, ctx.from, ctx.lastSeq, ctx.wanted)),
    )
  }

  /**
   * The same verification, with large logs split into seq segments checked on worker threads (each with its own
   * read-only connection); the links across segments are checked here. Small logs, and hosts where workers cannot
   * open the database, use the single-threaded path. Any damage is named by the same exact walk as verify().
   */
  async verifyAsync(): Promise<VerifyReport> {
    const ctx = this.verifyContext()
    let fast: SegmentResult | null = null
    if (ctx.lastSeq - ctx.from >= PARALLEL_MIN_ENTRIES)
      fast = await scanParallel(this.db, this.options.nativeBinding, ctx.from, ctx.lastSeq, ctx.wanted)
    // Entries archived while the workers ran: the range they were given is gone, so check again from the new cut.
    if (fast && !fast.clean && (this.currentCut()?.seq ?? 0) !== ctx.from) return this.verify()
    return this.finishVerify(
      ctx,
      fast ?? fastOrDoubt(() => scanSegment(this.db, ctx.from, ctx.lastSeq, ctx.wanted)),
    )
  }

  private finishVerify(ctx: VerifyContext, fast: SegmentResult): VerifyReport {
    const { checkpointRows, outside, from, lastSeq, publicKey } = ctx
    const intact = fast.clean && (fast.rows === 0 || fast.firstPrev === ctx.anchor)
    const walk: ChainWalk = intact
      ? { problems: [], entries: fast.rows, hashAt: new Map(fast.at) }
      : this.walkDetailed(ctx)
    const problems = walk.problems
    const add = (kind: ChainProblemKind, seq: number | null, message: string) => {
      if (problems.length < 20) problems.push({ kind, seq, message })
    }
    const hashAt = walk.hashAt
    if (from > 0) hashAt.set(from, ctx.anchor)

    let expectedFirst = 1
    for (const c of ctx.cuts) {
      if (!publicKey || !verifyCutSignature(publicKey, c)) {
        add(
          'deleted',
          c.seq,
          `entries ${c.firstSeq}–${c.seq} were removed under a cut record the audit key did not sign (forged or altered)`,
        )
      } else if (c.firstSeq !== expectedFirst) {
        add(
          'deleted',
          c.firstSeq,
          `entries ${expectedFirst}–${c.firstSeq - 1} are in no recorded archive cut`,
        )
      }
      expectedFirst = c.seq + 1
    }
    if (ctx.below > 0) {
      add(
        'inserted',
        from,
        `${ctx.below} entr${ctx.below === 1 ? 'y' : 'ies'} at or below the archive cut (entry ${from}) are in the live log`,
      )
    }
    for (const c of checkpointRows) {
      if (c.count < from) continue // archived with its entries
      if (publicKey && !verifyCheckpointSignature(publicKey, c.count, c.head_hash, c.time, c.signature)) {
        add(
          'bad-signature',
          c.count,
          `the checkpoint at entry ${c.count} (${c.time}) has an invalid signature`,
        )
      } else if (c.count > lastSeq && !hashAt.has(c.count)) {
        add(
          'truncated',
          c.count,
          `the log was truncated: it ends at entry ${lastSeq}, but a checkpoint of ${c.time} covers ${c.count}`,
        )
      } else if (hashAt.get(c.count) !== c.head_hash) {
        add('replaced', c.count, `entry ${c.count} differs from the one the checkpoint of ${c.time} signed`)
      }
    }
    if (outside === 'unreadable') {
      add('replaced', null, 'the checkpoint kept outside the database is unreadable or altered')
    } else if (outside) {
      if (
        !verifyCheckpointSignature(
          outside.publicKey,
          outside.count,
          outside.headHash,
          outside.time,
          outside.signature,
        )
      ) {
        add(
          'bad-signature',
          outside.count,
          'the checkpoint kept outside the database has an invalid signature',
        )
      } else if (publicKey && outside.publicKey !== publicKey) {
        add(
          'replaced',
          null,
          'the checkpoint kept outside the database was signed by another key: the database was replaced',
        )
      } else if (!hashAt.has(outside.count) && outside.count > lastSeq) {
        add(
          'truncated',
          outside.count,
          `the log was truncated or rolled back: it ends at entry ${lastSeq}, but the checkpoint kept outside the database (${outside.time}) covers ${outside.count}`,
        )
      } else if (
        outside.count > 0 &&
        outside.count >= from &&
        hashAt.get(outside.count) !== outside.headHash
      ) {
        add(
          'replaced',
          outside.count,
          `entry ${outside.count} differs from the one the outside checkpoint (${outside.time}) signed`,
        )
      }
    }
    const lastCp = checkpointRows.at(-1)
    return {
      ok: problems.length === 0,
      entries: walk.entries,
      archivedThrough: from > 0 ? from : null,
      checkpoints: checkpointRows.filter((c) => c.count >= from).length,
      lastCheckpoint: lastCp ? { count: lastCp.count, time: lastCp.time } : null,
      outsideCheckpoint:
        outside && outside !== 'unreadable' ? { count: outside.count, time: outside.time } : null,
      problems: problems.sort(
        (a, b) => (a.seq ?? Number.MAX_SAFE_INTEGER) - (b.seq ?? Number.MAX_SAFE_INTEGER),
      ),
    }
  }

  /** The exact walk (JavaScript's canonicalEntry), run when the fast check finds anything amiss: names the damage. */
  private walkDetailed(ctx: VerifyContext): ChainWalk {
    const problems: ChainProblem[] = []
    const add = (kind: ChainProblemKind, seq: number | null, message: string) => {
      if (problems.length < 20) problems.push({ kind, seq, message })
    }
    const hashAt = new Map<number, string>()
    // Raw rows in canonical column order: [seq, ...the 11 hashed fields, prev_hash, hash].
    const rows = this.db
      .prepare(
        `SELECT seq, time, type, actor, client, session, action, resource, result, data_type, risk, details, prev_hash, hash FROM audit_log WHERE seq > ? ORDER BY seq`,
      )
      .raw(true)
    const seqOfHash = this.db.prepare(`SELECT seq FROM audit_log WHERE hash = ?`)
    let prevHash = ctx.anchor
    let prevPrevHash: string | null = null
    let expectedSeq = ctx.from + 1
    let entries = 0
    let flaggedPrevious = false // a broken link right after a damaged entry is the same damage, named once
    for (const raw of rows.iterate(ctx.from) as Iterable<unknown[]>) {
      entries++
      const r = { seq: raw[0] as number }
      const prev_hash = raw[12] as string
      const hash = raw[13] as string
      let flagged = false
      if (r.seq !== expectedSeq) {
        add('deleted', r.seq, `entries ${expectedSeq}–${r.seq - 1} are missing`)
        expectedSeq = r.seq
        flagged = true
      }
      const computed = createHash('sha256')
        .update(prev_hash)
        .update('\n')
        .update(JSON.stringify(raw.slice(1, 12)))
        .digest('hex')
      if (computed !== hash) {
        add('edited', r.seq, `entry ${r.seq} was edited: its contents do not match its hash`)
        flagged = true
      } else if (prev_hash !== prevHash && !flagged && !flaggedPrevious) {
        flagged = true
        // Only on damage: the lookup scans the table.
        const linked = seqOfHash.get(prev_hash) as { seq: number } | undefined
        if (prev_hash === prevPrevHash) {
          add(
            'inserted',
            r.seq - 1,
            `entry ${r.seq - 1} was inserted: entry ${r.seq} links past it to entry ${r.seq - 2}`,
          )
        } else if (linked) {
          add(
            'reordered',
            r.seq,
            `entry ${r.seq} is out of order: it follows entry ${linked.seq}, not entry ${r.seq - 1}`,
          )
        } else {
          add(
            'deleted',
            r.seq,
            `entries before ${r.seq} were deleted: it links to an entry that is no longer there`,
          )
        }
      }
      if (ctx.wanted.has(r.seq)) hashAt.set(r.seq, hash)
      flaggedPrevious = flagged
      prevPrevHash = prevHash
      prevHash = hash
      expectedSeq++
    }
    return { problems, entries, hashAt }
  }
}

interface VerifyContext {
  checkpointRows: { count: number; head_hash: string; time: string; signature: string }[]
  outside: OutsideCheckpoint | 'unreadable' | null
  cuts: AuditCut[]
  /** The last archived entry (0 = nothing archived): the live log is (from, lastSeq]. */
  from: number
  anchor: string
  lastSeq: number
  /** Rows at or below the cut (none in an intact log). */
  below: number
  wanted: Set<number>
  publicKey: string | null
}

interface ChainWalk {
  problems: ChainProblem[]
  entries: number
  hashAt: Map<number, string>
}

interface CutRow {
  seq: number
  hash: string
  time: string
  first_seq: number
  archive_name: string
  archive_digest: string
  signature: string
}

/** One archive cut: entries firstSeq..seq went to the archive whose signed content has SHA-256 archiveDigest. */
export interface AuditCut {
  seq: number
  hash: string
  /** The time of the last archived entry (seq): entries of a period after it are all in the live log. */
  time: string
  firstSeq: number
  archiveName: string
  archiveDigest: string
  signature: string
}

const cutFromRow = (r: CutRow): AuditCut => ({
  seq: r.seq,
  hash: r.hash,
  time: r.time,
  firstSeq: r.first_seq,
  archiveName: r.archive_name,
  archiveDigest: r.archive_digest,
  signature: r.signature,
})

/**
 * The digest a cut signature covers. Its own domain ("qq-verse-audit-cut/v1"), so no checkpoint or bundle
 * signature can be passed off as a cut: a cut hides entries, so only the audit key may make one.
 */
export const cutDigest = (c: Omit<AuditCut, 'signature'>): Buffer =>
  createHash('sha256')
    .update(
      `qq-verse-audit-cut/v1\n${c.firstSeq}\n${c.seq}\n${c.hash}\n${c.time}\n${c.archiveName}\n${c.archiveDigest}`,
    )
    .digest()

export function verifyCutSignature(publicKeyPem: string, c: AuditCut): boolean {
  try {
    return verifySignature(
      null,
      cutDigest(c),
      createPublicKey(publicKeyPem),
      Buffer.from(c.signature, 'base64'),
    )
  } catch {
    return false
  }
}
