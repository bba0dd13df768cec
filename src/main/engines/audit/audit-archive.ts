import { createHash, createPublicKey, hash as sha256Once, randomBytes, verify } from 'node:crypto'
import {
  closeSync,
  createReadStream,
  createWriteStream,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  renameSync,
  statSync,
  unlinkSync,
} from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { StringDecoder } from 'node:string_decoder'
import { createGzip, createGunzip } from 'node:zlib'
import { z } from 'zod'
import type { Db } from '../../db/connection'
import { DomainError } from '../../domain-error'
import type { Clock } from '../../platform/clock'
import { iso } from '../../platform/clock'
import { APP_VERSION } from '../../../shared/version'
import { throwIfCancelled } from '../jobs/job-runner'
import { cutDigest, GENESIS_HASH, type AuditCut, type AuditLog, type ChainProblemKind } from './audit-log'
import { verifyCheckpointSignature } from './checkpoint-signer'
import { keyFingerprint } from './evidence-bundle'
import { fsyncDir } from '../../platform/atomic-write'

/**
 * Retention archives. Entries older than an age leave the live log for a gzip-compressed JSON Lines file:
 *
 *   line 1      header: format, the public key, the chain anchor (seq and hash of the entry before the first
 *               archived one; seq 0 and the genesis hash for the start of the log), the head at the cut, the count
 *               and the signed checkpoints in range
 *   lines 2…n+1 the entries as arrays [seq, the 11 hashed fields in canonical order, prev_hash, hash]
 *   last line   {"signature": Ed25519 by the audit key over the SHA-256 of every byte before this line}
 *
 * It verifies on its own (no database): signature, every hash, anchor → head continuity, the checkpoints. The live
 * log records the cut (signed, see audit-log.ts) and starts from the archived head, so the chain carries across.
 */
export const ARCHIVE_FORMAT = 'qq-verse-audit-archive'

const hex64 = z.string().regex(/^[0-9a-f]{64}$/)
const checkpointSchema = z.strictObject({
  count: z.number().int().positive(),
  headHash: hex64,
  time: z.string().max(64),
  signature: z.string().max(200),
})
const headerSchema = z.strictObject({
  format: z.literal(ARCHIVE_FORMAT),
  version: z.literal(1),
  createdAt: z.string().max(64),
  console: z.string().max(200),
  publicKey: z.string().max(2000),
  olderThan: z.string().max(64),
  anchor: z.strictObject({ seq: z.number().int().nonnegative(), hash: hex64 }),
  head: z.strictObject({ seq: z.number().int().positive(), hash: hex64, time: z.string().max(64) }),
  entries: z.number().int().positive(),
  checkpoints: z.array(checkpointSchema).max(1_000_000),
})
const trailerSchema = z.strictObject({ signature: z.string().max(200) })
export type ArchiveHeader = z.infer<typeof headerSchema>

const ENTRY_COLUMNS = `seq, time, type, actor, client, session, action, resource, result, data_type, risk, details, prev_hash, hash`
const BATCH = 5000
const DAY_MS = 86_400_000

// ---------------------------------------------------------------------------------------------------------------
// Retention setting

export const retentionSchema = z.strictObject({
  /** Entries older than this many days may be archived; null = retention off (nothing leaves the live log). */
  days: z.number().int().min(1).max(36_500).nullable(),
})
export type RetentionSetting = z.infer<typeof retentionSchema>
const RETENTION_KEY = 'audit-retention'

/**
 * Off by default: deleting audit evidence from the live log is a decision about the organization's retention duty
 * (HIPAA asks for six years of documentation, SOX-related records are commonly kept seven, GDPR asks for no longer
 * than needed), not something a console should start doing a year after installation on its own.
 */
export const DEFAULT_RETENTION: RetentionSetting = { days: null }

export function readRetention(db: Db): RetentionSetting {
  const row = db.prepare(`SELECT value FROM settings WHERE key = ?`).get(RETENTION_KEY) as
    { value: string } | undefined
  if (!row) return DEFAULT_RETENTION
  const parsed = retentionSchema.safeParse(JSON.parse(row.value))
  if (!parsed.success) throw new DomainError('INTERNAL', 'The stored audit retention setting is invalid.')
  return parsed.data
}

