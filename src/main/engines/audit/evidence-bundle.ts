import { createHash, createPublicKey, verify } from 'node:crypto'
import { z } from 'zod'
import type { Db } from '../../db/connection'
import { DomainError } from '../../domain-error'
import { APP_VERSION } from '../../../shared/version'
import { chainHash, GENESIS_HASH, type AuditRow } from './audit-log'
import { verifyCheckpointSignature } from './checkpoint-signer'

const checkpoint = z.strictObject({
  count: z.number().int().nonnegative(),
  headHash: z.string().regex(/^[0-9a-f]{64}$/),
  time: z.string(),
  signature: z.string(),
})

const entry = z.strictObject({
  seq: z.number().int().positive(),
  time: z.string(),
  type: z.string(),
  actor: z.string().nullable(),
  client: z.string(),
  session: z.string().nullable(),
  action: z.string(),
  resource: z.string().nullable(),
  result: z.enum(['success', 'failure']),
  data_type: z.string().nullable(),
  risk: z.enum(['low', 'medium', 'high', 'critical']),
  details: z.string(),
  prev_hash: z.string(),
  hash: z.string(),
})

export const bundleSchema = z.strictObject({
  format: z.literal('qq-verse-evidence-bundle'),
  version: z.literal(1),
  createdAt: z.string(),
  console: z.string(),
  period: z.strictObject({
    from: z.string(),
    to: z.string(),
    firstSeq: z.number().int(),
    lastSeq: z.number().int(),
  }),
  publicKey: z.string(),
  /** The signed checkpoint the chain starts from (count 0 = the start of the log) and the one it reaches. */
  startCheckpoint: checkpoint,
  endCheckpoint: checkpoint,
  /** Every entry from startCheckpoint.count + 1 to endCheckpoint.count; the period's entries are among them. */
  entries: z.array(entry),
  report: z.unknown(),
  reportHtml: z.string(),
  /** Ed25519 over the SHA-256 of this document without its signature. */
  signature: z.string(),
})

export type EvidenceBundle = z.infer<typeof bundleSchema>
type Checkpoint = z.infer<typeof checkpoint>

/** A bundle holds at most this many entries (the period and the chain around it). */
export const MAX_BUNDLE_ENTRIES = 250_000

const digest = (b: Omit<EvidenceBundle, 'signature'>): Buffer =>
  createHash('sha256').update(JSON.stringify(b)).digest()

/** SHA-256 fingerprint of a public key, for comparing with the console's own (`qqsec audit key`). */
export const keyFingerprint = (publicKeyPem: string): string =>
  `SHA256:${createHash('sha256')
    .update(createPublicKey(publicKeyPem).export({ format: 'der', type: 'spki' }))
    .digest('base64')}`

export interface BundleInput {
  db: Db
  publicKey: string
  /** Ed25519 signature (base64) of a digest with the console's audit key. */
  sign: (digest: Buffer) => string
  from: string
  to: string
  report: unknown
  reportHtml: string
  createdAt: string
}

/**
 * An evidence bundle: the period's audit entries with enough of the chain around them to reach two signed
 * checkpoints, the compliance report, and the public key — signed as a whole. It verifies with no database.
 */
