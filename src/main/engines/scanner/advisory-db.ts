import type { Db } from '../../db/connection'
import type { Clock } from '../../platform/clock'
import { iso } from '../../platform/clock'
import {
  packageKey,
  readOsvPath,
  readOsvPathAsync,
  type AdvisorySource,
  type LoadStats,
} from './advisory-source'
import type { OsvRecord } from './osv'

export interface ImportResult {
  source: string
  files: number
  added: number
  updated: number
  unchanged: number
  skipped: { file: string; reason: string }[]
}

export interface DbStatus {
  source: string | null
  importedAt: string | null
  count: number
  withdrawn: number
  newestModified: string | null
  /** Days between the newest `modified` and now; null without advisories. */
  ageDays: number | null
  stale: boolean
}

const STALE_DAYS = 30
const BATCH = 500

/** The imported advisory database in the console's SQLite. */
export class AdvisoryDb implements AdvisorySource {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  /**
   * Import (or re-import) a folder or zip of OSV records. A record whose `modified` is unchanged is left alone; a
   * newer or changed one replaces the stored one with its package index, all in transactions of 500 records.
   */
  import(path: string, onProgress?: (done: number, total: number, current: string) => void): ImportResult {
    const w = this.writer(path)
    const stats = readOsvPath(path, w.push, onProgress)
    return w.finish(stats)
  }

  /**
   * The same as a job step: yields between files, reports progress and stops on `signal` (batches already written
   * stay; importing again completes it, since unchanged records are skipped).
   */
  async importAsync(
    path: string,
    opts: { onProgress?: (done: number, total: number, current: string) => void; signal?: AbortSignal } = {},
  ): Promise<ImportResult> {
    const w = this.writer(path)
    const stats = await readOsvPathAsync(path, w.push, opts.onProgress, opts.signal)
    return w.finish(stats)
  }

  private writer(path: string) {
    const now = iso(this.clock.now())
    const get = this.db.prepare(`SELECT modified, record FROM advisories WHERE id = ?`)
    const upsert = this.db.prepare(
      `INSERT INTO advisories (id, modified, withdrawn, record, imported_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT(id) DO UPDATE SET modified = excluded.modified, withdrawn = excluded.withdrawn,
         record = excluded.record, imported_at = excluded.imported_at`,
    )
    const clearPkgs = this.db.prepare(`DELETE FROM advisory_packages WHERE advisory_id = ?`)
    const addPkg = this.db.prepare(
      `INSERT OR IGNORE INTO advisory_packages (package_key, advisory_id) VALUES (?, ?)`,
    )
    const result: ImportResult = { source: path, files: 0, added: 0, updated: 0, unchanged: 0, skipped: [] }
    let batch: OsvRecord[] = []
    const flush = this.db.transaction((records: OsvRecord[]) => {
      for (const r of records) {
        const json = JSON.stringify(r)
        const prev = get.get(r.id) as { modified: string; record: string } | undefined
        if (prev && prev.record === json) {
          result.unchanged++
          continue
        }
        if (prev) result.updated++
        else result.added++
        upsert.run(r.id, r.modified, r.withdrawn, json, now)
        clearPkgs.run(r.id)
        for (const a of r.affected) addPkg.run(packageKey(a.package.ecosystem, a.package.name), r.id)
      }
    })
    return {
      push: (r: OsvRecord) => {
        batch.push(r)
        if (batch.length >= BATCH) {
          flush(batch)
          batch = []
        }
      },
      finish: (stats: LoadStats): ImportResult => {
        flush(batch)
        batch = []
        result.files = stats.files
        result.skipped = stats.skipped
        this.db
          .prepare(
            `INSERT INTO advisory_imports (source, imported_at, added, updated, unchanged, skipped) VALUES (?, ?, ?, ?, ?, ?)`,
          )
          .run(path, now, result.added, result.updated, result.unchanged, result.skipped.length)
        return result
      },
    }
  }

  private lookupStmt: ReturnType<Db['prepare']> | null = null

  lookup(ecosystem: string, name: string): OsvRecord[] {
    this.lookupStmt ??= this.db.prepare(
      `SELECT a.record FROM advisory_packages p JOIN advisories a ON a.id = p.advisory_id WHERE p.package_key = ?`,
    )
    return (this.lookupStmt.all(packageKey(ecosystem, name)) as { record: string }[]).map(
      (r) => JSON.parse(r.record) as OsvRecord,
    )
  }

  status(): DbStatus {
    const agg = this.db
      .prepare(
        `SELECT count(*) AS n, sum(withdrawn IS NOT NULL) AS w, max(modified) AS newest FROM advisories`,
      )
      .get() as { n: number; w: number | null; newest: string | null }
    const last = this.db
      .prepare(`SELECT source, imported_at FROM advisory_imports ORDER BY seq DESC LIMIT 1`)
      .get() as { source: string; imported_at: string } | undefined
    const newestMs = agg.newest ? Date.parse(agg.newest) : NaN
    const ageDays = Number.isFinite(newestMs) ? Math.floor((this.clock.now() - newestMs) / 86_400_000) : null
    return {
      source: last?.source ?? null,
      importedAt: last?.imported_at ?? null,
      count: agg.n,
      withdrawn: agg.w ?? 0,
      newestModified: agg.newest,
      ageDays,
      stale: agg.n === 0 || (ageDays !== null && ageDays > STALE_DAYS),
    }
  }

  describe() {
    const s = this.status()
    return { source: s.source ?? 'imported database', count: s.count, newestModified: s.newestModified }
  }
}
