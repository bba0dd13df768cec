import { createHmac, type Hmac } from 'node:crypto'
import type { ByteSink, ByteSource } from './age/io'
import { amplitudeJson, parseNpyHeader, swapBytes, type NpyHeader } from './state-format'

/** Passes bytes on and keeps an HMAC of everything that went through. */
export class MacSink implements ByteSink {
  private readonly mac: Hmac
  bytes = 0
  constructor(
    key: Uint8Array,
    private readonly inner: ByteSink | null,
  ) {
    this.mac = createHmac('sha256', key)
  }
  write(bufs: readonly Buffer[]): void {
    for (const b of bufs) {
      this.mac.update(b)
      this.bytes += b.length
    }
    this.inner?.write(bufs)
  }
  digest(): string {
    return this.mac.digest('hex')
  }
}

/** A source whose bytes also go through `onBytes` (validation, MAC) as they are read. */
export function tappedSource(inner: ByteSource, onBytes: (b: Buffer) => void): ByteSource {
  return {
    read(buf, off, len) {
      const n = inner.read(buf, off, len)
      if (n > 0) onBytes(buf.subarray(off, off + n))
      return n
    },
  }
}

const OUT_BATCH = 1 << 20

/**
 * Turns a stored `.npy` byte stream into the reference JSON shape, streaming: `head` is written first (it must
 * end just before the vector), then one `[re, im]` per line, then `tail`.
 */
export class NpyToJsonSink implements ByteSink {
  private pending = Buffer.alloc(0)
  private header: NpyHeader | null = null
  private first = true
  private parts: string[] = []
  private partBytes = 0
  constructor(
    private readonly inner: ByteSink,
    private readonly head: string,
    private readonly tail: string,
  ) {}

  write(bufs: readonly Buffer[]): void {
    for (const b of bufs) this.take(b)
  }

  private take(b: Buffer): void {
    let data = this.pending.length ? Buffer.concat([this.pending, b]) : b
    if (!this.header) {
      if (data.length < 12) {
        this.pending = Buffer.from(data)
        return
      }
      const len = data[6] === 1 ? 10 + data.readUInt16LE(8) : 12 + data.readUInt32LE(8)
      if (data.length < len) {
        this.pending = Buffer.from(data)
        return
      }
      this.header = parseNpyHeader(data.subarray(0, len))
      this.inner.write([Buffer.from(this.head)])
      data = data.subarray(len)
    }
    const h = this.header
    const item = h.itemBytes
    const whole = data.length - (data.length % item)
    const block = Buffer.from(data.subarray(0, whole))
    if (h.dtype.startsWith('>')) swapBytes(block, item === 16)
    const v =
      item === 16
        ? new Float64Array(block.buffer, block.byteOffset, whole / 8)
        : new Float32Array(block.buffer, block.byteOffset, whole / 4)
    for (let i = 0; i < v.length; i += 2) {
      const line = (this.first ? '\n' : ',\n') + amplitudeJson(v[i]!, v[i + 1]!)
      this.first = false
      this.parts.push(line)
      this.partBytes += line.length
      if (this.partBytes >= OUT_BATCH) this.flush()
    }
    this.pending = Buffer.from(data.subarray(whole))
  }

  private flush(): void {
    if (this.parts.length) this.inner.write([Buffer.from(this.parts.join(''))])
    this.parts = []
    this.partBytes = 0
  }

  /** After the last byte. */
  end(): void {
    if (!this.header || this.pending.length) throw new Error('the stored state ends inside an amplitude')
    this.flush()
    this.inner.write([Buffer.from(this.tail)])
  }
}
