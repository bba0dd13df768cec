import { createCipheriv, createDecipheriv, randomBytes, randomUUID } from 'node:crypto'
import {
  closeSync,
  mkdirSync,
  openSync,
  readdirSync,
  readSync,
  statfsSync,
  unlinkSync,
  writevSync,
} from 'node:fs'
import { join } from 'node:path'
import { DomainError } from '../../domain-error'
import { iso, type Clock } from '../../platform/clock'
import type { ByteSource } from './age/io'
import { ownerAlive, type Owner } from './owner-liveness'

/** Largest chunk one vault.uploadChunk call carries: its base64 (256,000 characters) fits the 256 KiB call cap. */
export const UPLOAD_CHUNK_MAX_BYTES = 192_000

export interface UploadLimits {
  /** Largest file one upload may announce: a 2^28-amplitude complex128 .npy (4 GiB) and its header. */
  maxBytes: number
  /** Uploads one account may have open at once. */
  maxPerUser: number
  /** Announced bytes of all open uploads together. */
  maxStagedBytes: number
  /** Announced bytes of one account's open uploads: no account can hold the whole staging allowance. */
  maxStagedBytesPerUser: number
  /** An upload with no call for this long is removed. */
  idleMs: number
  /** How often open uploads are checked for expiry and ended sessions. */
  sweepMs: number
  /** Free space kept on the data dir's disk beyond what open uploads still need. */
  diskReserveBytes: number
}

export const DEFAULT_UPLOAD_LIMITS: UploadLimits = {
  maxBytes: 4 * 2 ** 30 + 2 ** 20,
  maxPerUser: 3,
  maxStagedBytes: 8 * 2 ** 30 + 2 ** 21,
  maxStagedBytesPerUser: 4 * 2 ** 30 + 2 ** 20,
  idleMs: 10 * 60_000,
  sweepMs: 30_000,
  diskReserveBytes: 256 * 2 ** 20,
}

export interface UploadOwner {
  userId: string
  userName: string
  /** The session that began the upload: only it may add to, import or abort it. */
  sessionId: string
}

export type UploadRemoval = 'aborted' | 'expired' | 'session-ended' | 'imported' | 'failed'

export interface UploadInfo {
  uploadId: string
  userId: string
  userName: string
  fileName: string
  size: number
  received: number
}

/** A complete upload handed to an import: its plaintext, decrypted as it is read. */
export interface StagedUpload {
  uploadId: string
  fileName: string
  size: number
  /** A new reader from the first byte (an import may read twice: once to validate, once to normalize). */
  open(): ByteSource
}

interface Upload extends UploadInfo {
  sessionId: string
  records: number
  lastActivity: number
  path: string
  /** Append descriptor while receiving; read descriptor while importing. */
  fd: number | null
  key: Buffer
  state: 'receiving' | 'importing'
}

/** `<pid>.<process start>.<instance tag>.<upload id>.stage`: enough to tell whether its owner still runs. */
const STAGE_NAME = /^(\d+)\.(\d+)\.([0-9a-f]{12})\.([0-9a-f-]{36})\.stage$/
const TAG = 16
const LEN = 4

/** Nonce and associated data of record `index`: the counter in both, the length in the associated data. */
const nonceOf = (index: number): Buffer => {
  const n = Buffer.alloc(12)
  n.writeBigUInt64BE(BigInt(index), 4)
  return n
}
const aadOf = (index: number, length: number): Buffer => {
  const a = Buffer.alloc(12)
  a.writeBigUInt64BE(BigInt(index), 0)
  a.writeUInt32BE(length, 8)
  return a
}

/**
 * Chunked uploads of state files for the UI (IPC and browser mode alike), staged encrypted: each chunk is sealed
 * with ChaCha20-Poly1305 under a random key that exists only in this process's memory (nonce = chunk counter), so
 * no plaintext amplitude reaches the disk and a staged file is unreadable once its process is gone. An upload
 * belongs to the session that began it; it expires after `idleMs` without a call, when that session ends, and at
 * the next start-up after a crash (files of processes that no longer run are deleted).
 */
export class VaultUploads {
  private readonly uploads = new Map<string, Upload>()
  private timer: NodeJS.Timeout | null = null
  /** Whether a session is still live (wired to the auth engine by the handlers). */
  sessionAlive: (userId: string, sessionId: string) => boolean = () => true
  /** Told of every removal except an import's (expiry and ended sessions are audited by the vault). */
  onRemoved: (u: UploadInfo, why: UploadRemoval) => void = () => undefined

