import {
  closeSync,
  fsyncSync,
  openSync,
  readSync,
  renameSync,
  unlinkSync,
  writeSync,
  writevSync,
} from 'node:fs'
import { randomBytes } from 'node:crypto'
import { basename, dirname, join } from 'node:path'

/** Synchronous byte source: fills `buf[off, off+len)` as far as it can, returns 0 only at the end. */
export interface ByteSource {
  read(buf: Buffer, off: number, len: number): number
}

/** Byte sink taking several buffers at once (vectored writes: no concatenation copies on the hot path). */
export interface ByteSink {
  write(bufs: readonly Buffer[]): void
}

const sleepMs = (ms: number): void => {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms)
}

export function fdSource(fd: number): ByteSource {
  return {
    read(buf, off, len) {
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

function writeAllv(fd: number, bufs: readonly Buffer[]): void {
  let list = bufs.filter((b) => b.length > 0)
  while (list.length > 0) {
    // writev takes at most IOV_MAX (1024) buffers at once
    const part = list.slice(0, 1024)
    let n = writevSync(fd, part)
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
  constructor(
    readonly path: string,
    mode = 0o600,
  ) {
    this.tmpPath = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`)
    this.fd = openSync(this.tmpPath, 'wx', mode)
  }
  write(bufs: readonly Buffer[]): void {
    if (this.fd === null) throw new Error('write after the file was closed')
    writeAllv(this.fd, bufs)
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

export function fsyncDir(dir: string): void {
  let fd: number | undefined
  try {
    fd = openSync(dir, 'r')
    fsyncSync(fd)
  } catch {
    // Some platforms cannot fsync a folder; the rename is still atomic there.
  } finally {
    if (fd !== undefined) closeSync(fd)
  }
}

export const writeAllSync = (fd: number, data: Uint8Array): void => {
  let off = 0
  while (off < data.length) off += writeSync(fd, data, off, data.length - off)
}
