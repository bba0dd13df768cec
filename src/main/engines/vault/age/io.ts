import {
  closeSync,
  fstatSync,
  fsyncSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  unlinkSync,
  writeSync,
  writevSync,
} from 'node:fs'
import { randomBytes } from 'node:crypto'
import { basename, dirname, join } from 'node:path'
import { fsyncDir } from '../../../platform/atomic-write'

/** The rest of a source that is a regular file: `length` bytes from `offset`, readable positionally. */
export interface FileRange {
  fd: number
  offset: number
  length: number
}

/** Synchronous byte source: fills `buf[off, off+len)` as far as it can, returns 0 only at the end. */
export interface ByteSource {
  read(buf: Buffer, off: number, len: number): number
  /**
   * When the rest of this source is a regular file of at least `minLength` bytes: hands it over as a range
   * (the source then reads as ended). Otherwise null, and nothing is consumed.
   */
  claimFile?(minLength: number): FileRange | null
}

/**
 * Byte sink taking several buffers at once (vectored writes: no concatenation copies on the hot path). The
 * buffers are only valid during the call (callers reuse them): a sink that keeps bytes copies them.
 */
export interface ByteSink {
  write(bufs: readonly Buffer[]): void
  /** A sink that is a regular file: reserves the next `length` bytes for positional writes to `fd`. */
  reserve?(length: number): { fd: number; offset: number }
}

const sleepMs = (ms: number): void => {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms)
}

/** The current offset of `fd` (Linux: /proc/self/fdinfo), or null where it cannot be known. */
function fdOffset(fd: number): number | null {
  try {
    const m = /^pos:\s*(\d+)$/m.exec(readFileSync(`/proc/self/fdinfo/${fd}`, 'latin1'))
    return m ? Number(m[1]) : null
  } catch {
    return null
  }
}

export function fdSource(fd: number): ByteSource {
  let claimed = false
  return {
    claimFile(minLength) {
      if (claimed) return null
      let size: number
      try {
        const st = fstatSync(fd)
        if (!st.isFile()) return null
        size = st.size
      } catch {
        return null
      }
      const offset = fdOffset(fd)
      if (offset === null || size - offset < minLength) return null
      claimed = true
      return { fd, offset, length: size - offset }
    },
    read(buf, off, len) {
      if (claimed) return 0
      for (;;) {
        try {
          return readSync(fd, buf, off, len, null)
        } catch (e) {
          const code = (e as NodeJS.ErrnoException).code
          if (code === 'EAGAIN') {
            sleepMs(2)
            continue
          }
          if (code === 'EOF') return 0
          throw e
        }
      }
    },
  }
}

export function bufferSource(data: Uint8Array): ByteSource {
  let pos = 0
  return {
    read(buf, off, len) {
      const n = Math.min(len, data.length - pos)
      buf.set(data.subarray(pos, pos + n), off)
      pos += n
      return n
    },
  }
}

/** Reads until `len` bytes are in or the source ends; returns how many were read. */
export function readFull(src: ByteSource, buf: Buffer, off: number, len: number): number {
  let got = 0
  while (got < len) {
    const n = src.read(buf, off + got, len - got)
    if (n === 0) break
    got += n
  }
  return got
}

/** A source that first returns `head`, then the rest of `inner`. */
export function prefixedSource(head: Buffer, inner: ByteSource): ByteSource {
  let pos = 0
  return {
    read(buf, off, len) {
      if (pos < head.length) {
        const n = Math.min(len, head.length - pos)
        head.copy(buf, off, pos, pos + n)
        pos += n
        return n
      }
      return inner.read(buf, off, len)
    },
  }
}

/**
 * `head` followed by the rest of `inner`, where `head` holds the bytes just read from `inner` (a peek): when
 * `inner` is a regular file, the unread part of `head` is still in the file, so the rest can be claimed as a range.
 */
export function rewoundSource(head: Buffer, inner: ByteSource): ByteSource {
  let pos = 0
  let claimed = false
  return {
    read(buf, off, len) {
      if (claimed) return 0
      if (pos < head.length) {
        const n = Math.min(len, head.length - pos)
        head.copy(buf, off, pos, pos + n)
        pos += n
        return n
      }
      return inner.read(buf, off, len)
    },
    claimFile(minLength) {
      const unread = head.length - pos
      const range = inner.claimFile?.(Math.max(0, minLength - unread)) ?? null
      if (!range) return null
      claimed = true
      return { fd: range.fd, offset: range.offset - unread, length: range.length + unread }
    },
  }
}

function writeAllv(fd: number, bufs: readonly Buffer[], position: number | null = null): void {
  let list = bufs.filter((b) => b.length > 0)
  while (list.length > 0) {
    // writev takes at most IOV_MAX (1024) buffers at once
    const part = list.slice(0, 1024)
    let n: number
    try {
      n = position === null ? writevSync(fd, part) : writevSync(fd, part, position)
    } catch (e) {
      // A non-blocking pipe (stdout read by a slower process) is full: wait for the reader.
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e
      sleepMs(1)
      continue
    }
    if (position !== null) position += n
    let i = 0
    while (i < part.length && n >= part[i]!.length) n -= part[i++]!.length
    const rest = list.slice(i)
    if (n > 0 && rest.length > 0) rest[0] = rest[0]!.subarray(n)
    list = rest
  }
}

export function fdSink(fd: number): ByteSink {
  return { write: (bufs) => writeAllv(fd, bufs) }
}

export class MemorySink implements ByteSink {
  private readonly parts: Buffer[] = []
  write(bufs: readonly Buffer[]): void {
    for (const b of bufs) this.parts.push(Buffer.from(b))
  }
  bytes(): Buffer {
    return Buffer.concat(this.parts)
  }
}

/**
 * Writes to a temporary file beside `path` (owner-only), and only `commit()` makes it appear under its name:
 * fsync, rename, fsync the folder. `abort()` removes the temporary file, so a failure leaves nothing behind.
 */
export class AtomicFileSink implements ByteSink {
  readonly tmpPath: string
  private fd: number | null
  /** Where the next write goes (writes are positional, so ranges can be reserved for parallel writers). */
  private pos = 0
  constructor(
    readonly path: string,
    mode = 0o600,
  ) {
    this.tmpPath = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`)
    this.fd = openSync(this.tmpPath, 'wx', mode)
  }
  write(bufs: readonly Buffer[]): void {
    if (this.fd === null) throw new Error('write after the file was closed')
    writeAllv(this.fd, bufs, this.pos)
    for (const b of bufs) this.pos += b.length
  }
  reserve(length: number): { fd: number; offset: number } {
    if (this.fd === null) throw new Error('write after the file was closed')
    const offset = this.pos
    this.pos += length
    return { fd: this.fd, offset }
  }
  commit(): void {
    if (this.fd === null) throw new Error('commit after the file was closed')
    const fd = this.fd
    this.fd = null
    try {
      fsyncSync(fd)
      closeSync(fd)
      renameSync(this.tmpPath, this.path)
    } catch (e) {
      try {
        unlinkSync(this.tmpPath)
      } catch {
        // already gone
      }
      throw e
    }
    fsyncDir(dirname(this.path))
  }
  abort(): void {
    if (this.fd !== null) {
      closeSync(this.fd)
      this.fd = null
    }
    try {
      unlinkSync(this.tmpPath)
    } catch {
      // already gone
    }
  }
}

export const writeAllSync = (fd: number, data: Uint8Array): void => {
  let off = 0
  while (off < data.length) off += writeSync(fd, data, off, data.length - off)
}
