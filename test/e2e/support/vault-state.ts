import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'

/** The header NumPy writes for a 1-D complex128 (little endian) array of `len` items, padded to 64 bytes. */
export function npyHeader(len: number): Buffer {
  let dict = `{'descr': '<c16', 'fortran_order': False, 'shape': (${len},), }`
  dict += ' '.repeat(63 - ((10 + dict.length) % 64)) + '\n'
  const header = Buffer.alloc(10 + dict.length)
  header.write('\x93NUMPY', 0, 'latin1')
  header[6] = 1
  header[7] = 0
  header.writeUInt16LE(dict.length, 8)
  header.write(dict, 10, 'latin1')
  return header
}

/**
 * A 3-qubit state as NumPy writes it (complex128, little endian, 1-D, header padded to 64 bytes):
 * (|000⟩ + i|011⟩ + |101⟩ − |111⟩) / 2 — four equal probabilities with four different phases.
 */
export function npyState(): Buffer {
  const amps: [number, number][] = Array.from({ length: 8 }, () => [0, 0])
  amps[0] = [0.5, 0]
  amps[3] = [0, 0.5]
  amps[5] = [0.5, 0]
  amps[7] = [-0.5, 0]
  const data = Buffer.alloc(8 * 16)
  amps.forEach(([re, im], i) => {
    data.writeDoubleLE(re, i * 16)
    data.writeDoubleLE(im, i * 16 + 8)
  })
  return Buffer.concat([npyHeader(8), data])
}

export async function writeNpyState(dir: string, name = 'bell-mix.npy'): Promise<string> {
  const path = join(dir, name)
  await writeFile(path, npyState())
  return path
}
