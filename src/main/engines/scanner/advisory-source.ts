import { readdirSync, readFileSync, statSync } from 'node:fs'
import { extname, join } from 'node:path'
import { unzipSync } from 'fflate'
import { DomainError } from '../../domain-error'
import { readOsv, type OsvRecord } from './osv'

/** Where a scan gets advisories from: the imported database, or a folder/zip read for one scan. */
export interface AdvisorySource {
  /** Advisories naming this package in this ecosystem (npm names compared case-insensitively). */
  lookup(ecosystem: string, name: string): OsvRecord[]
  describe(): { source: string; count: number; newestModified: string | null }
}

export const packageKey = (ecosystem: string, name: string): string =>
  `${ecosystem.toLowerCase()}\u0000${ecosystem.toLowerCase() === 'npm' ? name.toLowerCase() : name}`

export interface LoadStats {
  files: number
  records: number
  skipped: { file: string; reason: string }[]
}

const MAX_FILE = 32 * 1024 * 1024

/** Every .json file under a folder (recursively, symlinks not followed), sorted for a stable order. */
function jsonFiles(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (e.name.startsWith('.')) continue
    const p = join(dir, e.name)
    if (e.isDirectory()) jsonFiles(p, out)
    else if (e.isFile() && extname(e.name).toLowerCase() === '.json') out.push(p)
  }
  return out
}

/** The entries of a folder or zip of OSV records, read one at a time. */
interface OsvEntries {
  total: number
  /** The entry's name and text, or why it was skipped. */
  read(i: number): { name: string; text: string | null; skip?: string }
}

function openOsvPath(path: string): OsvEntries {
  let st
  try {
    st = statSync(path)
  } catch {
    throw new DomainError(
      'INVALID_INPUT',
      `${path} does not exist. Give a folder of OSV .json files or an OSV all.zip.`,
    )
  }
  if (st.isDirectory()) {
    const files = jsonFiles(path)
    return {
      total: files.length,
      read: (i) => {
        const f = files[i]!
        if (statSync(f).size > MAX_FILE) return { name: f, text: null, skip: 'larger than 32 MiB' }
        return { name: f, text: readFileSync(f, 'utf8') }
      },
    }
  }
  if (!st.isFile() || extname(path).toLowerCase() !== '.zip')
    throw new DomainError(
      'INVALID_INPUT',
      `${path} is neither a folder nor a .zip. Give a folder of OSV .json files or an OSV all.zip.`,
    )
  let entries: Record<string, Uint8Array>
  try {
    entries = unzipSync(readFileSync(path), {
      filter: (f) => f.name.toLowerCase().endsWith('.json') && f.originalSize <= MAX_FILE,
    })
  } catch (e) {
    throw new DomainError(
      'INVALID_INPUT',
      `${path} could not be read as a zip (${(e as Error).message}). Download the archive again.`,
    )
  }
  const names = Object.keys(entries).sort()
  const dec = new TextDecoder()
  return { total: names.length, read: (i) => ({ name: names[i]!, text: dec.decode(entries[names[i]!]!) }) }
}

function taker(stats: LoadStats, each: (r: OsvRecord) => void) {
  return (name: string, text: string | null, skip?: string) => {
    stats.files++
    if (text === null) {
      stats.skipped.push({ file: name, reason: skip ?? 'unreadable' })
      return
    }
    let raw: unknown
    try {
      raw = JSON.parse(text)
    } catch {
      stats.skipped.push({ file: name, reason: 'not valid JSON' })
      return
    }
    const r = readOsv(raw)
    if ('error' in r) stats.skipped.push({ file: name, reason: r.error })
    else {
      stats.records++
      each(r.record)
    }
  }
}

/**
 * Read OSV records from a folder of .json files (searched recursively) or an OSV `all.zip`, calling `each` per
 * record. Files that are not OSV records are skipped and listed, so one bad file does not stop an import.
 */
export function readOsvPath(
  path: string,
  each: (r: OsvRecord) => void,
  onProgress?: (done: number, total: number, current: string) => void,
): LoadStats {
  const src = openOsvPath(path)
  const stats: LoadStats = { files: 0, records: 0, skipped: [] }
  const take = taker(stats, each)
  for (let i = 0; i < src.total; i++) {
    const e = src.read(i)
    onProgress?.(i, src.total, e.name)
    take(e.name, e.text, e.skip)
  }
  return stats
}

/**
 * The same, yielding to the event loop every 200 files so a job can report progress and be cancelled (throws
 * CANCELLED when `signal` aborts; records already handed to `each` stay handed).
 */
export async function readOsvPathAsync(
  path: string,
  each: (r: OsvRecord) => void,
  onProgress?: (done: number, total: number, current: string) => void,
  signal?: AbortSignal,
): Promise<LoadStats> {
  const src = openOsvPath(path)
  const stats: LoadStats = { files: 0, records: 0, skipped: [] }
  const take = taker(stats, each)
  for (let i = 0; i < src.total; i++) {
    if (i % 200 === 0) {
      await new Promise<void>((r) => setImmediate(r))
      if (signal?.aborted) throw new DomainError('CANCELLED', 'Cancelled.')
    }
    const e = src.read(i)
    if (i % 50 === 0) onProgress?.(i, src.total, e.name)
    take(e.name, e.text, e.skip)
  }
  onProgress?.(src.total, src.total, '')
  return stats
}

/** Advisories held in memory for one scan (`qqsec scan --advisories PATH`). */
export class MemoryAdvisorySource implements AdvisorySource {
  private readonly byPackage = new Map<string, OsvRecord[]>()
  private count = 0
  private newest: string | null = null

  constructor(private readonly source: string) {}

  add(r: OsvRecord): void {
    this.count++
    if (!this.newest || r.modified > this.newest) this.newest = r.modified
    const keys = new Set(r.affected.map((a) => packageKey(a.package.ecosystem, a.package.name)))
    for (const k of keys) {
      const list = this.byPackage.get(k)
      if (list) list.push(r)
      else this.byPackage.set(k, [r])
    }
  }

  lookup(ecosystem: string, name: string): OsvRecord[] {
    return this.byPackage.get(packageKey(ecosystem, name)) ?? []
  }

  describe() {
    return { source: this.source, count: this.count, newestModified: this.newest }
  }

  static fromPath(path: string): { source: MemoryAdvisorySource; stats: LoadStats } {
    const source = new MemoryAdvisorySource(path)
    const stats = readOsvPath(path, (r) => source.add(r))
    return { source, stats }
  }
}
