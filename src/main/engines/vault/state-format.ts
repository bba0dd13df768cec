import { DomainError } from '../../domain-error'

/**
 * Quantum state data as stored in the vault: a NumPy `.npy` file (format 1.0–3.0) holding a 1-D complex vector,
 * complex128 or complex64, either byte order. JSON imports are stored as canonical little-endian complex128.
 */

export const MAX_QUBITS = 34
export const NORM_TOLERANCE = 1e-6
const MAGIC = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59])

export type Dtype = '<c16' | '>c16' | '<c8' | '>c8'

export interface NpyHeader {
  dtype: Dtype
  /** Amplitudes in the vector. */
  length: number
  qubits: number
  /** Bytes of the whole header (magic … padding). */
  headerBytes: number
  /** Bytes of one amplitude (16 or 8). */
  itemBytes: number
}

/** Reverse the byte order of each float in place. */
export function swapBytes(b: Buffer, f64: boolean): void {
  if (f64) b.swap64()
  else b.swap32()
}

const bad = (msg: string): DomainError => new DomainError('INVALID_INPUT', msg)

/** The qubit count for a vector length, or a clear refusal. */
export function qubitsFor(length: number): number {
  if (!Number.isSafeInteger(length) || length < 2)
    throw bad(`The state vector has ${length} amplitude(s); a state needs at least 2 (one qubit).`)
  const n = Math.log2(length)
  if (!Number.isInteger(n))
    throw bad(
      `The state vector has ${length} amplitudes, which is not a power of two: a state of n qubits has 2^n.`,
    )
  if (n > MAX_QUBITS) throw bad(`The state has ${n} qubits; the vault holds at most ${MAX_QUBITS}.`)
  return n
}

/**
 * Parse the `.npy` header from the start of a file. `head` must hold the whole header (at most 64 KiB is read
 * by callers; NumPy writes 128 bytes for a 1-D array). Returns null when more bytes are needed.
 */
export function parseNpyHeader(head: Buffer): NpyHeader {
  if (head.length < 10 || !head.subarray(0, 6).equals(MAGIC))
    throw bad(
      'This is not a NumPy .npy file (its first bytes are not \\x93NUMPY). Save the state with np.save.',
    )
  const major = head[6]!
  let len: number
  let start: number
  if (major === 1) {
    len = head.readUInt16LE(8)
    start = 10
  } else if (major === 2 || major === 3) {
    if (head.length < 12) throw bad('The .npy header is truncated.')
    len = head.readUInt32LE(8)
    start = 12
  } else throw bad(`The .npy format version ${major}.${head[7]} is not supported (1.0 to 3.0 are).`)
  if (len > 65536 || head.length < start + len)
    throw bad('The .npy header is truncated or larger than 64 KiB.')
  const text = head.toString(major === 3 ? 'utf8' : 'latin1', start, start + len)
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(text)?.[1]
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(text)?.[1]
  const shape = /'shape'\s*:\s*\(([^)]*)\)/.exec(text)?.[1]
  if (descr === undefined || fortran === undefined || shape === undefined)
    throw bad('The .npy header does not name descr, fortran_order and shape.')
  const dims = shape
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
  if (dims.length !== 1)
    throw bad(
      `The .npy array has shape (${shape.trim()}); a state vector is 1-D. Save state.data, not a matrix.`,
    )
  if (!/^\d+$/.test(dims[0]!)) throw bad(`The .npy shape (${shape.trim()}) is not a length.`)
  const length = Number(dims[0])
  const d = descr === '=c16' || descr === '|c16' ? '<c16' : descr === '=c8' ? '<c8' : descr
  if (d !== '<c16' && d !== '>c16' && d !== '<c8' && d !== '>c8')
    throw bad(
      `The .npy dtype is ${descr}; the vault takes complex128 or complex64 (little or big endian). Convert with .astype(np.complex128).`,
    )
  return {
    dtype: d,
    length,
    qubits: qubitsFor(length),
    headerBytes: start + len,
    itemBytes: d.endsWith('16') ? 16 : 8,
  }
}

/** A NumPy 1.0 header for a 1-D vector, padded to 64 bytes as NumPy writes it. */
export function npyHeader(dtype: Dtype, length: number): Buffer {
  let dict = `{'descr': '${dtype}', 'fortran_order': False, 'shape': (${length},), }`
  dict += ' '.repeat(63 - ((10 + dict.length) % 64)) + '\n'
  const out = Buffer.alloc(10 + dict.length)
  MAGIC.copy(out, 0)
  out[6] = 1
  out[7] = 0
  out.writeUInt16LE(dict.length, 8)
  out.write(dict, 10, 'latin1')
  return out
}

