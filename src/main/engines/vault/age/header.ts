import { createHmac } from 'node:crypto'
import { hkdf } from '@noble/hashes/hkdf.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { b64decode, b64encode } from './base64'
import { AgeError, headerError } from './errors'

export const VERSION_LINE = 'age-encryption.org/v1'
const VERSION_PREFIX = 'age-encryption.org/'
/** A header larger than this is refused: real ones are a few KiB even with many post-quantum stanzas. */
export const MAX_HEADER_BYTES = 1 << 20

export interface Stanza {
  args: string[]
  body: Buffer
}

export interface ParsedHeader {
  stanzas: Stanza[]
  mac: Buffer
  /** The header bytes the MAC covers: from the version line up to and including `---`. */
  macInput: Buffer
  /** Length of the whole header including the MAC line; the payload starts here. */
  length: number
}

const isVchar = (s: string): boolean => {
  if (s.length === 0) return false
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c < 0x21 || c > 0x7e) return false
  }
  return true
}
const B64_LINE = /^[A-Za-z0-9+/]*$/

/**
 * Parse an age v1 header from the start of `buf`. Returns null when `buf` ends before the header does (read more
 * and call again). Every deviation from the canonical encoding of the spec's ABNF is an error, so one header has
 * exactly one byte form.
 */
export function parseHeader(buf: Buffer, eof: boolean): ParsedHeader | null {
  let pos = 0
  const nextLine = (): string | null => {
    const nl = buf.indexOf(0x0a, pos)
    if (nl < 0) {
      if (eof || buf.length >= MAX_HEADER_BYTES) {
        throw buf.length >= MAX_HEADER_BYTES
          ? headerError('the header is larger than 1 MiB')
          : headerError('the file ends inside the header')
      }
      return null
    }
    const line = buf.toString('latin1', pos, nl)
    pos = nl + 1
    return line
  }
  const version = nextLine()
  if (version === null) return null
  if (version !== VERSION_LINE) {
    if (version.startsWith(VERSION_PREFIX))
      throw new AgeError(
        'header',
        `This file uses age format "${version.slice(VERSION_PREFIX.length)}"; only v1 is supported. Use a newer age tool.`,
      )
    throw headerError('the first line is not "age-encryption.org/v1"')
  }
  const stanzas: Stanza[] = []
  for (;;) {
    const lineStart = pos
    const line = nextLine()
    if (line === null) return null
    if (line.startsWith('---')) {
      if (stanzas.length === 0) throw headerError('there is no recipient stanza')
      if (!line.startsWith('--- ')) throw headerError('the MAC line lacks the space after "---"')
      const macText = line.slice(4)
      if (macText.length !== 43) throw headerError('the MAC is not 43 base64 characters')
      const mac = b64decode(macText, 'the header MAC')
      return { stanzas, mac, macInput: buf.subarray(0, lineStart + 3), length: pos }
    }
    if (!line.startsWith('-> ')) throw headerError('a line starts with neither "-> " nor "---"')
    const args = line.slice(3).split(' ')
    if (!args.every(isVchar)) throw headerError('a stanza has an empty or non-printable argument')
    let body = ''
    for (;;) {
      const bodyLine = nextLine()
      if (bodyLine === null) return null
      if (bodyLine.length > 64) throw headerError('a stanza body line is longer than 64 columns')
      if (!B64_LINE.test(bodyLine)) throw headerError('a stanza body line has a non-base64 character')
      body += bodyLine
      if (bodyLine.length < 64) break
    }
    stanzas.push({ args, body: b64decode(body, 'a stanza body') })
  }
}

export const headerMacKey = (fileKey: Uint8Array): Uint8Array =>
  hkdf(sha256, fileKey, new Uint8Array(0), new TextEncoder().encode('header'), 32)

export const computeHeaderMac = (fileKey: Uint8Array, macInput: Uint8Array): Buffer =>
  createHmac('sha256', headerMacKey(fileKey)).update(macInput).digest()

/** The header bytes without the MAC line: what the MAC covers. */
export function encodeStanzas(stanzas: readonly Stanza[]): Buffer {
  let text = VERSION_LINE + '\n'
  for (const s of stanzas) {
    if (s.args.length === 0 || !s.args.every(isVchar)) throw new Error('stanza arguments must be printable')
    text += '-> ' + s.args.join(' ') + '\n'
    const b64 = b64encode(s.body)
    for (let i = 0; i < b64.length; i += 64) text += b64.slice(i, i + 64) + '\n'
    if (b64.length % 64 === 0) text += '\n'
  }
  return Buffer.from(text + '---', 'latin1')
}

/** A complete header for `stanzas`, MAC'd with the file key. */
export function serializeHeader(stanzas: readonly Stanza[], fileKey: Uint8Array): Buffer {
  const macInput = encodeStanzas(stanzas)
  const mac = computeHeaderMac(fileKey, macInput)
  return Buffer.concat([macInput, Buffer.from(' ' + b64encode(mac) + '\n', 'latin1')])
}