  constructor(
    readonly dir: string,
    private readonly clock: Clock,
    private readonly owner: Owner,
    readonly limits: UploadLimits = DEFAULT_UPLOAD_LIMITS,
  ) {}

  /** Staged files of processes that no longer run (killed mid-upload): deleted. Returns how many. */
  removeStale(): number {
    let names: string[]
    try {
      names = readdirSync(this.dir)
    } catch {
      return 0
    }
    let n = 0
    for (const f of names) {
      const m = STAGE_NAME.exec(f)
      if (!m) continue
      const start = m[2] === '0' ? undefined : m[2]
      if (ownerAlive({ pid: Number(m[1]), start, tag: m[3] }, null, this.clock.now())) continue
      try {
        unlinkSync(join(this.dir, f))
        n++
      } catch {
        // removed by another start-up at the same moment
      }
    }
    return n
  }

  begin(who: UploadOwner, fileName: string, size: number) {
    this.sweep()
    const l = this.limits
    if (!Number.isSafeInteger(size) || size < 1)
      throw new DomainError(
        'INVALID_INPUT',
        'The announced size must be a whole number of bytes, at least 1.',
      )
    if (size > l.maxBytes)
      throw new DomainError(
        'PAYLOAD_TOO_LARGE',
        `${fileName} is ${mib(size)}; the vault takes uploads up to ${mib(l.maxBytes)} (a 2^28-amplitude complex128 state). Import larger files with \`qqsec vault import PATH\`.`,
      )
    const mine = [...this.uploads.values()].filter((u) => u.userId === who.userId)
    if (mine.length >= l.maxPerUser)
      throw new DomainError(
        'CONFLICT',
        `You already have ${mine.length} uploads open (the limit is ${l.maxPerUser}); finish or cancel one first.`,
      )
    const mineStaged = mine.reduce((s, u) => s + u.size, 0)
    if (mineStaged + size > l.maxStagedBytesPerUser)
      throw new DomainError(
        'CONFLICT',
        `Your open uploads already announce ${mib(mineStaged)} (at most ${mib(l.maxStagedBytesPerUser)} per account at once); finish or cancel one first.`,
      )
    const staged = [...this.uploads.values()].reduce((s, u) => s + u.size, 0)
    if (staged + size > l.maxStagedBytes)
      throw new DomainError(
        'UNAVAILABLE',
        `The console is already staging ${mib(staged)} of uploads (at most ${mib(l.maxStagedBytes)} at once); try again when they have finished.`,
      )
    mkdirSync(this.dir, { recursive: true, mode: 0o700 })
    const pending = [...this.uploads.values()].reduce((s, u) => s + (u.size - u.received), 0)
    const fs = statfsSync(this.dir)
    const free = Number(fs.bavail) * Number(fs.bsize)
    if (free < pending + size + l.diskReserveBytes)
      throw new DomainError(
        'UNAVAILABLE',
        `Not enough free space in the data dir for ${mib(size)} (${mib(free)} free, ${mib(pending)} promised to open uploads); free some space first.`,
      )
    const id = randomUUID()
    const path = join(this.dir, `${this.owner.pid}.${this.owner.start ?? 0}.${this.owner.tag}.${id}.stage`)
    const fd = openSync(path, 'wx', 0o600)
    const u: Upload = {
      uploadId: id,
      userId: who.userId,
      userName: who.userName,
      sessionId: who.sessionId,
      fileName,
      size,
      received: 0,
      records: 0,
      lastActivity: this.clock.now(),
      path,
      fd,
      key: randomBytes(32),
      state: 'receiving',
    }
    this.uploads.set(id, u)
    this.ensureTimer()
    return {
      uploadId: id,
      chunkBytes: UPLOAD_CHUNK_MAX_BYTES,
      expiresAt: iso(u.lastActivity + l.idleMs),
    }
  }

