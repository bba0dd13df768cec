/** Bech32 (BIP 173) without the 90-character limit, as age uses it for keys (post-quantum recipients are long). */
const CHARSET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l'
const GEN = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3]

function polymod(values: number[]): number {
  let chk = 1
  for (const v of values) {
    const top = chk >>> 25
    chk = (((chk & 0x1ffffff) << 5) ^ v) >>> 0
    for (let i = 0; i < 5; i++) if ((top >>> i) & 1) chk = (chk ^ GEN[i]!) >>> 0
  }
  return chk
}

const hrpExpand = (hrp: string): number[] => [
  ...[...hrp].map((c) => c.charCodeAt(0) >> 5),
  0,
  ...[...hrp].map((c) => c.charCodeAt(0) & 31),
]

function convertBits(data: ArrayLike<number>, from: number, to: number, pad: boolean): number[] | null {
  let acc = 0
  let bits = 0
  const out: number[] = []
  const max = (1 << to) - 1
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!
    if (v >> from !== 0) return null
    acc = (acc << from) | v
    bits += from
    while (bits >= to) {
      bits -= to
      out.push((acc >> bits) & max)
    }
    acc &= (1 << bits) - 1
  }
  if (pad) {
    if (bits > 0) out.push((acc << (to - bits)) & max)
  } else if (bits >= from || ((acc << (to - bits)) & max) !== 0) return null
  return out
}

export function bech32Encode(hrp: string, data: Uint8Array): string {
  const lower = hrp.toLowerCase()
  const words = convertBits(data, 8, 5, true) ?? []
  const chk = polymod([...hrpExpand(lower), ...words, 0, 0, 0, 0, 0, 0]) ^ 1
  const checksum = Array.from({ length: 6 }, (_, i) => (chk >>> (5 * (5 - i))) & 31)
  const text = lower + '1' + [...words, ...checksum].map((w) => CHARSET[w]).join('')
  return hrp === hrp.toUpperCase() ? text.toUpperCase() : text
}

/** Decode and check; null when the text is not valid Bech32 (mixed case, bad checksum, bad characters). */
export function bech32Decode(text: string): { hrp: string; data: Uint8Array } | null {
  if (text !== text.toLowerCase() && text !== text.toUpperCase()) return null
  const s = text.toLowerCase()
  const sep = s.lastIndexOf('1')
  if (sep < 1 || sep + 7 > s.length) return null
  const hrp = s.slice(0, sep)
  for (const c of hrp) if (c.charCodeAt(0) < 33 || c.charCodeAt(0) > 126) return null
  const words: number[] = []
  for (const c of s.slice(sep + 1)) {
    const w = CHARSET.indexOf(c)
    if (w < 0) return null
    words.push(w)
  }
  if (polymod([...hrpExpand(hrp), ...words]) !== 1) return null
  const bytes = convertBits(words.slice(0, -6), 5, 8, false)
  if (!bytes) return null
  return { hrp, data: Uint8Array.from(bytes) }
}