export function buildBundle(b: BundleInput): EvidenceBundle {
  const range = b.db
    .prepare(`SELECT min(seq) AS first, max(seq) AS last FROM audit_log WHERE time >= ? AND time < ?`)
    .get(b.from, b.to) as {
    first: number | null
    last: number | null
  }
  const first = range.first ?? 0
  const last = range.last ?? 0
  const cps = b.db
    .prepare(`SELECT count, head_hash AS headHash, time, signature FROM audit_checkpoints ORDER BY count`)
    .all() as Checkpoint[]
  const start = [...cps].reverse().find((c) => c.count < first) ?? {
    count: 0,
    headHash: GENESIS_HASH,
    time: '',
    signature: '',
  }
  const end = cps.find((c) => c.count >= last)
  if (!end)
    throw new DomainError('CONFLICT', 'No signed checkpoint covers the end of the period yet; try again.')
  if (end.count - start.count > MAX_BUNDLE_ENTRIES) {
    throw new DomainError(
      'INVALID_INPUT',
      `The period holds more than ${MAX_BUNDLE_ENTRIES.toLocaleString('en')} entries; choose a shorter one.`,
    )
  }
  const entries = b.db
    .prepare(`SELECT * FROM audit_log WHERE seq > ? AND seq <= ? ORDER BY seq`)
    .all(start.count, end.count) as AuditRow[]
  const unsigned: Omit<EvidenceBundle, 'signature'> = {
    format: 'qq-verse-evidence-bundle',
    version: 1,
    createdAt: b.createdAt,
    console: `QQ-Verse Security Console ${APP_VERSION}`,
    period: { from: b.from, to: b.to, firstSeq: first, lastSeq: last },
    publicKey: b.publicKey,
    startCheckpoint: start,
    endCheckpoint: end,
    entries,
    report: b.report,
    reportHtml: b.reportHtml,
  }
  return { ...unsigned, signature: b.sign(digest(unsigned)) }
}

export interface BundleVerdict {
  ok: boolean
  keyFingerprint: string | null
  periodEntries: number
  problems: string[]
}

/** Verify a bundle on its own: signature, checkpoints, the chain between them, and the period's completeness. */
export function verifyBundle(raw: unknown): BundleVerdict {
  const parsed = bundleSchema.safeParse(raw)
  if (!parsed.success) {
    const i = parsed.error.issues[0]
    return {
      ok: false,
      keyFingerprint: null,
      periodEntries: 0,
      problems: [`not an evidence bundle (${i?.path.join('.')}: ${i?.message})`],
    }
  }
  const b = parsed.data
  const problems: string[] = []
  let fingerprint: string | null = null
  try {
    fingerprint = keyFingerprint(b.publicKey)
  } catch {
    problems.push('the public key in the bundle is not a valid key')
  }
  const { signature, ...unsigned } = b
  if (
    fingerprint &&
    !verify(null, digest(unsigned), createPublicKey(b.publicKey), Buffer.from(signature, 'base64'))
  ) {
    problems.push('the bundle signature does not match its contents: it was altered after it was made')
  }
  for (const [name, c] of [
    ['start', b.startCheckpoint],
    ['end', b.endCheckpoint],
  ] as const) {
    if (c.count === 0 && name === 'start') continue
    if (!verifyCheckpointSignature(b.publicKey, c.count, c.headHash, c.time, c.signature))
      problems.push(`the ${name} checkpoint's signature is invalid`)
  }
  let prev = b.startCheckpoint.count === 0 ? GENESIS_HASH : b.startCheckpoint.headHash
  let expected = b.startCheckpoint.count + 1
  for (const e of b.entries) {
    if (e.seq !== expected) {
      problems.push(`entries ${expected}–${e.seq - 1} are missing from the chain`)
      break
    }
    const { seq: _s, hash, prev_hash, ...content } = e
    if (prev_hash !== prev) {
      problems.push(`entry ${e.seq} does not link to the entry before it`)
      break
    }
    if (chainHash(prev_hash, content) !== hash) {
      problems.push(`entry ${e.seq} was edited: its contents do not match its hash`)
      break
    }
    prev = hash
    expected++
  }
  if (
    problems.length === 0 &&
    (expected - 1 !== b.endCheckpoint.count || prev !== b.endCheckpoint.headHash)
  ) {
    problems.push(`the chain does not reach the end checkpoint (entry ${b.endCheckpoint.count})`)
  }
  const inPeriod = b.entries.filter((e) => e.time >= b.period.from && e.time < b.period.to)
  if (
    inPeriod.length &&
    (inPeriod[0]!.seq !== b.period.firstSeq || inPeriod.at(-1)!.seq !== b.period.lastSeq)
  ) {
    problems.push('the period named in the bundle does not match its entries')
  }
  return { ok: problems.length === 0, keyFingerprint: fingerprint, periodEntries: inPeriod.length, problems }
}