  /** The next bytes of an upload, at exactly the offset received so far. `data` is wiped once sealed. */
  chunk(who: UploadOwner, uploadId: string, offset: number, data: Buffer) {
    const u = this.mine(who, uploadId)
    if (u.state === 'importing')
      throw new DomainError('CONFLICT', `Upload ${uploadId} is being imported; it takes no more data.`)
    if (data.length === 0) throw new DomainError('INVALID_INPUT', 'A chunk carries at least one byte.')
    if (data.length > UPLOAD_CHUNK_MAX_BYTES)
      throw new DomainError('INVALID_INPUT', `A chunk carries at most ${UPLOAD_CHUNK_MAX_BYTES} bytes.`)
    if (offset !== u.received)
      throw new DomainError(
        'CONFLICT',
        `Chunks go in order: upload ${uploadId} expects offset ${u.received}, not ${offset}.`,
        { expectedOffset: u.received },
      )
    if (u.received + data.length > u.size)
      throw new DomainError(
        'INVALID_INPUT',
        `This chunk goes past the announced size (${u.size} bytes): ${u.received + data.length} bytes would be staged.`,
      )
    const index = u.records
    const c = createCipheriv('chacha20-poly1305', u.key, nonceOf(index), { authTagLength: TAG })
    c.setAAD(aadOf(index, data.length), { plaintextLength: data.length })
    const len = Buffer.alloc(LEN)
    len.writeUInt32BE(data.length)
    const sealed = c.update(data)
    c.final()
    const bufs = [len, sealed, c.getAuthTag()]
    let total = LEN + sealed.length + TAG
    try {
      while (total > 0) {
        // append-only descriptor: a short write continues where it stopped
        const n = writevSync(u.fd!, bufs)
        total -= n
        let skip = n
        while (skip > 0 && bufs.length > 0) {
          if (skip >= bufs[0]!.length) skip -= bufs.shift()!.length
          else {
            bufs[0] = bufs[0]!.subarray(skip)
            skip = 0
          }
        }
      }
    } catch (e) {
      // Part of the record may be on disk: a retry would append after the fragment (a corrupt staged file found
      // only at import) and seal this record index again under the same nonce. The upload ends here instead.
      data.fill(0)
      this.remove(u, 'failed')
      const code = (e as NodeJS.ErrnoException).code ?? 'error'
      throw new DomainError(
        'UNAVAILABLE',
        `Staging upload ${uploadId} failed (${code}${code === 'ENOSPC' ? ': the disk is full' : ''}); it was cancelled and nothing was kept. ${code === 'ENOSPC' ? 'Free some space, then upload' : 'Upload'} the file again.`,
      )
    }
    data.fill(0)
    u.records++
    u.received += data.length
    u.lastActivity = this.clock.now()
    return { received: u.received, size: u.size, complete: u.received === u.size }
  }

  abort(who: UploadOwner, uploadId: string): UploadInfo {
    const u = this.mine(who, uploadId)
    if (u.state === 'importing')
      throw new DomainError(
        'CONFLICT',
        `Upload ${uploadId} is being imported; cancel the import job instead (its staged file goes with it).`,
      )
    this.remove(u, 'aborted')
    return info(u)
  }

  /** A complete upload for an import: it takes no more chunks and does not expire until `release`. */
  take(who: UploadOwner, uploadId: string): StagedUpload {
    const u = this.mine(who, uploadId)
    if (u.state === 'importing')
      throw new DomainError('CONFLICT', `Upload ${uploadId} is already being imported.`)
    if (u.received !== u.size)
      throw new DomainError(
        'CONFLICT',
        `Upload ${uploadId} is incomplete: ${u.received} of ${u.size} bytes received. Send the rest first.`,
        { received: u.received, size: u.size },
      )
    if (u.fd !== null) closeSync(u.fd)
    u.fd = openSync(u.path, 'r')
    u.state = 'importing'
    return {
      uploadId: u.uploadId,
      fileName: u.fileName,
      size: u.size,
      open: () => this.reader(u),
    }
  }

  /**
   * The import ended. Imported: the staged file is deleted. Otherwise it stays (idle timer restarted) so the same
   * upload can be imported again, e.g. with "normalize" after a norm refusal.
   */
  release(uploadId: string, imported: boolean): void {
    const u = this.uploads.get(uploadId)
    if (!u) return
    if (imported) return this.remove(u, 'imported')
    u.state = 'receiving'
    u.lastActivity = this.clock.now()
  }