export interface TopState {
  /** Basis state index. */
  index: number
  probability: number
  /** Phase of the amplitude in radians, (-π, π]. */
  phase: number
}

/** What the detail view draws without decrypting: the largest basis-state probabilities and their phases. */
export interface ChartSummary {
  top: TopState[]
  /** Probability mass outside `top`. */
  rest: number
  /** Sum of |a|² over the whole vector (1 for a normalized state; as stored). */
  norm: number
  /** Basis states with non-zero amplitude. */
  nonZero: number
}

const TOP = 16

/**
 * Reads amplitudes (any dtype, either byte order) as they stream by: finiteness, the norm, the top basis states.
 * Bytes may arrive split anywhere; a partial amplitude waits for the next call.
 */
export class AmplitudeScanner {
  private readonly carry: Buffer
  private carried = 0
  private index = 0
  private sum = 0
  private comp = 0
  private nonZero = 0
  private readonly top: TopState[] = []
  private minTop = 0
  private readonly scratch: Buffer
  private readonly f64: boolean
  private readonly swap: boolean

  constructor(
    readonly header: NpyHeader,
    chunkBytes = 1 << 20,
  ) {
    this.carry = Buffer.alloc(header.itemBytes)
    this.scratch = Buffer.allocUnsafeSlow(chunkBytes + header.itemBytes)
    this.f64 = header.itemBytes === 16
    this.swap = header.dtype.startsWith('>')
  }

  get amplitudes(): number {
    return this.index
  }

  /** Feed data bytes (after the header). Throws INVALID_INPUT on a non-finite value or too many amplitudes. */
  feed(bytes: Buffer): void {
    let off = 0
    const item = this.header.itemBytes
    while (off < bytes.length) {
      const take = Math.min(this.scratch.length - item, bytes.length - off)
      if (this.carried > 0) this.carry.copy(this.scratch, 0, 0, this.carried)
      bytes.copy(this.scratch, this.carried, off, off + take)
      const have = this.carried + take
      const whole = have - (have % item)
      this.scan(this.scratch.subarray(0, whole))
      this.carried = have - whole
      if (this.carried > 0) this.scratch.copy(this.carry, 0, whole, have)
      off += take
    }
  }

  private scan(block: Buffer): void {
    if (block.length === 0) return
    if (this.swap) swapBytes(block, this.f64)
    const count = block.length / this.header.itemBytes
    if (this.index + count > this.header.length)
      throw bad(`The file holds more amplitudes than its header's shape (${this.header.length}).`)
    const values = this.f64
      ? new Float64Array(block.buffer, block.byteOffset, block.length / 8)
      : new Float32Array(block.buffer, block.byteOffset, block.length / 4)
    let sum = this.sum
    let comp = this.comp
    for (let i = 0; i < count; i++) {
      const re = values[2 * i]!
      const im = values[2 * i + 1]!
      const p = re * re + im * im
      if (!Number.isFinite(p) || !Number.isFinite(re) || !Number.isFinite(im))
        throw bad(
          `Amplitude ${this.index + i} is not a finite number (${Number.isFinite(re) ? im : re}); a state holds only finite values.`,
        )
      // Kahan summation: 2^34 terms would otherwise lose the 1e-6 the check needs
      const y = p - comp
      const t = sum + y
      comp = t - sum - y
      sum = t
      if (p > 0) this.nonZero++
      if (p > this.minTop || this.top.length < TOP) this.offer(this.index + i, p, re, im)
    }
    this.sum = sum
    this.comp = comp
    this.index += count
    if (this.swap) swapBytes(block, this.f64)
  }

  private offer(index: number, probability: number, re: number, im: number): void {
    this.top.push({ index, probability, phase: Math.atan2(im, re) })
    if (this.top.length > TOP) {
      this.top.sort((a, b) => b.probability - a.probability || a.index - b.index)
      this.top.length = TOP
    }
    this.minTop = this.top.length < TOP ? 0 : Math.min(...this.top.map((t) => t.probability))
  }

  /** After the last byte: the exact amplitude count is checked; returns the norm and chart summary. */
  finish(): ChartSummary {
    if (this.carried !== 0 || this.index !== this.header.length)
      throw bad(
        `The file ends after ${this.index} of the ${this.header.length} amplitudes its header announces: it is truncated.`,
      )
    const top = [...this.top].sort((a, b) => b.probability - a.probability || a.index - b.index)
    const inTop = top.reduce((s, t) => s + t.probability, 0)
    return { top, rest: Math.max(0, this.sum - inTop), norm: this.sum, nonZero: this.nonZero }
  }
}