export function writeRetention(db: Db, clock: Clock, setting: RetentionSetting, actor: string): void {
  const parsed = retentionSchema.safeParse(setting)
  if (!parsed.success) throw new DomainError('INVALID_INPUT', `days: ${parsed.error.issues[0]?.message}`)
  db.prepare(
    `INSERT INTO settings (key, value, updated_at, updated_by) VALUES (?, ?, ?, ?)
     ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
  ).run(RETENTION_KEY, JSON.stringify(parsed.data), iso(clock.now()), actor)
}

// ---------------------------------------------------------------------------------------------------------------
// Writing

export interface ArchiveOptions {
  olderThanDays: number
  /** The archive file to write; must not exist. Default: <archiveDir>/audit-<first>-<last>.jsonl.gz */
  output?: string
  /** Who asked (recorded in the audit event). */
  actor: string | null
  client: string
  signal?: AbortSignal
  onProgress?: (done: number, total: number) => void
  /** Test seam: runs after the archive is written and verified, before the live log is cut. */
  beforeCut?: () => void
}

export interface ArchiveResult {
  file: string
  firstSeq: number
  lastSeq: number
  entries: number
  bytes: number
  digest: string
  cutoff: string
  /** Syslog forwarding targets that had not acknowledged all archived entries (they are in the archive only). */
  notForwarded: { target: string; lastSeq: number }[]
}

export class AuditArchiver {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
    /** Where archives go when no output file is named (the data dir's audit-archives folder). */
    private readonly archiveDir: string,
  ) {}

  private timer: NodeJS.Timeout | null = null
  private scheduled = false

  /**
   * With retention on, archive on a timer (first after a minute, then every `everyMs`) into the archive folder.
   * The timer is unreferenced: it never keeps a process alive, so short CLI runs never fire it; the desktop app
   * and `qqsec serve` do. Stop it before closing the database.
   */
  startSchedule(everyMs = 6 * 3_600_000, firstMs = 60_000): void {
    if (this.timer) return
    const tick = () => {
      this.timer = setTimeout(
        () => {
          void this.runScheduled().finally(() => {
            if (this.timer) tick()
          })
        },
        this.timer ? everyMs : firstMs,
      )
      this.timer.unref()
    }
    tick()
  }

  stopSchedule(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
  }

  /** One scheduled run: archive what the retention setting allows; a failure is audited, never thrown. */
  async runScheduled(): Promise<ArchiveResult | null> {
    if (this.scheduled) return null
    this.scheduled = true
    try {
      const { days } = readRetention(this.db)
      if (days === null) return null
      return await this.archive({ olderThanDays: days, actor: null, client: 'console:retention' })
    } catch (e) {
      try {
        this.audit.record({
          type: 'system',
          actor: null,
          client: 'console:retention',
          action: 'audit.archiveFailed',
          result: 'failure',
          risk: 'medium',
          details: { message: e instanceof DomainError ? e.message : 'internal error' },
        })
      } catch {
        // the database is closing
      }
      return null
    } finally {
      this.scheduled = false
    }
  }

  /** What archiving entries older than `days` would take: the seq range (from, to], or null when nothing. */
  plan(olderThanDays: number): { from: number; to: number; cutoff: string } | null {
    if (!Number.isInteger(olderThanDays) || olderThanDays < 0 || olderThanDays > 36_500)
      throw new DomainError('INVALID_INPUT', 'The age must be a whole number of days, 0–36500.')
    const cutoff = iso(this.clock.now() - olderThanDays * DAY_MS)
    const from = this.audit.currentCut()?.seq ?? 0
    const r = this.db
      .prepare(
        `SELECT (SELECT max(seq) FROM audit_log) AS head,
                (SELECT min(seq) FROM audit_log WHERE seq > ? AND time >= ?) AS firstKept`,
      )
      .get(from, cutoff) as { head: number | null; firstKept: number | null }
    if (r.head === null) return null
    // The newest entry always stays: the live chain continues from it (and the archiving event links to it).
    const to = Math.min(r.firstKept === null ? r.head : r.firstKept - 1, r.head - 1)
    return to > from ? { from, to, cutoff } : null
  }

  /**
   * Archive entries older than the age: check the live chain, write the archive atomically (temp file, fsync,
   * rename), verify the written file, and only then record the signed cut and remove the archived rows in one
   * transaction. A crash before that transaction leaves a complete archive and an untouched log (archiving again is
   * safe); after it, the rows are gone and the cut is recorded. Returns null when nothing is old enough.
   */
  async archive(opts: ArchiveOptions): Promise<ArchiveResult | null> {
    const signer = this.audit.checkpointSigner
    if (!signer) throw new DomainError('UNAVAILABLE', 'This console has no audit signing key.')
    const plan = this.plan(opts.olderThanDays)
    if (!plan) return null
    const check = await this.audit.verifyAsync()
    if (!check.ok) {
      throw new DomainError(
        'CONFLICT',
        `The audit chain is damaged (${check.problems[0]?.kind}: ${check.problems[0]?.message}); nothing was archived, so the evidence stays in the live log.`,
      )
    }
    const output =
      opts.output ??
      join(
        this.archiveDir,
        `audit-${plan.from + 1}-${plan.to}-${iso(this.clock.now()).slice(0, 10)}.jsonl.gz`,
      )
    if (!opts.output) mkdirSync(this.archiveDir, { recursive: true, mode: 0o700 })
    if (existsSync(output))
      throw new DomainError('CONFLICT', `${output} already exists; name a new file for the archive.`)
    if (!existsSync(dirname(output)))
      throw new DomainError('INVALID_INPUT', `The folder ${dirname(output)} does not exist.`)

    const hashOf = this.db.prepare(`SELECT hash, time FROM audit_log WHERE seq = ?`)
    const anchorHash = plan.from === 0 ? GENESIS_HASH : (this.audit.currentCut()?.hash ?? GENESIS_HASH)
    const head = hashOf.get(plan.to) as { hash: string; time: string }
    // A signed checkpoint at the cut: it stays in the live database as the start for evidence bundles.
    const now = iso(this.clock.now())
    this.db
      .prepare(
        `INSERT OR IGNORE INTO audit_checkpoints (count, head_hash, time, signature) VALUES (?, ?, ?, ?)`,
      )
      .run(plan.to, head.hash, now, signer.sign(plan.to, head.hash, now))
    // And a signed Merkle tree head over the entries up to the cut while they are all still here: later heads grow
    // from its frontier, which needs no archived entry.
    this.audit.treeHeads.sign(plan.to, now, signer)
    const checkpoints = this.db
      .prepare(
        `SELECT count, head_hash AS headHash, time, signature FROM audit_checkpoints WHERE count > ? AND count <= ? ORDER BY count`,
      )
      .all(plan.from, plan.to) as z.infer<typeof checkpointSchema>[]
    const header: ArchiveHeader = {
      format: ARCHIVE_FORMAT,
      version: 1,
      createdAt: now,
      console: `QQ-Verse Security Console ${APP_VERSION}`,
      publicKey: signer.publicKeyPem,
      olderThan: plan.cutoff,
      anchor: { seq: plan.from, hash: anchorHash },
      head: { seq: plan.to, hash: head.hash, time: head.time },
      entries: plan.to - plan.from,
      checkpoints,
    }

    const total = plan.to - plan.from
    const digest = createHash('sha256')
    const page = this.db
      .prepare(
        `SELECT ${ENTRY_COLUMNS} FROM audit_log WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ${BATCH}`,
      )
      .raw(true)
    const signal = opts.signal
    async function* lines(): AsyncGenerator<string> {
      const first = JSON.stringify(header) + '\n'
      digest.update(first)
      yield first
      let after = plan!.from
      let done = 0
      while (after < plan!.to) {
        if (signal) throwIfCancelled(signal)
        const rows = page.all(after, plan!.to) as unknown[][]
        if (rows.length === 0) break
        let text = ''
        for (const r of rows) text += JSON.stringify(r) + '\n'
        digest.update(text)
        after = rows.at(-1)![0] as number
        done += rows.length
        opts.onProgress?.(done, total)
        yield text
        await new Promise((r) => setImmediate(r)) // let appends and progress reads in between pages
      }
      const d = digest.digest()
      yield JSON.stringify({ signature: signer!.signDigest(d) }) + '\n'
    }

    const tmp = join(dirname(output), `.${basename(output)}.${randomBytes(6).toString('hex')}.tmp`)
    const fd = openSync(tmp, 'wx', 0o600)
    try {
      await pipeline(
        Readable.from(lines()),
        createGzip({ level: 6 }),
        createWriteStream('', { fd, autoClose: false }),
      )
      fsyncSync(fd)
      closeSync(fd)
      renameSync(tmp, output)
      fsyncDir(dirname(output))
    } catch (e) {
      try {
        closeSync(fd)
      } catch {
        // already closed
      }
      if (existsSync(tmp)) unlinkSync(tmp)
      throw e
    }

    // Verify what is on disk before anything leaves the database.
    const verdict = await verifyArchiveFile(output)
    if (
      !verdict.ok ||
      verdict.head?.seq !== plan.to ||
      verdict.head.hash !== head.hash ||
      verdict.anchor?.seq !== plan.from ||
      verdict.anchor.hash !== anchorHash
    ) {
      unlinkSync(output)
      throw new DomainError(
        'INTERNAL',
        `The written archive did not verify (${verdict.problems[0]?.message ?? 'it covers another range'}); it was removed and nothing was archived.`,
      )
    }
    opts.beforeCut?.()

    const cut: Omit<AuditCut, 'signature'> = {
      seq: plan.to,
      hash: head.hash,
      time: head.time,
      firstSeq: plan.from + 1,
      archiveName: basename(output),
      archiveDigest: verdict.digest!,
    }
    const signature = signer.signDigest(cutDigest(cut))
    this.db
      .transaction(() => {
        if ((this.audit.currentCut()?.seq ?? 0) !== plan.from)
          throw new DomainError('CONFLICT', 'Another archive was made meanwhile; nothing was cut.')
        this.db
          .prepare(
            `INSERT INTO audit_cuts (seq, hash, time, first_seq, archive_name, archive_digest, signature) VALUES (?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(cut.seq, cut.hash, cut.time, cut.firstSeq, cut.archiveName, cut.archiveDigest, signature)
        // Entries already in the full-text index leave it with their row (an external-content index).
        const upto = Number(
          (
            this.db.prepare(`SELECT value FROM meta WHERE key = 'audit_fts_upto'`).get() as
              { value: string } | undefined
          )?.value ?? 0,
        )
        if (upto > plan.from) {
          this.db
            .prepare(
              `INSERT INTO audit_fts(audit_fts, rowid, details, action, resource) SELECT 'delete', seq, details, action, resource FROM audit_log WHERE seq > ? AND seq <= ?`,
            )
            .run(plan.from, Math.min(upto, plan.to))
        }
        this.db.prepare(`DELETE FROM audit_log WHERE seq > ? AND seq <= ?`).run(plan.from, plan.to)
        this.db.prepare(`DELETE FROM audit_checkpoints WHERE count < ?`).run(plan.to)
      })
      .immediate()

    const bytes = statSync(output).size
    // Forwarding targets that had not acknowledged every archived entry: the rest of those entries are in the
    // archive only (the forwarder continues after the cut).
    const notForwarded = this.db
      .prepare(
        `SELECT target, last_seq AS lastSeq FROM audit_forward_cursors WHERE last_seq < ? ORDER BY target`,
      )
      .all(plan.to) as { target: string; lastSeq: number }[]
    this.audit.record({
      type: 'export',
      actor: opts.actor,
      client: opts.client,
      action: 'audit.archived',
      resource: `audit-archive:${basename(output)}`,
      result: 'success',
      risk: 'medium',
      details: {
        firstSeq: plan.from + 1,
        lastSeq: plan.to,
        entries: total,
        olderThan: plan.cutoff,
        archiveSha256: verdict.digest,
        bytes,
        ...(notForwarded.length ? { notForwarded } : {}),
      },
    })
    return {
      file: output,
      firstSeq: plan.from + 1,
      lastSeq: plan.to,
      entries: total,
      bytes,
      digest: verdict.digest!,
      cutoff: plan.cutoff,
      notForwarded,
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Verifying (no database)

export interface ArchiveProblem {
  kind: ChainProblemKind | 'unreadable'
  seq: number | null
  message: string
}

export interface ArchiveVerdict {
  ok: boolean
  file: string
  entries: number
  anchor: { seq: number; hash: string } | null
  head: { seq: number; hash: string; time: string } | null
  checkpoints: number
  createdAt: string | null
  keyFingerprint: string | null
  /** SHA-256 (hex) of the signed content: what the live log's cut record names. */
  digest: string | null
  problems: ArchiveProblem[]
}

/** Largest line accepted (an entry's details are bounded well below this). */
const MAX_LINE = 16 * 1024 * 1024
const isEntry = (v: unknown): v is [number, ...(string | null)[]] =>
  Array.isArray(v) &&
  v.length === 14 &&
  Number.isSafeInteger(v[0]) &&
  v.slice(1, 12).every((x) => x === null || typeof x === 'string') &&
  typeof v[12] === 'string' &&
  typeof v[13] === 'string'

/**
 * Verify an archive file on its own: it must be complete (gzip intact, every line, the trailer), every entry's hash
 * must match and link to the one before, from the anchor to the head; the checkpoints in range must be signed by the
 * archive's key and match the entries; the signature must cover the whole content.
 */
export async function verifyArchiveFile(file: string): Promise<ArchiveVerdict> {
  const problems: ArchiveProblem[] = []
  const add = (kind: ArchiveProblem['kind'], seq: number | null, message: string) => {
    if (problems.length < 20) problems.push({ kind, seq, message })
  }
  const verdict: ArchiveVerdict = {
    ok: false,
    file,
    entries: 0,
    anchor: null,
    head: null,
    checkpoints: 0,
    createdAt: null,
    keyFingerprint: null,
    digest: null,
    problems,
  }
  let header: ArchiveHeader | null = null
  const digest = createHash('sha256')
  let pending: string | null = null
  let lineNo = 0
  let prev = ''
  let prevPrev: string | null = null
  let expected = 0
  let flaggedPrevious = false
  let wanted = new Map<number, string>()
  const hashAt = new Map<number, string>()
  let broken = false // a structural problem: stop reading entries
  let signature: string | null = null

  const onLine = (line: string): void => {
    lineNo++
    digest.update(line + '\n')
    if (broken) return
    if (lineNo === 1) {
      let parsed: z.ZodSafeParseResult<ArchiveHeader>
      try {
        parsed = headerSchema.safeParse(JSON.parse(line))
      } catch {
        parsed = headerSchema.safeParse(null)
      }
      if (!parsed.success) {
        add('unreadable', null, `${file} is not an audit archive (its first line is not an archive header)`)
        broken = true
        return
      }
      header = parsed.data
      verdict.anchor = header.anchor
      verdict.head = header.head
      verdict.createdAt = header.createdAt
      verdict.checkpoints = header.checkpoints.length
      prev = header.anchor.hash
      expected = header.anchor.seq + 1
      wanted = new Map(header.checkpoints.map((c) => [c.count, c.headHash]))
      return
    }
    let v: unknown
    try {
      v = JSON.parse(line)
    } catch {
      v = null
    }
    if (!isEntry(v)) {
      add('edited', expected, `line ${lineNo} is not an audit entry (altered or corrupted)`)
      broken = true
      return
    }
    const seq = v[0]
    const prevHash = v[12] as string
    const hash = v[13] as string
    verdict.entries++
    let flagged = false
    if (seq !== expected) {
      if (seq > expected)
        add('deleted', expected, `entries ${expected}–${seq - 1} are missing from the archive`)
      else add('reordered', seq, `entry ${seq} is out of order: it comes after entry ${expected - 1}`)
      expected = seq
      flagged = true
    }
    if (sha256Once('sha256', prevHash + '\n' + JSON.stringify(v.slice(1, 12)), 'hex') !== hash) {
      add('edited', seq, `entry ${seq} was edited: its contents do not match its hash`)
      flagged = true
    } else if (prevHash !== prev && !flagged && !flaggedPrevious) {
      flagged = true
      if (prevHash === prevPrev)
        add('inserted', seq - 1, `entry ${seq - 1} was inserted: entry ${seq} links past it`)
      else add('deleted', seq, `entry ${seq} does not link to the entry before it: entries were removed`)
    }
    if (wanted.has(seq)) hashAt.set(seq, hash)
    flaggedPrevious = flagged
    prevPrev = prev
    prev = hash
    expected++
  }

  try {
    if (statSync(file).size === 0) throw Object.assign(new Error('the file is empty'), { code: 'EMPTY' })
    const gunzip = createGunzip()
    const source = createReadStream(file)
    source.on('error', (e) => gunzip.destroy(e))
    source.pipe(gunzip)
    const decoder = new StringDecoder('utf8')
    let rest = ''
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      rest += decoder.write(chunk)
      let nl = rest.indexOf('\n')
      while (nl >= 0) {
        if (pending !== null) onLine(pending)
        pending = rest.slice(0, nl)
        rest = rest.slice(nl + 1)
        nl = rest.indexOf('\n')
      }
      if (rest.length > MAX_LINE) throw new Error('a line is longer than any the console writes')
    }
    rest += decoder.end()
    if (rest.length > 0) {
      // Content after the last newline: the file was cut inside a line (or extended).
      if (pending !== null) onLine(pending)
      pending = null
      add('truncated', null, 'the archive ends in the middle of a line: it was truncated or altered')
    }
  } catch (e) {
    const err = e as NodeJS.ErrnoException
    if (err.code === 'ENOENT' || err.code === 'EISDIR' || err.code === 'EACCES') {
      add('unreadable', null, `${file} cannot be read (${err.code})`)
    } else if (err.code === 'Z_BUF_ERROR' || err.code === 'EMPTY') {
      if (pending !== null) onLine(pending)
      add('truncated', null, 'the archive was truncated: the compressed data ends early')
    } else {
      add('unreadable', null, `${file} is not an intact gzip archive (${err.message.split('\n')[0]})`)
    }
    return finish()
  }

  // The last line is the signature.
  if (pending !== null && lineNo >= 1) {
    try {
      const t = trailerSchema.safeParse(JSON.parse(pending))
      if (t.success) signature = t.data.signature
    } catch {
      // not a trailer
    }
    if (signature === null) onLine(pending) // an entry (or header) where the signature should be
  }
  if (problems.length === 0 && header === null)
    add('unreadable', null, `${file} is not an audit archive (no header)`)
  return finish()

  function finish(): ArchiveVerdict {
    const h = header as ArchiveHeader | null
    if (h) {
      try {
        verdict.keyFingerprint = keyFingerprint(h.publicKey)
      } catch {
        add('bad-signature', null, 'the public key in the archive is not a valid key')
      }
      if (!broken && problems.every((p) => p.kind !== 'truncated' && p.kind !== 'unreadable')) {
        if (signature === null) {
          add('truncated', null, 'the archive has no signature line: it was truncated')
        }
        if (expected - 1 < h.head.seq) {
          add(
            'truncated',
            expected,
            `the archive was truncated: it ends at entry ${expected - 1}, but its header names entry ${h.head.seq} as the head`,
          )
        } else if (expected - 1 > h.head.seq) {
          add('inserted', h.head.seq + 1, `the archive holds entries past its head (entry ${h.head.seq})`)
        } else if (prev !== h.head.hash) {
          add('replaced', h.head.seq, `entry ${h.head.seq} differs from the head the archive was cut at`)
        }
        if (verdict.entries !== h.entries && problems.length === 0)
          add('deleted', null, `the archive holds ${verdict.entries} entries, its header says ${h.entries}`)
      }
      if (verdict.keyFingerprint) {
        for (const c of h.checkpoints) {
          if (!verifyCheckpointSignature(h.publicKey, c.count, c.headHash, c.time, c.signature))
            add(
              'bad-signature',
              c.count,
              `the checkpoint at entry ${c.count} (${c.time}) has an invalid signature`,
            )
          else if (!broken && hashAt.has(c.count) && hashAt.get(c.count) !== c.headHash)
            add(
              'replaced',
              c.count,
              `entry ${c.count} differs from the one the checkpoint of ${c.time} signed`,
            )
        }
        const d = digest.digest()
        verdict.digest = d.toString('hex')
        if (signature !== null) {
          let good: boolean
          try {
            good = verify(null, d, createPublicKey(h.publicKey), Buffer.from(signature, 'base64'))
          } catch {
            good = false
          }
          if (!good)
            add(
              'bad-signature',
              null,
              'the archive signature does not match its contents: it was altered after it was written',
            )
        }
      }
    }
    problems.sort((a, b) => (a.seq ?? Number.MAX_SAFE_INTEGER) - (b.seq ?? Number.MAX_SAFE_INTEGER))
    verdict.ok = problems.length === 0
    return verdict
  }
}

/**
 * Several archives of one console, in order: each must start where the one before ended (its anchor is the
 * previous head), signed by the same key. Returns the problems (empty when they join).
 */
export function checkArchiveSequence(verdicts: readonly ArchiveVerdict[]): string[] {
  const sorted = [...verdicts].filter((v) => v.anchor && v.head).sort((a, b) => a.anchor!.seq - b.anchor!.seq)
  const out: string[] = []
  for (let i = 1; i < sorted.length; i++) {
    const a = sorted[i - 1]!
    const b = sorted[i]!
    if (b.anchor!.seq !== a.head!.seq || b.anchor!.hash !== a.head!.hash)
      out.push(
        `${b.file} does not continue ${a.file}: it starts after entry ${b.anchor!.seq}, the other ends at entry ${a.head!.seq}${b.anchor!.seq === a.head!.seq ? ' with another hash' : ''}`,
      )
    if (a.keyFingerprint !== b.keyFingerprint)
      out.push(`${a.file} and ${b.file} are signed by different keys`)
  }
  return out
}
