import { AgeError } from './errors'
import type { ByteSink, ByteSource } from './io'

/** ASCII armor: strict PEM (RFC 7468) with the label "AGE ENCRYPTED FILE", 64-column padded base64. */
export const ARMOR_BEGIN = '-----BEGIN AGE ENCRYPTED FILE-----'
export const ARMOR_END = '-----END AGE ENCRYPTED FILE-----'
const LINE_BYTES = 48

/** Wraps a sink: bytes written to it come out armored; call `end()` after the last write. */
export class ArmorSink implements ByteSink {
  private pending = Buffer.alloc(0)
  constructor(private readonly inner: ByteSink) {
    inner.write([Buffer.from(ARMOR_BEGIN + '\n')])
  }
  write(bufs: readonly Buffer[]): void {
    const data = Buffer.concat([this.pending, ...bufs])
    const whole = data.length - (data.length % LINE_BYTES)
    const lines: string[] = []
    for (let i = 0; i < whole; i += LINE_BYTES) lines.push(data.toString('base64', i, i + LINE_BYTES))
    if (lines.length) this.inner.write([Buffer.from(lines.join('\n') + '\n')])
    this.pending = Buffer.from(data.subarray(whole))
  }
  end(): void {
    const last = this.pending.length ? this.pending.toString('base64') + '\n' : ''
    this.inner.write([Buffer.from(last + ARMOR_END + '\n')])
  }
}

const armorError = (what: string): AgeError =>
  new AgeError('armor', `The ASCII armor is malformed: ${what}. The armored file is damaged or was edited.`)

const isSpace = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d
const B64_FULL = /^[A-Za-z0-9+/]{64}$/
const B64_LAST = /^[A-Za-z0-9+/]*={0,2}$/

/**
 * Strict armor decoder over a source. Accepts only whitespace around the PEM block and LF or CRLF line ends;
 * every body line but the last is exactly 64 columns, the last is shorter or equal, non-empty, canonically
 * padded base64. Decodes line by line, so an armored file is never held whole in memory.
 */
export class ArmorSource implements ByteSource {
  private text = ''
  private pos = 0
  private srcEof = false
  private decoded = Buffer.alloc(0)
  private done = false
  private begun = false
  private lastLineSeen = false
  private readonly chunk = Buffer.allocUnsafe(64 * 1024)

  constructor(
    private readonly inner: ByteSource,
    head: Buffer,
  ) {
    this.text = head.toString('latin1')
  }

  private fill(): boolean {
    if (this.srcEof) return false
    const n = this.inner.read(this.chunk, 0, this.chunk.length)
    if (n === 0) this.srcEof = true
    else {
      this.text = this.text.slice(this.pos) + this.chunk.toString('latin1', 0, n)
      this.pos = 0
    }
    return n > 0
  }

  private nextLine(): { line: string; eol: boolean } | null {
    for (;;) {
      const nl = this.text.indexOf('\n', this.pos)
      if (nl >= 0) {
        let line = this.text.slice(this.pos, nl)
        this.pos = nl + 1
        if (line.endsWith('\r')) line = line.slice(0, -1)
        return { line, eol: true }
      }
      if (this.text.length - this.pos > 4096) throw armorError('a line is far too long')
      if (!this.fill()) {
        if (this.pos >= this.text.length) return null
        const line = this.text.slice(this.pos)
        this.text = ''
        this.pos = 0
        return { line, eol: false }
      }
    }
  }

  private begin(): void {
    // leading whitespace is allowed
    for (;;) {
      while (this.pos < this.text.length && isSpace(this.text.charCodeAt(this.pos))) this.pos++
      if (this.pos < this.text.length || !this.fill()) break
    }
    const first = this.nextLine()
    if (!first || first.line !== ARMOR_BEGIN) throw armorError('it does not start with the age armor line')
    this.begun = true
  }

  private decodeMore(): void {
    const next = this.nextLine()
    if (!next) throw armorError('the end line is missing')
    const { line } = next
    if (line === ARMOR_END) {
      // only whitespace may follow
      for (;;) {
        for (let i = this.pos; i < this.text.length; i++)
          if (!isSpace(this.text.charCodeAt(i))) throw armorError('there is data after the end line')
        this.text = ''
        this.pos = 0
        if (!this.fill()) break
      }
      this.done = true
      return
    }
    if (this.lastLineSeen) throw armorError('a body line follows a short line')
    if (line.length === 0) throw armorError('there is an empty line')
    if (!next.eol) throw armorError('the end line is missing')
    if (line.length > 64) throw armorError('a line is longer than 64 columns')
    if (line.length < 64 || line.endsWith('=')) {
      if (!B64_LAST.test(line) || line.length % 4 !== 0)
        throw armorError('the last line is not padded base64')
      this.lastLineSeen = true
    } else if (!B64_FULL.test(line)) throw armorError('a line has a non-base64 character')
    const bytes = Buffer.from(line, 'base64')
    if (bytes.toString('base64') !== line) throw armorError('the base64 is not canonical')
    this.decoded = bytes
  }

  read(buf: Buffer, off: number, len: number): number {
    if (!this.begun) this.begin()
    while (this.decoded.length === 0) {
      if (this.done) return 0
      this.decodeMore()
    }
    const n = Math.min(len, this.decoded.length)
    this.decoded.copy(buf, off, 0, n)
    this.decoded = this.decoded.subarray(n)
    return n
  }
}

/** Whether input starting with `head` is armored (leading whitespace allowed). */
export function looksArmored(head: Buffer): boolean {
  let i = 0
  while (i < head.length && isSpace(head[i]!)) i++
  return head.toString('latin1', i, i + 10) === '-----BEGIN'
}