/** Refuses a norm away from 1 unless normalizing was asked for. */
export function checkNorm(norm: number, normalize: boolean): void {
  if (norm === 0) throw bad('Every amplitude is zero: that is not a quantum state.')
  if (Math.abs(norm - 1) > NORM_TOLERANCE && !normalize)
    throw bad(
      `The state's norm (sum of |amplitude|²) is ${norm.toPrecision(10)}, not 1 within ${NORM_TOLERANCE}. Import with normalize (--normalize) to scale it, or fix the data.`,
    )
}

/** Scale every amplitude of data bytes in place by `factor` (dtype and byte order kept). */
export function scaleAmplitudes(block: Buffer, header: NpyHeader, factor: number): void {
  const swap = header.dtype.startsWith('>')
  const f64 = header.itemBytes === 16
  if (swap) swapBytes(block, f64)
  const values = f64
    ? new Float64Array(block.buffer, block.byteOffset, block.length / 8)
    : new Float32Array(block.buffer, block.byteOffset, block.length / 4)
  for (let i = 0; i < values.length; i++) values[i] = values[i]! * factor
  if (swap) swapBytes(block, f64)
}

export interface Entanglement {
  qubits: number[]
  measure?: number
}

/** Entanglement groups: `[{ qubits: [...], measure? }]` or `[[i, j], …]`; indices distinct and below n. */
export function parseEntanglements(raw: unknown, qubits: number): Entanglement[] {
  if (raw === undefined || raw === null) return []
  if (!Array.isArray(raw)) throw bad('"entanglements" must be a list of qubit groups.')
  if (raw.length > 10_000) throw bad('"entanglements" has more than 10,000 groups.')
  return raw.map((g: unknown, i) => {
    const obj = Array.isArray(g)
      ? { qubits: g as unknown }
      : (g as { qubits?: unknown; measure?: unknown } | null)
    if (!obj || typeof obj !== 'object' || !Array.isArray(obj.qubits))
      throw bad(`Entanglement ${i} is not a group of qubit indices ({ "qubits": [0, 1] } or [0, 1]).`)
    const idx = obj.qubits as unknown[]
    if (idx.length < 2) throw bad(`Entanglement ${i} names ${idx.length} qubit(s); a group needs at least 2.`)
    for (const q of idx)
      if (typeof q !== 'number' || !Number.isInteger(q) || q < 0 || q >= qubits)
        throw bad(`Entanglement ${i} names qubit ${String(q)}, but the state has qubits 0 to ${qubits - 1}.`)
    if (new Set(idx).size !== idx.length) throw bad(`Entanglement ${i} names a qubit twice.`)
    const measure = 'measure' in obj ? obj.measure : undefined
    if (measure !== undefined && (typeof measure !== 'number' || !Number.isFinite(measure) || measure < 0))
      throw bad(`Entanglement ${i} has a measure that is not a finite number ≥ 0.`)
    return measure === undefined ? { qubits: idx as number[] } : { qubits: idx as number[], measure }
  })
}

/** The amplitudes of a JSON `vector` ([[re, im], …] or [{re, im}, …]) as little-endian complex128 bytes. */
export function vectorFromJson(raw: unknown): Buffer {
  if (!Array.isArray(raw))
    throw bad('"vector" must be a list of amplitudes: [[re, im], …] or [{ "re": …, "im": … }, …].')
  qubitsFor(raw.length)
  const out = Buffer.allocUnsafe(raw.length * 16)
  const f = new Float64Array(out.buffer, out.byteOffset, raw.length * 2)
  for (let i = 0; i < raw.length; i++) {
    const a: unknown = raw[i]
    let re: unknown
    let im: unknown
    if (Array.isArray(a) && a.length === 2) [re, im] = a as unknown[]
    else if (a && typeof a === 'object' && 're' in a && 'im' in a)
      ({ re, im } = a as { re: unknown; im: unknown })
    else throw bad(`Amplitude ${i} is neither [re, im] nor { "re": …, "im": … }.`)
    if (typeof re !== 'number' || typeof im !== 'number' || !Number.isFinite(re) || !Number.isFinite(im))
      throw bad(`Amplitude ${i} is not a pair of finite numbers; a state holds only finite values.`)
    f[2 * i] = re
    f[2 * i + 1] = im
  }
  return out
}

const num = (x: number): string => (Object.is(x, -0) ? '-0' : JSON.stringify(x))

/** One amplitude as JSON text: shortest round-trip decimal of each double. */
export function amplitudeJson(re: number, im: number): string {
  return `[${num(re)},${num(im)}]`
}
