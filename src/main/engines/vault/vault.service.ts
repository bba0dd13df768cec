import { randomUUID } from 'node:crypto'
import {
  closeSync,
  existsSync,
  fstatSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs'
import { basename, extname, join } from 'node:path'
import type { Db } from '../../db/connection'
import { DomainError } from '../../domain-error'
import { constantTimeEqual, deriveKey, hmacSha256, open, seal, sha256Hex } from '../../crypto/primitives'
import { iso, type Clock } from '../../platform/clock'
import type { AuditLog } from '../audit/audit-log'
import type { RbacService } from '../rbac/rbac.service'
import { throwIfCancelled } from '../jobs/job-runner'
import { decryptOpened, encrypt, headerHash, readHeader, rewrapHeader } from './age/age'
import { AgeError } from './age/errors'
import {
  AtomicFileSink,
  bufferSource,
  fdSource,
  prefixedSource,
  readFull,
  type ByteSink,
  type ByteSource,
} from './age/io'
import { parseRecipient } from './age/recipients'
import { MacSink, NpyToJsonSink, tappedSource } from './sinks'
import {
  AmplitudeScanner,
  checkNorm,
  npyHeader,
  parseEntanglements,
  parseNpyHeader,
  scaleAmplitudes,
  vectorFromJson,
  NORM_TOLERANCE,
  type ChartSummary,
  type Dtype,
  type Entanglement,
  type NpyHeader,
} from './state-format'
import { VaultKeys, type VaultKeyKind } from './vault-keys'
import { newOwner, ownerAlive, type Owner } from './owner-liveness'
import { VaultUploads, type StagedUpload, type UploadInfo, type UploadRemoval } from './vault-uploads'
import { fsyncDir } from '../../platform/atomic-write'
import { isWellFormed } from '../../platform/unicode'

export const CLASSIFICATIONS = ['public', 'internal', 'confidential', 'restricted'] as const
export type Classification = (typeof CLASSIFICATIONS)[number]

/** JSON imports are parsed whole; larger states come as .npy, which streams. */
export const MAX_JSON_BYTES = 256 * 1024 * 1024

export interface Actor {
  userId: string
  userName: string
  roles: readonly string[]
  client: string
}

export interface ImportOptions {
  name?: string
  classification?: Classification
  tags?: string[]
  labels?: Record<string, string>
  normalize?: boolean
  signal?: AbortSignal
  onProgress?: (done: number, total: number) => void
}

export type ImportSource =
  | { path: string }
  | { content: Buffer; fileName: string }
  /** A complete chunked upload from the UI, staged encrypted (see vault-uploads.ts). */
  | { upload: StagedUpload }

export interface StateSummary {
  id: string
  name: string
  qubits: number
  owner: string
  ownerId: string
  classification: Classification
  tags: string[]
  labels: Record<string, string>
  dtype: Dtype
  size: number
  fileSize: number
  createdAt: string
  updated: string
  lastVerification: { at: string; ok: boolean; problem: string | null } | null
}

export interface StateDetail extends StateSummary {
  chart: ChartSummary
  entanglements: Entanglement[]
  /** Checked now without decrypting: the properties MAC and the file's header hash. */
  integrity: { propertiesOk: boolean; fileOk: boolean; message: string | null }
  keyType: VaultKeyKind
}

export type VerifyProblem =
  | 'properties-edited'
  | 'file-missing'
  | 'file-swapped'
  | 'header-corrupted'
  | 'body-corrupted'
  | 'content-mismatch'

export interface VerifyResult {
  id: string
  name: string
  ok: boolean
  problem: VerifyProblem | null
  message: string | null
}

interface StateRow {
  id: string
  name: string
  qubits: number
  owner_id: string
  owner_name: string | null
  classification: Classification
  tags: string
  labels: string
  dtype: Dtype
  size: number
  file_size: number
  created_at: string
  updated_at: string
  identity_generation: number
  header_hash: string
  content_mac: string
  data_sealed: Uint8Array
  mac: string
  verified_at: string | null
  verified_ok: number | null
  verified_problem: string | null
}

interface SealedData {
  sourceId: string | null
  entanglements: Entanglement[]
  chart: ChartSummary
}

interface JournalRow {
  state_id: string
  generation: number
  old_header: Uint8Array
  new_header: Uint8Array
  temp_path: string | null
}

const ROW_SELECT = `SELECT s.*, u.name AS owner_name FROM vault_states s LEFT JOIN users u ON u.id = s.owner_id`
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
const COPY_BYTES = 1 << 20

/** meta row of the running key rotation (one per data dir, across processes). */
const ROTATION_LOCK = 'vault_rotation_lock'
/** meta rows of imports, exports, shares and verifications in progress: `vault_file_use:<op id>`. */
const FILE_USE = 'vault_file_use:'
/** The temporary file of an import (AtomicFileSink beside `<id>.age`). */
const IMPORT_TEMP =
  /^\.([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.age\.[0-9a-f]{12}\.tmp$/

interface LockValue extends Partial<Owner> {
  token?: string
  actor?: string
  startedAt?: string
  heartbeat?: number
  kind?: string
  stateId?: string | null
}

export interface RotationLock {
  /** Proof of life for a lock seen from another host; cheap, at most one write per 10 s. */
  heartbeat(): void
  release(): void
}

const notFound = (id: string): DomainError =>
  new DomainError('NOT_FOUND', `No vault state ${id}. Run \`qqsec vault list\` for the ids.`)

/**
 * The vault: quantum states encrypted at rest as age files (to the vault's own identity), their properties in
 * SQLite bound to each file by a MAC, and the operations on them. Every method checks the actor's ownership
 * (rbac.authorizeOwned) on top of the permission the pipeline checked, and records what happened.
 */
export class VaultService {
  readonly keys: VaultKeys
  readonly dir: string
  /** Chunked uploads from the UI, staged encrypted until imported. */
  readonly uploads: VaultUploads
  private readonly owner: Owner
  private readonly macKey: Uint8Array
  private readonly contentKey: Uint8Array
  private readonly dataKey: Uint8Array

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly rbac: RbacService,
    private readonly audit: AuditLog,
    masterKey: Uint8Array,
    dataDir: string,
  ) {
    this.keys = new VaultKeys(db, clock, masterKey)
    this.dir = join(dataDir, 'vault')
    this.macKey = deriveKey(masterKey, 'vault-properties')
    this.contentKey = deriveKey(masterKey, 'vault-content')
    this.dataKey = deriveKey(masterKey, 'vault-data')
    this.owner = newOwner()
    this.uploads = new VaultUploads(join(this.dir, 'uploads'), clock, this.owner)
    this.uploads.onRemoved = (u, why) => this.recordUploadRemoval(u, why)
    this.cleanUpAfterCrash()
  }

  private path(id: string): string {
    return join(this.dir, `${id}.age`)
  }

  // ---------- access ----------

  private authorize(
    actor: Actor,
    permission: 'quantum:read' | 'quantum:update' | 'quantum:delete',
    row: StateRow,
  ) {
    const d = this.rbac.authorizeOwned(actor, permission, row.owner_id)
    if (!d.allowed)
      throw new DomainError('FORBIDDEN', `You may not act on vault state ${row.id}: ${d.reason}.`)
  }

  private row(id: string): StateRow {
    if (!UUID.test(id)) throw notFound(id)
    const r = this.db.prepare(`${ROW_SELECT} WHERE s.id = ?`).get(id) as StateRow | undefined
    if (!r) throw notFound(id)
    return r
  }

  private record(
    actor: Actor,
    action: string,
    id: string | null,
    result: 'success' | 'failure',
    details: Record<string, unknown>,
    type: 'data_access' | 'key_management' = 'data_access',
  ): void {
    this.audit.record({
      type,
      actor: actor.userName,
      client: actor.client,
      action,
      resource: id ? `vault:${id}` : 'vault',
      result,
      risk: result === 'failure' ? 'medium' : 'low',
      details: { dataType: 'quantum', ...details },
    })
  }

  // ---------- operational safety: start-up cleanup, file use and the rotation lock ----------

  private readLock(key: string): LockValue | null {
    const row = this.db.prepare(`SELECT value FROM meta WHERE key = ?`).get(key) as
      { value: string } | undefined
    if (!row) return null
    try {
      return JSON.parse(row.value) as LockValue
    } catch {
      return {}
    }
  }

  private alive(v: LockValue): boolean {
    return ownerAlive(v, v.heartbeat ?? null, this.clock.now())
  }

  /** File uses of other live owners; stale ones (their process is gone) are deleted on the way. */
  private liveFileUses(): LockValue[] {
    const rows = this.db
      .prepare(`SELECT key, value FROM meta WHERE key >= ? AND key < ?`)
      .all(FILE_USE, `${FILE_USE}\uffff`) as { key: string; value: string }[]
    const live: LockValue[] = []
    for (const r of rows) {
      let v: LockValue = {}
      try {
        v = JSON.parse(r.value) as LockValue
      } catch {
        // unreadable: stale
      }
      if (this.alive(v)) live.push(v)
      else this.db.prepare(`DELETE FROM meta WHERE key = ?`).run(r.key)
    }
    return live
  }

  /**
   * Start-up: what a killed process left behind. Staged uploads of processes that no longer run; temporary files
   * of imports that never committed (unless another live process is importing that very state); stale file-use
   * rows. Files the rotation journal names (`.<id>.rotate.tmp`) are never touched here: resuming the rotation
   * needs them, and `rotate-keys` cleans up the rest itself.
   */
  private cleanUpAfterCrash(): void {
    const uploads = this.uploads.removeStale()
    let names: string[] = []
    try {
      names = readdirSync(this.dir)
    } catch {
      // no vault folder yet
    }
    const temps = names.filter((f) => IMPORT_TEMP.test(f))
    let imports = 0
    if (temps.length > 0)
      imports = this.db
        .transaction(() => {
          const importing = new Set(
            this.liveFileUses()
              .filter((v) => v.kind === 'import')
              .map((v) => v.stateId),
          )
          const journaled = new Set(
            (
              this.db
                .prepare(`SELECT temp_path FROM vault_rotation_journal WHERE temp_path IS NOT NULL`)
                .all() as { temp_path: string }[]
            ).map((j) => j.temp_path),
          )
          let n = 0
          for (const f of temps) {
            const id = IMPORT_TEMP.exec(f)![1]
            if (importing.has(id) || journaled.has(join(this.dir, f))) continue
            try {
              unlinkSync(join(this.dir, f))
              n++
            } catch {
              // removed by another start-up at the same moment
            }
          }
          return n
        })
        .immediate()
    if (uploads + imports > 0)
      this.audit.record({
        type: 'system',
        actor: null,
        client: 'system',
        action: 'vault.cleanup',
        resource: 'vault',
        result: 'success',
        risk: 'low',
        details: { stagedUploadsRemoved: uploads, importTempFilesRemoved: imports },
      })
  }

  private recordUploadRemoval(u: UploadInfo, why: UploadRemoval): void {
    // the calls that did it (an abort, an import, a chunk that could not be staged) are audited by the pipeline
    if (why === 'aborted' || why === 'imported' || why === 'failed') return
    this.audit.record({
      type: 'data_access',
      actor: u.userName,
      client: 'system',
      action: why === 'expired' ? 'vault.upload.expired' : 'vault.upload.sessionEnded',
      resource: `vault-upload:${u.uploadId}`,
      result: 'success',
      risk: 'low',
      details: { dataType: 'quantum', fileName: u.fileName, size: u.size, received: u.received },
    })
  }

  /** Refuse when a key rotation is running (this process or another). */
  private assertNotRotating(what: string): void {
    const lock = this.readLock(ROTATION_LOCK)
    if (lock && this.alive(lock))
      throw new DomainError(
        'CONFLICT',
        `A vault key rotation is running (started ${lock.startedAt ?? 'earlier'}${lock.actor ? ` by ${lock.actor}` : ''}); ${what} when it has finished.`,
      )
  }

  /**
   * Imports, exports, shares and verifications read or write vault files and headers: each is registered for its
   * duration (a meta row, visible to other processes on the data dir), and refused while a rotation runs.
   */
  private beginFileUse(kind: 'import' | 'export' | 'share' | 'verify', stateId: string | null): () => void {
    const key = `${FILE_USE}${randomUUID()}`
    const what = { import: 'import', export: 'export', share: 'share', verify: 'verify' }[kind]
    this.db
      .transaction(() => {
        this.assertNotRotating(`${what} again`)
        const v: LockValue = {
          ...this.owner,
          kind,
          stateId,
          startedAt: iso(this.clock.now()),
          heartbeat: this.clock.now(),
        }
        this.db.prepare(`INSERT INTO meta (key, value) VALUES (?, ?)`).run(key, JSON.stringify(v))
      })
      .immediate()
    return () => {
      try {
        this.db.prepare(`DELETE FROM meta WHERE key = ?`).run(key)
      } catch {
        // the database closed: the row is stale now and goes at the next start-up
      }
    }
  }

  private async withFileUse<T>(
    kind: 'import' | 'export' | 'share' | 'verify',
    stateId: string | null,
    fn: () => Promise<T>,
  ): Promise<T> {
    const end = this.beginFileUse(kind, stateId)
    try {
      return await fn()
    } finally {
      end()
    }
  }

  /**
   * The one key rotation of the data dir: refused (CONFLICT) while another rotation runs in this or another
   * process, or while an import, export, share or verification is using vault files. A lock left by a process
   * that was killed is taken over.
   */
  lockRotation(actor: Actor): RotationLock {
    const token = randomUUID()
    this.db
      .transaction(() => {
        const held = this.readLock(ROTATION_LOCK)
        if (held && this.alive(held))
          throw new DomainError(
            'CONFLICT',
            `A key rotation is already running (started ${held.startedAt ?? 'earlier'}${held.actor ? ` by ${held.actor}` : ''}); wait for it or cancel it.`,
          )
        const uses = this.liveFileUses()
        if (uses.length > 0)
          throw new DomainError(
            'CONFLICT',
            `${uses.length === 1 ? `An ${uses[0]!.kind ?? 'operation'} is` : `${uses.length} imports, exports, shares or verifications are`} using vault files right now; rotate the keys when ${uses.length === 1 ? 'it has' : 'they have'} finished.`,
          )
        const v: LockValue = {
          ...this.owner,
          token,
          actor: actor.userName,
          startedAt: iso(this.clock.now()),
          heartbeat: this.clock.now(),
        }
        this.db
          .prepare(
            `INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`,
          )
          .run(ROTATION_LOCK, JSON.stringify(v))
      })
      .immediate()
    let beat = this.clock.now()
    let released = false
    const mine = `SELECT value FROM meta WHERE key = ? AND json_extract(value, '$.token') = ?`
    return {
      heartbeat: () => {
        const now = this.clock.now()
        if (released || now - beat < 10_000) return
        beat = now
        const row = this.db.prepare(mine).get(ROTATION_LOCK, token) as { value: string } | undefined
        if (row)
          this.db
            .prepare(`UPDATE meta SET value = json_set(value, '$.heartbeat', ?) WHERE key = ?`)
            .run(now, ROTATION_LOCK)
      },
      release: () => {
        if (released) return
        released = true
        try {
          this.db
            .prepare(`DELETE FROM meta WHERE key = ? AND json_extract(value, '$.token') = ?`)
            .run(ROTATION_LOCK, token)
        } catch {
          // the database closed: the lock is stale now and is taken over by the next rotation
        }
      },
    }
  }

  // ---------- MAC ----------

  private macOf(
    r: Omit<StateRow, 'owner_name' | 'mac' | 'verified_at' | 'verified_ok' | 'verified_problem'>,
  ): string {
    const input = JSON.stringify([
      'qqsec-vault/v1',
      r.id,
      r.name,
      r.qubits,
      r.owner_id,
      r.classification,
      r.tags,
      r.labels,
      r.dtype,
      r.size,
      r.file_size,
      r.created_at,
      r.updated_at,
      r.identity_generation,
      r.header_hash,
      r.content_mac,
      sha256Hex(r.data_sealed),
    ])
    return hmacSha256(this.macKey, input).toString('hex')
  }

  private macOk(r: StateRow): boolean {
    return constantTimeEqual(Buffer.from(this.macOf(r), 'hex'), Buffer.from(r.mac, 'hex'))
  }

  private sealedData(r: StateRow): SealedData {
    try {
      return JSON.parse(
        new TextDecoder().decode(open(this.dataKey, r.data_sealed, `vault-data:${r.id}`)),
      ) as SealedData
    } catch {
      throw new DomainError(
        'CONFLICT',
        `The stored data of vault state ${r.id} does not open: its database row was edited or swapped. Run \`qqsec vault verify ${r.id}\`.`,
      )
    }
  }

  // ---------- import ----------

  /** Validate and encrypt a state; nothing is stored unless every check passes. */
  async importState(actor: Actor, source: ImportSource, opts: ImportOptions = {}): Promise<StateSummary> {
    const id = randomUUID()
    return this.withFileUse('import', id, () => this.importAs(id, actor, source, opts))
  }

  private async importAs(
    id: string,
    actor: Actor,
    source: ImportSource,
    opts: ImportOptions,
  ): Promise<StateSummary> {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 })
    const fileName =
      'path' in source ? source.path : 'upload' in source ? source.upload.fileName : source.fileName
    let fd: number | null = null
    try {
      let head: Buffer
      let total: number
      if ('path' in source) {
        try {
          fd = openSync(source.path, 'r')
        } catch (e) {
          throw new DomainError(
            'INVALID_INPUT',
            `Cannot open ${source.path} (${(e as NodeJS.ErrnoException).code ?? 'error'}): check the path and its permissions.`,
          )
        }
        total = fstatSync(fd).size
        head = Buffer.alloc(Math.min(total, 65536 + 12))
        readFull(fdSource(fd), head, 0, head.length)
      } else if ('upload' in source) {
        total = source.upload.size
        head = Buffer.alloc(Math.min(total, 65536 + 12))
        readFull(source.upload.open(), head, 0, head.length)
      } else {
        head = source.content.subarray(0, 65536 + 12)
        total = source.content.length
      }
      const isNpy = head.length >= 6 && head[0] === 0x93 && head.subarray(1, 6).toString('latin1') === 'NUMPY'
      let header: NpyHeader
      let headerBytes: Buffer
      let sources: () => ByteSource
      let sourceId: string | null = null
      let entanglements: Entanglement[] = []
      let props: {
        name?: string
        classification?: string
        tags?: string[]
        labels?: Record<string, string>
      } = {}
      if (isNpy) {
        header = parseNpyHeader(head)
        const expected = header.headerBytes + header.length * header.itemBytes
        if (total !== expected)
          throw new DomainError(
            'INVALID_INPUT',
            `${basename(fileName)} is ${total} bytes but its header announces ${expected} (${header.length} amplitudes): it is ${total < expected ? 'truncated' : 'followed by extra data'}.`,
          )
        headerBytes = Buffer.from(head.subarray(0, header.headerBytes))
        const content = 'content' in source ? source.content : null
        const fdNow = fd
        const staged = 'upload' in source ? source.upload : null
        sources = () => {
          if (content) return bufferSource(content.subarray(header.headerBytes))
          if (staged) {
            const r = staged.open()
            const skip = Buffer.alloc(header.headerBytes)
            readFull(r, skip, 0, skip.length)
            return r
          }
          let pos = header.headerBytes
          return {
            read: (buf, off, len) => {
              const n = readSync(fdNow!, buf, off, len, pos)
              pos += n
              return n
            },
          }
        }
      } else {
        if (total > MAX_JSON_BYTES)
          throw new DomainError(
            'INVALID_INPUT',
            `${basename(fileName)} is a ${Math.round(total / 2 ** 20)} MiB JSON file; JSON imports are limited to 256 MiB. Save large states as .npy (np.save), which streams.`,
          )
        const text = (
          'content' in source
            ? source.content
            : 'upload' in source
              ? readAll(source.upload.open(), total)
              : readFileSync(source.path)
        ).toString('utf8')
        let doc: unknown
        try {
          doc = JSON.parse(text)
        } catch (e) {
          throw new DomainError(
            'INVALID_INPUT',
            `${basename(fileName)} is neither a NumPy .npy file nor valid JSON (${(e as Error).message}).`,
          )
        }
        if (!doc || typeof doc !== 'object' || Array.isArray(doc) || !('vector' in doc))
          throw new DomainError(
            'INVALID_INPUT',
            'The JSON must be an object { id?, properties, vector, entanglements } with the amplitudes in "vector".',
          )
        const o = doc as { id?: unknown; properties?: unknown; vector: unknown; entanglements?: unknown }
        const vector = vectorFromJson(o.vector)
        headerBytes = npyHeader('<c16', vector.length / 16)
        header = parseNpyHeader(headerBytes)
        props = parseJsonProperties(o.properties, header.qubits)
        entanglements = parseEntanglements(o.entanglements, header.qubits)
        if (o.id !== undefined) {
          if (typeof o.id !== 'string' || o.id.length === 0 || o.id.length > 200)
            throw new DomainError(
              'INVALID_INPUT',
              '"id" must be a non-empty string of at most 200 characters.',
            )
          sourceId = o.id
        }
        total = headerBytes.length + vector.length
        sources = () => bufferSource(vector)
      }
      const name = (opts.name ?? props.name ?? basename(fileName, extname(fileName))).trim()
      // Stored as UTF-8 and MAC'd before: a lone surrogate would read back altered and fail verification.
      if (!isWellFormed(name))
        throw new DomainError(
          'INVALID_INPUT',
          'The state’s name is not valid Unicode text (it holds a lone surrogate); give a name with --name.',
        )
      if (name.length === 0 || name.length > 200)
        throw new DomainError('INVALID_INPUT', 'The state name must be 1 to 200 characters.')
      const classification = parseClassification(opts.classification ?? props.classification ?? 'internal')
      const tags = [...new Set([...(props.tags ?? []), ...(opts.tags ?? [])])]
      for (const t of tags)
        if (t.length === 0 || t.length > 64)
          throw new DomainError('INVALID_INPUT', 'A tag is 1 to 64 characters.')
      const labels = { ...(props.labels ?? {}), ...(opts.labels ?? {}) }

      // Pass 1: validate while encrypting to a temporary file. With --normalize and a norm off 1, pass 2 scales.
      const identity = this.keys.current()
      let pass = await this.encryptPass(id, header, headerBytes, sources(), null, total, opts)
      checkNorm(pass.chart.norm, opts.normalize ?? false)
      if (Math.abs(pass.chart.norm - 1) > NORM_TOLERANCE) {
        pass.sink.abort()
        const factor = 1 / Math.sqrt(pass.chart.norm)
        const first = pass.sourceHash
        // a canonical (64-byte aligned) header, so that reads stay aligned to whole amplitudes for scaling
        pass = await this.encryptPass(
          id,
          header,
          npyHeader(header.dtype, header.length),
          sources(),
          factor,
          total,
          opts,
        )
        if (pass.sourceHash !== first) {
          pass.sink.abort()
          throw new DomainError(
            'CONFLICT',
            `${basename(fileName)} changed while it was being imported. Import it again.`,
          )
        }
      }
      const sealedData: SealedData = { sourceId, entanglements, chart: pass.chart }
      const now = iso(this.clock.now())
      const base = {
        id,
        name,
        qubits: header.qubits,
        owner_id: actor.userId,
        classification,
        tags: JSON.stringify(tags),
        labels: JSON.stringify(labels),
        dtype: header.dtype,
        size: pass.size,
        file_size: pass.fileSize,
        created_at: now,
        updated_at: now,
        identity_generation: identity.generation,
        header_hash: pass.headerHash,
        content_mac: pass.contentMac,
        data_sealed: seal(
          this.dataKey,
          new TextEncoder().encode(JSON.stringify(sealedData)),
          `vault-data:${id}`,
        ),
      }
      try {
        this.db
          .transaction(() => {
            const alive = this.db
              .prepare(`SELECT 1 FROM vault_identities WHERE generation = ?`)
              .get(identity.generation)
            if (!alive)
              throw new DomainError(
                'CONFLICT',
                'A vault key rotation finished during this import. Import the file again.',
              )
            this.db
              .prepare(
                `INSERT INTO vault_states (id, name, qubits, owner_id, classification, tags, labels, dtype, size,
                   file_size, created_at, updated_at, identity_generation, header_hash, content_mac, data_sealed, mac)
                 VALUES (@id, @name, @qubits, @owner_id, @classification, @tags, @labels, @dtype, @size, @file_size,
                   @created_at, @updated_at, @identity_generation, @header_hash, @content_mac, @data_sealed, @mac)`,
              )
              .run({ ...base, mac: this.macOf(base) })
            pass.sink.commit()
          })
          .immediate()
      } catch (e) {
        pass.sink.abort()
        throw e
      }
      this.record(actor, 'vault.import.stored', id, 'success', {
        qubits: header.qubits,
        size: pass.size,
        dtype: header.dtype,
        keyType: identity.kind,
        normalized: pass.scaled,
      })
      return this.summary(this.row(id))
    } finally {
      if (fd !== null) closeSync(fd)
    }
  }

  private async encryptPass(
    id: string,
    header: NpyHeader,
    headerBytes: Buffer,
    data: ByteSource,
    scale: number | null,
    total: number,
    opts: ImportOptions,
  ) {
    const scanner = new AmplitudeScanner(header)
    const contentMac = new MacSink(this.contentKey, null)
    const sourceHash = new MacSink(new Uint8Array(32), null)
    const hb = headerBytes.length
    let seen = 0
    const tapped = tappedSource(prefixedSource(headerBytes, data), (b) => {
      if (seen >= hb) sourceHash.write([b])
      const inHeader = Math.max(0, Math.min(b.length, hb - seen))
      seen += b.length
      const data = b.subarray(inHeader)
      if (data.length > 0) {
        if (scale !== null) {
          // scaling needs whole amplitudes: the stream is cut at multiples of the item size after the header
          scaleAmplitudes(data, header, scale)
        }
        scanner.feed(data)
      }
      contentMac.write([b])
    })
    // When scaling, read whole amplitudes after the header so none is split between two reads (the header is
    // then canonical, a multiple of 64 bytes, and the encryptor asks for multiples of 64 KiB after it).
    const aligned: ByteSource =
      scale === null
        ? tapped
        : {
            read(buf, off, len) {
              const inHeader = Math.max(0, hb - seen)
              const want = inHeader > 0 ? Math.min(len, inHeader) : len - (len % header.itemBytes)
              return readFull(tapped, buf, off, want)
            },
          }
    const sink = new AtomicFileSink(this.path(id))
    try {
      const identity = this.keys.current()
      const res = await encrypt([identity.recipient], aligned, sink, {
        onProgress: (done) => {
          if (opts.signal) throwIfCancelled(opts.signal)
          opts.onProgress?.(done, total)
        },
      })
      const chart = scanner.finish()
      const fileSize = statSync(sink.tmpPath).size
      return {
        size: contentMac.bytes,
        sink,
        chart,
        contentMac: contentMac.digest(),
        sourceHash: sourceHash.digest(),
        headerHash: headerHash(res.header),
        fileSize,
        scaled: scale !== null,
      }
    } catch (e) {
      sink.abort()
      throw e
    }
  }

  // ---------- read ----------

  private summary(r: StateRow): StateSummary {
    return {
      id: r.id,
      name: r.name,
      qubits: r.qubits,
      owner: r.owner_name ?? r.owner_id,
      ownerId: r.owner_id,
      classification: r.classification,
      tags: JSON.parse(r.tags) as string[],
      labels: JSON.parse(r.labels) as Record<string, string>,
      dtype: r.dtype,
      size: r.size,
      fileSize: r.file_size,
      createdAt: r.created_at,
      updated: r.updated_at,
      lastVerification:
        r.verified_at === null
          ? null
          : { at: r.verified_at, ok: r.verified_ok === 1, problem: r.verified_problem },
    }
  }

  /** States the actor may read, newest first; `search` matches name, id, classification, tags and labels. */
  list(actor: Actor, search?: string): StateSummary[] {
    const rows = (
      search
        ? this.db
            .prepare(
              `${ROW_SELECT} WHERE s.name LIKE @q ESCAPE '\\' OR s.id LIKE @q ESCAPE '\\' OR s.classification LIKE @q ESCAPE '\\'
                 OR s.tags LIKE @q ESCAPE '\\' OR s.labels LIKE @q ESCAPE '\\' OR u.name LIKE @q ESCAPE '\\'
               ORDER BY s.updated_at DESC, s.id`,
            )
            .all({ q: `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%` })
        : this.db.prepare(`${ROW_SELECT} ORDER BY s.updated_at DESC, s.id`).all()
    ) as StateRow[]
    return rows
      .filter((r) => this.rbac.authorizeOwned(actor, 'quantum:read', r.owner_id).allowed)
      .map((r) => this.summary(r))
  }

  get(actor: Actor, id: string): StateDetail {
    const r = this.row(id)
    this.authorize(actor, 'quantum:read', r)
    const propertiesOk = this.macOk(r)
    let fileOk = false
    let message: string | null = null
    if (!propertiesOk)
      message = 'The properties were edited or swapped in the database (their MAC does not match).'
    else {
      try {
        fileOk = this.fileHeaderHash(r.id) === r.header_hash
        if (!fileOk)
          message = 'The stored file is not the one these properties belong to (swapped or replaced).'
      } catch (e) {
        message = e instanceof Error ? e.message : String(e)
      }
    }
    const data = propertiesOk ? this.sealedData(r) : null
    return {
      ...this.summary(r),
      chart: data?.chart ?? { top: [], rest: 0, norm: 0, nonZero: 0 },
      entanglements: data?.entanglements ?? [],
      integrity: { propertiesOk, fileOk, message },
      keyType: this.keys.byGeneration(r.identity_generation).kind,
    }
  }

  private fileHeaderHash(id: string): string {
    const fd = openFile(this.path(id))
    try {
      return headerHash(readHeader(fdSource(fd)).raw)
    } finally {
      closeSync(fd)
    }
  }

  // ---------- decrypt ----------

  /** Decrypt a state into `sink` after checking its binding; throws a DomainError naming what is wrong. */
  private async decryptTo(r: StateRow, sink: ByteSink, onProgress?: (done: number) => void): Promise<void> {
    const problem = await this.check(r, sink, onProgress)
    if (problem) throw new DomainError('CONFLICT', `${problem.message} Nothing was written.`)
  }

  private async check(
    r: StateRow,
    sink: ByteSink | null,
    onProgress?: (done: number) => void,
  ): Promise<{ problem: VerifyProblem; message: string } | null> {
    if (!this.macOk(r))
      return {
        problem: 'properties-edited',
        message: `The properties of vault state ${r.id} were edited or swapped in the database (MAC mismatch).`,
      }
    const path = this.path(r.id)
    if (!existsSync(path))
      return { problem: 'file-missing', message: `The file of vault state ${r.id} is missing.` }
    const fd = openFile(path)
    try {
      let opened
      try {
        opened = readHeader(fdSource(fd))
      } catch (e) {
        return {
          problem: 'header-corrupted',
          message: `The age header of ${r.id} is damaged: ${(e as Error).message}`,
        }
      }
      const identity = this.keys.byGeneration(r.identity_generation)
      const hashMatches = headerHash(opened.raw) === r.header_hash
      const mac = new MacSink(this.contentKey, sink)
      try {
        await decryptOpened(opened, [identity.identity], mac, {
          onProgress: (n) => onProgress?.(n),
        })
      } catch (e) {
        if (!(e instanceof AgeError)) throw e
        if (e.kind === 'no-match' || (!hashMatches && e.kind !== 'payload'))
          return {
            problem: hashMatches ? 'header-corrupted' : 'file-swapped',
            message: hashMatches
              ? `The age header of ${r.id} is damaged: ${e.message}`
              : `The file of vault state ${r.id} was swapped or replaced: it is not the file its properties were stored with.`,
          }
        if (e.kind === 'payload')
          return {
            problem: hashMatches ? 'body-corrupted' : 'file-swapped',
            message: hashMatches
              ? `The encrypted body of ${r.id} is corrupted: ${e.message}`
              : `The file of vault state ${r.id} was swapped or replaced (header and body differ from the stored ones).`,
          }
        return { problem: 'header-corrupted', message: `The age header of ${r.id} is damaged: ${e.message}` }
      }
      if (!hashMatches)
        return {
          problem: 'file-swapped',
          message: `The file of vault state ${r.id} was swapped or replaced: its header is not the one its properties were stored with.`,
        }
      if (
        !constantTimeEqual(Buffer.from(mac.digest(), 'hex'), Buffer.from(r.content_mac, 'hex')) ||
        mac.bytes !== r.size
      )
        return {
          problem: 'content-mismatch',
          message: `The decrypted content of ${r.id} is not the imported state (another file was put in its place).`,
        }
      return null
    } finally {
      closeSync(fd)
    }
  }

  /** Decrypt to `out` (.npy as imported, or the reference JSON); the file appears only after full authentication. */
  async exportTo(
    actor: Actor,
    id: string,
    out: string,
    format: 'npy' | 'json',
    onProgress?: (done: number) => void,
  ): Promise<{ bytes: number }> {
    const r = this.row(id)
    this.authorize(actor, 'quantum:read', r)
    const end = this.beginFileUse('export', id)
    let file: AtomicFileSink
    try {
      file = new AtomicFileSink(out, 0o600)
    } catch (e) {
      end()
      throw e
    }
    try {
      if (format === 'npy') await this.decryptTo(r, file, onProgress)
      else {
        const j = this.jsonSink(r, file)
        await this.decryptTo(r, j, onProgress)
        j.end()
      }
      file.commit()
    } catch (e) {
      file.abort()
      this.record(actor, 'vault.export', id, 'failure', { format, error: (e as Error).message })
      throw e
    } finally {
      end()
    }
    const bytes = statSync(out).size
    this.record(actor, 'vault.export', id, 'success', { format, bytes })
    return { bytes }
  }

  /** Small states for the UI and browser mode: the exported bytes in memory (at most `limit`). */
  async exportContent(actor: Actor, id: string, format: 'npy' | 'json', limit: number): Promise<Buffer> {
    const r = this.row(id)
    this.authorize(actor, 'quantum:read', r)
    const estimate = format === 'npy' ? r.size : r.size * 3
    if (estimate > limit)
      throw new DomainError(
        'INVALID_INPUT',
        `Vault state ${id} is too large to return in the response (${r.size} bytes); export it to a file path instead.`,
      )
    const mem: Buffer[] = []
    const sink: ByteSink = { write: (bufs) => bufs.forEach((b) => mem.push(Buffer.from(b))) }
    await this.withFileUse('export', id, async () => {
      if (format === 'npy') await this.decryptTo(r, sink)
      else {
        const j = this.jsonSink(r, sink)
        await this.decryptTo(r, j)
        j.end()
      }
    })
    this.record(actor, 'vault.export', id, 'success', {
      format,
      bytes: mem.reduce((s, b) => s + b.length, 0),
    })
    return Buffer.concat(mem)
  }

  private jsonSink(r: StateRow, inner: ByteSink): NpyToJsonSink {
    const data = this.sealedData(r)
    const properties = {
      name: r.name,
      qubits: r.qubits,
      classification: r.classification,
      tags: JSON.parse(r.tags) as string[],
      labels: JSON.parse(r.labels) as Record<string, string>,
    }
    const head = `{"id":${JSON.stringify(data.sourceId ?? r.id)},"properties":${JSON.stringify(properties)},"entanglements":${JSON.stringify(data.entanglements)},"vector":[`
    return new NpyToJsonSink(inner, head, '\n]}\n')
  }

  /**
   * A standalone age file for people outside the console: the state is checked in full first, then the file key
   * is wrapped to the given recipients (X25519 `age1…` or post-quantum `age1pq1…`) and the payload copied.
   */
  async share(actor: Actor, id: string, recipients: string[], out: string): Promise<{ bytes: number }> {
    const file = new AtomicFileSink(out, 0o644)
    try {
      await this.shareTo(actor, id, recipients, file)
      file.commit()
    } catch (e) {
      file.abort()
      throw e
    }
    const bytes = statSync(out).size
    this.record(actor, 'vault.share', id, 'success', { recipientCount: recipients.length, bytes })
    return { bytes }
  }

  /** The shared age file in memory, for small states (UI, browser mode). */
  async shareContent(actor: Actor, id: string, recipients: string[], limit: number): Promise<Buffer> {
    const r = this.row(id)
    this.authorize(actor, 'quantum:read', r)
    if (r.file_size > limit + 4096)
      throw new DomainError(
        'INVALID_INPUT',
        `Vault state ${id} is too large to return in the response (${r.file_size} bytes); share it to a file path instead.`,
      )
    const mem: Buffer[] = []
    await this.shareTo(actor, id, recipients, {
      write: (bufs) => bufs.forEach((b) => mem.push(Buffer.from(b))),
    })
    const out = Buffer.concat(mem)
    this.record(actor, 'vault.share', id, 'success', { recipientCount: recipients.length, bytes: out.length })
    return out
  }

  private async shareTo(actor: Actor, id: string, recipients: string[], sink: ByteSink): Promise<void> {
    return this.withFileUse('share', id, () => this.shareNow(actor, id, recipients, sink))
  }

  private async shareNow(actor: Actor, id: string, recipients: string[], sink: ByteSink): Promise<void> {
    const r = this.row(id)
    this.authorize(actor, 'quantum:read', r)
    if (recipients.length === 0)
      throw new DomainError('INVALID_INPUT', 'Give at least one recipient (age1… or age1pq1…).')
    const parsed = recipients.map((t) => {
      try {
        return parseRecipient(t)
      } catch (e) {
        throw new DomainError('INVALID_INPUT', `Recipient ${t.slice(0, 24)}…: ${(e as Error).message}`)
      }
    })
    // the whole state is authenticated before anything leaves the vault
    await this.decryptTo(r, { write: () => undefined })
    const fd = openFile(this.path(id))
    try {
      const opened = readHeader(fdSource(fd))
      const identity = this.keys.byGeneration(r.identity_generation)
      sink.write([rewrapHeader(opened.header, [identity.identity], parsed)])
      const buf = Buffer.allocUnsafe(COPY_BYTES)
      for (;;) {
        const n = readFull(opened.payload, buf, 0, buf.length)
        if (n === 0) break
        sink.write([buf.subarray(0, n)])
      }
    } finally {
      closeSync(fd)
    }
  }

  // ---------- verify ----------

  async verify(
    actor: Actor,
    ids: string[] | null,
    opts: { signal?: AbortSignal; onProgress?: (done: number, total: number, current: string) => void } = {},
  ): Promise<VerifyResult[]> {
    const rows = ids
      ? ids.map((i) => this.row(i))
      : (this.db.prepare(`${ROW_SELECT} ORDER BY s.created_at, s.id`).all() as StateRow[]).filter(
          (r) => this.rbac.authorizeOwned(actor, 'quantum:read', r.owner_id).allowed,
        )
    for (const r of rows) this.authorize(actor, 'quantum:read', r)
    return this.withFileUse('verify', null, () => this.verifyRows(actor, rows, opts))
  }

  private async verifyRows(
    actor: Actor,
    rows: StateRow[],
    opts: { signal?: AbortSignal; onProgress?: (done: number, total: number, current: string) => void },
  ): Promise<VerifyResult[]> {
    const results: VerifyResult[] = []
    let i = 0
    for (const r of rows) {
      if (opts.signal) throwIfCancelled(opts.signal)
      opts.onProgress?.(i++, rows.length, r.name)
      const p = await this.check(r, null)
      results.push({
        id: r.id,
        name: r.name,
        ok: p === null,
        problem: p?.problem ?? null,
        message: p?.message ?? null,
      })
      this.db
        .prepare(
          `UPDATE vault_states SET verified_at = ?, verified_ok = ?, verified_problem = ? WHERE id = ?`,
        )
        .run(iso(this.clock.now()), p ? 0 : 1, p?.problem ?? null, r.id)
      if (p) this.record(actor, 'vault.verify.problem', r.id, 'failure', { problem: p.problem })
    }
    opts.onProgress?.(rows.length, rows.length, '')
    return results
  }

  // ---------- delete ----------

  delete(actor: Actor, id: string): void {
    const r = this.row(id)
    this.authorize(actor, 'quantum:delete', r)
    this.db
      .transaction(() => {
        this.db.prepare(`DELETE FROM vault_rotation_journal WHERE state_id = ?`).run(id)
        this.db.prepare(`DELETE FROM vault_states WHERE id = ?`).run(id)
      })
      .immediate()
    try {
      unlinkSync(this.path(id))
      fsyncDir(this.dir)
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e
    }
    this.record(actor, 'vault.delete', id, 'success', { name: r.name, qubits: r.qubits })
  }

  // ---------- key rotation ----------

  /**
   * A new vault identity; every file's header is rewrapped to it (payloads untouched), then the old identity is
   * destroyed. Crash-safe and resumable: a same-length header is rewritten in place after its old and new bytes
   * are journaled (redo on restart); a different-length one goes through a temporary file, fsync and rename.
   */
  /** Rotation rewraps every owner's files: quantum:update and a role that may act on others' resources. */
  assertMayRotate(actor: Actor): void {
    const d = this.rbac.authorizeOwned(actor, 'quantum:update', '\u0000vault')
    if (!d.allowed)
      throw new DomainError('FORBIDDEN', `Rotating the vault keys rewraps every owner's files: ${d.reason}.`)
  }

  async rotateKeys(
    actor: Actor,
    opts: {
      kind?: VaultKeyKind
      signal?: AbortSignal
      onProgress?: (done: number, total: number) => void
      /** Taken by the caller already (the handler takes it before starting the job); otherwise taken here. */
      lock?: RotationLock
    } = {},
  ): Promise<{ rotated: number; resumed: number; generation: number; keyType: VaultKeyKind }> {
    this.assertMayRotate(actor)
    const lock = opts.lock ?? this.lockRotation(actor)
    try {
      return await this.rotateLocked(actor, lock, opts)
    } finally {
      lock.release()
    }
  }

  private async rotateLocked(
    actor: Actor,
    lock: RotationLock,
    opts: { kind?: VaultKeyKind; signal?: AbortSignal; onProgress?: (done: number, total: number) => void },
  ): Promise<{ rotated: number; resumed: number; generation: number; keyType: VaultKeyKind }> {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 })
    const resumed = this.recoverJournal()
    const current = this.keys.current()
    const next = this.keys.next() ?? this.keys.createNext(opts.kind ?? current.kind)
    const pendingCount = (): number =>
      (
        this.db
          .prepare(`SELECT count(*) AS n FROM vault_states WHERE identity_generation <> ?`)
          .get(next.generation) as { n: number }
      ).n
    const total = pendingCount()
    let done = 0
    this.record(
      actor,
      'vault.rotateKeys.started',
      null,
      'success',
      { files: total, generation: next.generation, resumed },
      'key_management',
    )
    for (;;) {
      const batch = this.db
        .prepare(`${ROW_SELECT} WHERE s.identity_generation <> ? ORDER BY s.id LIMIT 100`)
        .all(next.generation) as StateRow[]
      if (batch.length === 0) {
        const finished = this.db
          .transaction(() => {
            if (pendingCount() > 0) return false
            this.keys.promoteNext()
            return true
          })
          .immediate()
        if (finished) break
        continue
      }
      for (const r of batch) {
        if (opts.signal) throwIfCancelled(opts.signal)
        this.rewrapOne(r, next.generation)
        lock.heartbeat()
        done++
        opts.onProgress?.(done, Math.max(total, done))
        await new Promise<void>((res) => setImmediate(res))
      }
    }
    this.record(
      actor,
      'vault.rotateKeys.completed',
      null,
      'success',
      { files: done, generation: next.generation, keyType: next.kind },
      'key_management',
    )
    return { rotated: done, resumed, generation: next.generation, keyType: next.kind }
  }

  private rewrapOne(r: StateRow, generation: number): void {
    const path = this.path(r.id)
    const old = this.keys.byGeneration(r.identity_generation)
    const next = this.keys.byGeneration(generation)
    if (!this.macOk(r))
      throw new DomainError(
        'CONFLICT',
        `Key rotation stopped at vault state ${r.id}: its properties were edited (MAC mismatch). Run \`qqsec vault verify\`, delete or restore it, then run rotate-keys again; it resumes.`,
      )
    const fd = openFile(path, 'r+')
    try {
      let opened
      try {
        opened = readHeader(fdSource(fd))
      } catch (e) {
        throw rotationStop(r.id, (e as Error).message)
      }
      if (headerHash(opened.raw) !== r.header_hash)
        throw rotationStop(r.id, 'the file is not the one its properties were stored with')
      let newHeader: Buffer
      try {
        newHeader = rewrapHeader(opened.header, [old.identity], [next.recipient])
      } catch (e) {
        throw rotationStop(r.id, (e as Error).message)
      }
      const journal = (temp: string | null): void => {
        this.db
          .prepare(
            `INSERT OR REPLACE INTO vault_rotation_journal (state_id, generation, old_header, new_header, temp_path, created_at)
             VALUES (?, ?, ?, ?, ?, ?)`,
          )
          .run(r.id, generation, opened.raw, newHeader, temp, iso(this.clock.now()))
      }
      if (newHeader.length === opened.raw.length) {
        journal(null)
        writeAt(fd, newHeader, 0)
        fsyncSync(fd)
      } else {
        const temp = join(this.dir, `.${r.id}.rotate.tmp`)
        const tfd = openSync(temp, 'w', 0o600)
        try {
          writeAt(tfd, newHeader, 0)
          let pos = newHeader.length
          let at = opened.raw.length
          const buf = Buffer.allocUnsafe(COPY_BYTES)
          for (;;) {
            const n = readSync(fd, buf, 0, buf.length, at)
            if (n === 0) break
            writeAt(tfd, buf.subarray(0, n), pos)
            pos += n
            at += n
          }
          fsyncSync(tfd)
        } finally {
          closeSync(tfd)
        }
        journal(temp)
        renameSync(temp, path)
        fsyncDir(this.dir)
      }
    } finally {
      closeSync(fd)
    }
    this.finishRewrap(
      r.id,
      generation,
      this.db.prepare(`SELECT new_header FROM vault_rotation_journal WHERE state_id = ?`).get(r.id) as {
        new_header: Uint8Array
      },
    )
  }

  private finishRewrap(id: string, generation: number, j: { new_header: Uint8Array }): void {
    this.db
      .transaction(() => {
        const r = this.db.prepare(`${ROW_SELECT} WHERE s.id = ?`).get(id) as StateRow | undefined
        if (r) {
          const updated = {
            ...r,
            identity_generation: generation,
            header_hash: headerHash(j.new_header),
            file_size: statSync(this.path(id)).size,
          }
          this.db
            .prepare(
              `UPDATE vault_states SET identity_generation = ?, header_hash = ?, file_size = ?, mac = ? WHERE id = ?`,
            )
            .run(updated.identity_generation, updated.header_hash, updated.file_size, this.macOf(updated), id)
        }
        this.db.prepare(`DELETE FROM vault_rotation_journal WHERE state_id = ?`).run(id)
      })
      .immediate()
  }

  /** Redo what an interrupted rotation journaled; returns how many files it completed. */
  private recoverJournal(): number {
    const rows = this.db.prepare(`SELECT * FROM vault_rotation_journal`).all() as JournalRow[]
    let n = 0
    for (const j of rows) {
      const path = this.path(j.state_id)
      const exists = this.db.prepare(`SELECT 1 FROM vault_states WHERE id = ?`).get(j.state_id)
      if (!exists || !existsSync(path)) {
        if (j.temp_path && existsSync(j.temp_path)) unlinkSync(j.temp_path)
        this.db.prepare(`DELETE FROM vault_rotation_journal WHERE state_id = ?`).run(j.state_id)
        continue
      }
      const fd = openFile(path, 'r+')
      try {
        const now = Buffer.alloc(j.new_header.length)
        const got = readSync(fd, now, 0, now.length, 0)
        const done = got === now.length && now.equals(Buffer.from(j.new_header))
        if (!done) {
          if (j.temp_path) {
            if (existsSync(j.temp_path)) {
              renameSync(j.temp_path, path)
              fsyncDir(this.dir)
            } else {
              // the temporary file never got renamed and is gone: the file still has its old header
              this.db.prepare(`DELETE FROM vault_rotation_journal WHERE state_id = ?`).run(j.state_id)
              continue
            }
          } else {
            writeAt(fd, Buffer.from(j.new_header), 0)
            fsyncSync(fd)
          }
        }
      } finally {
        closeSync(fd)
      }
      this.finishRewrap(j.state_id, j.generation, j)
      n++
    }
    // temporary files of a rotation killed before it journaled them
    const journaled = new Set(rows.map((j) => j.temp_path))
    for (const f of readdirSync(this.dir))
      if (f.endsWith('.rotate.tmp') && !journaled.has(join(this.dir, f))) unlinkSync(join(this.dir, f))
    return n
  }
}

