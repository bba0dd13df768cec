import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import { ArmorSink, ArmorSource, looksArmored } from './armor'
import { AgeError, headerError } from './errors'
import { computeHeaderMac, parseHeader, serializeHeader, MAX_HEADER_BYTES, type ParsedHeader } from './header'
import { readFull, rewoundSource, type ByteSink, type ByteSource } from './io'
import { FILE_KEY_BYTES, type Identity, type Recipient } from './recipients'
import { decryptPayload, encryptPayload, NONCE_BYTES, payloadKey, type StreamOptions } from './stream'

export interface EncryptOptions extends StreamOptions {
  armor?: boolean
}

export interface EncryptResult {
  /** The binary header bytes (MAC line included). */
  header: Buffer
  plaintextBytes: number
}

/** Encrypt `src` to `recipients` as an age v1 file written to `sink`. */
export async function encrypt(
  recipients: readonly Recipient[],
  src: ByteSource,
  sink: ByteSink,
  opts: EncryptOptions = {},
): Promise<EncryptResult> {
  if (recipients.length === 0) throw new AgeError('recipient', 'No recipient was given: add at least one -r.')
  if (recipients.some((r) => r.type === 'scrypt') && recipients.length > 1)
    throw new AgeError('recipient', 'A passphrase cannot be combined with other recipients.')
  const fileKey = randomBytes(FILE_KEY_BYTES)
  const header = serializeHeader(
    recipients.map((r) => r.wrap(fileKey)),
    fileKey,
  )
  const nonce = randomBytes(NONCE_BYTES)
  const out = opts.armor ? new ArmorSink(sink) : sink
  out.write([header, nonce])
  const plaintextBytes = await encryptPayload(payloadKey(fileKey, nonce), src, out, opts)
  if (out instanceof ArmorSink) out.end()
  return { header, plaintextBytes }
}

export interface OpenedHeader {
  header: ParsedHeader
  /** The raw binary header bytes (MAC line included). */
  raw: Buffer
  /** The payload, starting with its nonce. */
  payload: ByteSource
  armored: boolean
}

/** Read and parse the header (armor detected), leaving the payload to be read from `payload`. */
export function readHeader(input: ByteSource): OpenedHeader {
  const peek = Buffer.allocUnsafe(4096)
  const n = readFull(input, peek, 0, peek.length)
  const head = peek.subarray(0, n)
  const armored = looksArmored(head)
  if (!armored && !head.toString('latin1', 0, 19).startsWith('age-') && head.includes('-----BEGIN AGE'))
    throw new AgeError('armor', 'The ASCII armor is malformed: there is data before the armor line.')
  const src: ByteSource = armored
    ? new ArmorSource(n < peek.length ? emptyAfter() : input, head)
    : rewoundSource(head, input)
  let buf = Buffer.alloc(0)
  let eof = false
  const tmp = Buffer.allocUnsafe(16 * 1024)
  for (;;) {
    const header = parseHeader(buf, eof)
    if (header) {
      const raw = Buffer.from(buf.subarray(0, header.length))
      return { header, raw, payload: rewoundSource(Buffer.from(buf.subarray(header.length)), src), armored }
    }
    if (eof) throw headerError('the file ends inside the header')
    if (buf.length > MAX_HEADER_BYTES) throw headerError('the header is larger than 1 MiB')
    const got = src.read(tmp, 0, tmp.length)
    if (got === 0) eof = true
    else buf = Buffer.concat([buf, tmp.subarray(0, got)])
  }
}

const emptyAfter = (): ByteSource => ({ read: () => 0 })

/** The file key from the first stanza an identity opens; the header MAC is checked with it. */
export function unwrapFileKey(header: ParsedHeader, identities: readonly Identity[]): Buffer {
  const scrypt = header.stanzas.some((s) => s.args[0] === 'scrypt')
  if (scrypt && header.stanzas.length > 1) throw headerError('an scrypt stanza must be the only stanza')
  let fileKey: Uint8Array | null = null
  search: for (const id of identities) {
    for (const stanza of header.stanzas) {
      fileKey = id.unwrap(stanza)
      if (fileKey) break search
    }
  }
  if (!fileKey) {
    throw new AgeError(
      'no-match',
      scrypt && !identities.some((i) => i.type === 'scrypt')
        ? 'This file is encrypted with a passphrase; decrypt it with the passphrase.'
        : 'No identity opens this file: it was encrypted to other recipients. Use the matching identity file.',
    )
  }
  if (fileKey.length !== FILE_KEY_BYTES) throw headerError('the wrapped file key is not 16 bytes')
  const mac = computeHeaderMac(fileKey, header.macInput)
  if (!timingSafeEqual(mac, header.mac))
    throw new AgeError(
      'hmac',
      'The age header MAC does not match: the header was altered. Do not trust this file.',
    )
  return Buffer.from(fileKey)
}

export interface DecryptResult {
  plaintextBytes: number
  /** SHA-256 of the binary header: binds a stored file to its properties. */
  headerHash: string
  armored: boolean
}

export const headerHash = (raw: Uint8Array): string => createHash('sha256').update(raw).digest('hex')

/** Decrypt an age file from `input` into `sink`; throws AgeError on anything malformed or unauthenticated. */
export async function decrypt(
  identities: readonly Identity[],
  input: ByteSource,
  sink: ByteSink,
  opts: StreamOptions = {},
): Promise<DecryptResult> {
  return decryptOpened(readHeader(input), identities, sink, opts)
}

/** Decrypt after `readHeader` (for callers that pick identities from the header, e.g. a passphrase). */
export async function decryptOpened(
  opened: OpenedHeader,
  identities: readonly Identity[],
  sink: ByteSink,
  opts: StreamOptions = {},
): Promise<DecryptResult> {
  const fileKey = unwrapFileKey(opened.header, identities)
  const nonce = Buffer.allocUnsafe(NONCE_BYTES)
  if (readFull(opened.payload, nonce, 0, NONCE_BYTES) !== NONCE_BYTES)
    throw headerError('the payload nonce is missing or truncated')
  const plaintextBytes = await decryptPayload(payloadKey(fileKey, nonce), opened.payload, sink, opts)
  return { plaintextBytes, headerHash: headerHash(opened.raw), armored: opened.armored }
}

/** A new header wrapping the same file key for other recipients; the payload stays as it is. */
export function rewrapHeader(
  header: ParsedHeader,
  identities: readonly Identity[],
  recipients: readonly Recipient[],
): Buffer {
  const fileKey = unwrapFileKey(header, identities)
  return serializeHeader(
    recipients.map((r) => r.wrap(fileKey)),
    fileKey,
  )
}