  /** Remove uploads idle past the limit or whose session has ended. Runs on a timer while any is open. */
  sweep(): number {
    const now = this.clock.now()
    let n = 0
    for (const u of [...this.uploads.values()]) {
      if (u.state === 'importing') continue
      let live: boolean
      try {
        live = this.sessionAlive(u.userId, u.sessionId)
      } catch {
        live = true // the database is closing: decide at the next sweep
      }
      if (!live) this.remove(u, 'session-ended')
      else if (now - u.lastActivity >= this.limits.idleMs) this.remove(u, 'expired')
      else continue
      n++
    }
    return n
  }

  /** Every open upload removed (the console is closing). */
  close(): void {
    for (const u of [...this.uploads.values()]) this.remove(u, 'aborted', false)
  }

  get open(): number {
    return this.uploads.size
  }

  /** Path of a staged file (tests look inside it). */
  stagedPath(uploadId: string): string | null {
    return this.uploads.get(uploadId)?.path ?? null
  }

  private mine(who: UploadOwner, uploadId: string): Upload {
    const u = this.uploads.get(uploadId)
    // another session's upload is indistinguishable from none
    if (!u || u.sessionId !== who.sessionId || u.userId !== who.userId)
      throw new DomainError(
        'NOT_FOUND',
        `No upload ${uploadId} in this session: it expired, was cancelled or imported. Start the upload again.`,
      )
    if (this.clock.now() - u.lastActivity >= this.limits.idleMs && u.state !== 'importing') {
      this.remove(u, 'expired')
      throw new DomainError(
        'NOT_FOUND',
        `Upload ${uploadId} expired after ${Math.round(this.limits.idleMs / 60_000)} min without data. Start it again.`,
      )
    }
    return u
  }

  private remove(u: Upload, why: UploadRemoval, notify = true): void {
    this.uploads.delete(u.uploadId)
    if (u.fd !== null) {
      try {
        closeSync(u.fd)
      } catch {
        // already closed
      }
      u.fd = null
    }
    try {
      unlinkSync(u.path)
    } catch {
      // already gone
    }
    u.key.fill(0)
    if (this.uploads.size === 0 && this.timer) {
      clearInterval(this.timer)
      this.timer = null
    }
    if (notify && why !== 'imported') {
      try {
        this.onRemoved(info(u), why)
      } catch {
        // auditing an expiry must not break the call that noticed it
      }
    }
  }

  private ensureTimer(): void {
    if (this.timer) return
    this.timer = setInterval(() => this.sweep(), this.limits.sweepMs)
    this.timer.unref()
  }

  private reader(u: Upload): ByteSource {
    let index = 0
    let pos = 0
    let served = 0
    let plain = Buffer.alloc(0)
    let at = 0
    const readExactly = (n: number): Buffer => {
      const b = Buffer.allocUnsafe(n)
      let got = 0
      while (got < n) {
        if (u.fd === null) throw new Error(`upload ${u.uploadId} was removed while it was being read`)
        const r = readSync(u.fd, b, got, n - got, pos)
        if (r === 0) throw new Error(`staged upload ${u.uploadId} is truncated`)
        got += r
        pos += r
      }
      return b
    }
    const next = (): boolean => {
      if (index === u.records) {
        if (served !== u.size) throw new Error(`staged upload ${u.uploadId} is incomplete`)
        return false
      }
      const len = readExactly(LEN).readUInt32BE(0)
      if (len > UPLOAD_CHUNK_MAX_BYTES) throw new Error(`staged upload ${u.uploadId} is damaged`)
      const body = readExactly(len + TAG)
      const d = createDecipheriv('chacha20-poly1305', u.key, nonceOf(index), { authTagLength: TAG })
      d.setAAD(aadOf(index, len), { plaintextLength: len })
      d.setAuthTag(body.subarray(len))
      plain = Buffer.concat([d.update(body.subarray(0, len)), d.final()])
      at = 0
      index++
      served += len
      return true
    }
    return {
      read(buf, off, len) {
        while (at === plain.length) if (!next()) return 0
        const n = Math.min(len, plain.length - at)
        plain.copy(buf, off, at, at + n)
        at += n
        return n
      },
    }
  }
}

const info = (u: Upload): UploadInfo => ({
  uploadId: u.uploadId,
  userId: u.userId,
  userName: u.userName,
  fileName: u.fileName,
  size: u.size,
  received: u.received,
})

const mib = (n: number): string =>
  n >= 2 ** 30 ? `${(n / 2 ** 30).toFixed(2)} GiB` : `${(n / 2 ** 20).toFixed(1)} MiB`