const rotationStop = (id: string, why: string): DomainError =>
  new DomainError(
    'CONFLICT',
    `Key rotation stopped at vault state ${id}: ${why}. Run \`qqsec vault verify ${id}\`, then delete or restore that state and run rotate-keys again; it resumes.`,
  )

function openFile(path: string, flags: 'r' | 'r+' = 'r'): number {
  try {
    return openSync(path, flags)
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT')
      throw new DomainError(
        'CONFLICT',
        `The vault file ${basename(path)} is missing. Run \`qqsec vault verify\`.`,
      )
    throw e
  }
}

function readAll(src: ByteSource, size: number): Buffer {
  const buf = Buffer.alloc(size)
  if (readFull(src, buf, 0, size) !== size) throw new Error('the staged upload ended early')
  return buf
}

function writeAt(fd: number, data: Buffer, pos: number): void {
  let off = 0
  while (off < data.length) off += writeSync(fd, data, off, data.length - off, pos + off)
}

function parseClassification(v: string): Classification {
  if (!(CLASSIFICATIONS as readonly string[]).includes(v))
    throw new DomainError(
      'INVALID_INPUT',
      `Classification "${v}" is not one of ${CLASSIFICATIONS.join(', ')}.`,
    )
  return v as Classification
}

function parseJsonProperties(
  raw: unknown,
  qubits: number,
): { name?: string; classification?: string; tags?: string[]; labels?: Record<string, string> } {
  if (raw === undefined || raw === null) return {}
  if (typeof raw !== 'object' || Array.isArray(raw))
    throw new DomainError('INVALID_INPUT', '"properties" must be an object.')
  const p = raw as Record<string, unknown>
  if (p.qubits !== undefined && p.qubits !== qubits)
    throw new DomainError(
      'INVALID_INPUT',
      `"properties.qubits" says ${String(p.qubits)} but the vector has 2^${qubits} amplitudes.`,
    )
  const str = (k: string): string | undefined => {
    const v = p[k]
    if (v === undefined) return undefined
    if (typeof v !== 'string') throw new DomainError('INVALID_INPUT', `"properties.${k}" must be a string.`)
    return v
  }
  const tags = p.tags
  if (tags !== undefined && (!Array.isArray(tags) || tags.some((t) => typeof t !== 'string')))
    throw new DomainError('INVALID_INPUT', '"properties.tags" must be a list of strings.')
  const labels = p.labels
  if (
    labels !== undefined &&
    (typeof labels !== 'object' ||
      labels === null ||
      Array.isArray(labels) ||
      Object.values(labels).some((v) => typeof v !== 'string'))
  )
    throw new DomainError('INVALID_INPUT', '"properties.labels" must be an object of strings.')
  return {
    name: str('name'),
    classification: str('classification'),
    tags: tags as string[] | undefined,
    labels: labels as Record<string, string> | undefined,
  }
}
