import { closeSync, openSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { basename, extname, join, relative, resolve, sep } from 'node:path'
import { parse as parseYaml } from 'yaml'
import { DomainError } from '../../domain-error'
import type { AdvisorySource } from './advisory-source'
import { checkOtherFile, checkSource, emptyFacts, projectChecks, SOURCE_EXT } from './config-checks'
import {
  fingerprintOf,
  riskScore,
  severityRank,
  SEVERITIES,
  type Acceptance,
  type DependencyFinding,
  type Finding,
} from './findings'
import { entryMatches, IGNORE_FILE, readIgnoreFile, type IgnoreEntry } from './ignore-file'
import { LOCKFILE_NAMES, parseLockfile, type LockfileKind } from './lockfiles'
import { affectedIncludes, fixedVersionsFor, severityOf, type OsvRecord, type Severity } from './osv'
import { remediationPlan, type RemediationAction } from './remediation'
import { scanTextForSecrets } from './secrets'

export const SCANNER_VERSION = '1.0.0'

/** Folders never walked: installed packages, VCS data, build output. */
export const SKIP_DIRS = new Set([
  'node_modules',
  '.git',
  '.hg',
  '.svn',
  'out',
  'dist',
  'build',
  'coverage',
  'test-results',
  'playwright-report',
  '.cache',
  '.next',
  '.turbo',
  '.vite',
])
const MAX_TEXT = 2 * 1024 * 1024

export interface ScanOptions {
  advisories: AdvisorySource | null
  /** Extra acceptances: console waivers (by the caller) and a baseline of fingerprints. */
  accept?: (f: Finding) => Acceptance | null
  baseline?: ReadonlySet<string>
  now: number
  signal?: AbortSignal
  onProgress?: (p: ScanProgress) => void
  /** How long the listing runs between turns of the event loop (progress, cancel); 25 ms by default. */
  listingSliceMs?: number
}

export interface ScanReport {
  tool: { name: 'qqsec'; version: string }
  root: string
  startedAt: string
  finishedAt: string
  riskScore: number
  summary: {
    files: number
    bytes: number
    lockfiles: { file: string; kind: LockfileKind; packages: number }[]
    packages: number
    byKind: Record<'dependency' | 'secret' | 'config', number>
    bySeverity: Record<Severity, number>
    accepted: number
  }
  advisoryDb: { source: string; count: number; newestModified: string | null } | null
  warnings: string[]
  findings: Finding[]
  remediation: RemediationAction[]
  tracking: { previousScanId: string | null; new: number; open: number; fixed: string[]; accepted: number }
}

interface FileEntry {
  rel: string
  abs: string
  size: number
}

/** Progress of a scan: first while listing the folder (files found so far), then per file scanned. */
export type ScanProgress =
  | { phase: 'listing'; done: number; total: null; current: string | null }
  | { phase: 'scanning'; done: number; total: number; current: string | null }

const LISTING_SLICE_MS = 25
const tick = () => new Promise<void>((r) => setImmediate(r))

/**
 * List the files to scan. Directory reads are synchronous (fast), but the walk gives the event loop a turn every
 * ~25 ms: progress (files found so far, the folder being read) reaches the job, and a cancel stops it.
 */
async function walk(
  root: string,
  signal: AbortSignal | undefined,
  onListing: ((found: number, dir: string | null) => void) | undefined,
  sliceMs = LISTING_SLICE_MS,
): Promise<FileEntry[]> {
  const out: FileEntry[] = []
  const stack = [root]
  let sliceStart = performance.now()
  while (stack.length > 0) {
    if (signal?.aborted) throw new DomainError('CANCELLED', 'Cancelled.')
    const dir = stack.pop()!
    if (performance.now() - sliceStart >= sliceMs) {
      onListing?.(out.length, relative(root, dir).split(sep).join('/') || '.')
      await tick()
      if (signal?.aborted) throw new DomainError('CANCELLED', 'Cancelled.')
      sliceStart = performance.now()
    }
    let entries
    try {
      entries = readdirSync(dir, { withFileTypes: true })
    } catch {
      continue
    }
    for (const e of entries) {
      const abs = join(dir, e.name)
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name)) stack.push(abs)
      } else if (e.isFile()) {
        let size: number
        try {
          size = statSync(abs).size
        } catch {
          continue
        }
        out.push({ rel: relative(root, abs).split(sep).join('/'), abs, size })
      }
    }
  }
  onListing?.(out.length, null)
  return out.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0))
}

const isBinary = (buf: Buffer): boolean => buf.subarray(0, 8000).includes(0)

const readText = (abs: string, size: number): string | null => {
  if (size > MAX_TEXT) return null
  const buf = readFileSync(abs)
  return isBinary(buf) ? null : buf.toString('utf8')
}

/** Group the matching advisories of one package version, merging records that alias one another. */
function matchPackage(
  records: OsvRecord[],
  name: string,
  version: string,
): { records: OsvRecord[]; ids: string[]; fixed: string[] }[] {
  const hits: { r: OsvRecord; fixed: string[] }[] = []
  for (const r of records) {
    if (r.withdrawn) continue
    const affected = r.affected.filter(
      (a) =>
        a.package.ecosystem.toLowerCase() === 'npm' && a.package.name.toLowerCase() === name.toLowerCase(),
    )
    const covering = affected.filter((a) => affectedIncludes(version, a))
    if (covering.length > 0) hits.push({ r, fixed: covering.flatMap((a) => fixedVersionsFor(version, a)) })
  }
  const groups: { records: OsvRecord[]; ids: Set<string>; fixed: Set<string> }[] = []
  for (const h of hits) {
    const ids = new Set([h.r.id, ...h.r.aliases])
    const joined = groups.filter((g) => [...ids].some((i) => g.ids.has(i)))
    const g = { records: [h.r], ids, fixed: new Set(h.fixed) }
    for (const o of joined) {
      g.records.push(...o.records)
      for (const i of o.ids) g.ids.add(i)
      for (const f of o.fixed) g.fixed.add(f)
      groups.splice(groups.indexOf(o), 1)
    }
    groups.push(g)
  }
  return groups.map((g) => {
    // the primary id: a GHSA or MAL record's own id before CVE aliases, then sorted
    const rank = (id: string) =>
      id.startsWith('GHSA-') ? 0 : id.startsWith('MAL-') ? 1 : id.startsWith('CVE-') ? 3 : 2
    const own = g.records.map((r) => r.id).sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : 1))
    const rest = [...g.ids].filter((i) => !own.includes(i)).sort()
    return { records: g.records, ids: [...own, ...rest], fixed: [...g.fixed] }
  })
}

/**
 * Scan a project folder: dependencies from every lockfile (nested workspaces included) against the advisories,
 * secrets in every text file, configuration checks on sources and config files. Pure: reads the folder, writes
 * nothing.
 */
export async function scanProject(rootInput: string, opts: ScanOptions): Promise<ScanReport> {
  const root = resolve(rootInput)
  let st
  try {
    st = statSync(root)
  } catch {
    throw new DomainError('INVALID_INPUT', `${rootInput} does not exist. Give the project folder to scan.`)
  }
  if (!st.isDirectory())
    throw new DomainError('INVALID_INPUT', `${rootInput} is not a folder. Give the project folder.`)
  const startedAt = new Date(opts.now).toISOString()
  const ignore: IgnoreEntry[] = readIgnoreFile(root)
  const warnings: string[] = []
  opts.onProgress?.({ phase: 'listing', done: 0, total: null, current: null })
  const files = await walk(
    root,
    opts.signal,
    (found, dir) => opts.onProgress?.({ phase: 'listing', done: found, total: null, current: dir }),
    opts.listingSliceMs,
  )
  const findings: Finding[] = []
  const lockfiles: ScanReport['summary']['lockfiles'] = []
  const facts = emptyFacts()
  let packages = 0
  let bytes = 0
  if (!opts.advisories)
    warnings.push(
      'No advisory database: dependencies were listed but not checked. Import one with `qqsec db import PATH` or pass --advisories PATH.',
    )
  else {
    const d = opts.advisories.describe()
    if (d.count === 0)
      warnings.push('The advisory database is empty: import advisories with `qqsec db import PATH`.')
    else if (d.newestModified && opts.now - Date.parse(d.newestModified) > 30 * 86_400_000)
      warnings.push(
        `The advisory database is older than 30 days (newest record ${d.newestModified}): import a fresh copy.`,
      )
  }
  const total = files.length
  for (let i = 0; i < files.length; i++) {
    const f = files[i]!
    if (i % 64 === 0) {
      opts.onProgress?.({ phase: 'scanning', done: i, total, current: f.rel })
      await tick()
      if (opts.signal?.aborted) throw new DomainError('CANCELLED', 'Cancelled.')
    }
    const b = basename(f.rel)
    if (b === IGNORE_FILE) continue
    let text: string | null
    try {
      text = readText(f.abs, f.size)
    } catch {
      warnings.push(`${f.rel} could not be read; skipped.`)
      continue
    }
    if (text === null) continue
    bytes += f.size
    if (LOCKFILE_NAMES.includes(b)) {
      try {
        const lf = parseLockfile(f.abs, text)
        lockfiles.push({ file: f.rel, kind: lf.kind, packages: lf.packages.length })
        packages += lf.packages.length
        if (opts.advisories) {
          for (const p of lf.packages) {
            if (p.version === '') continue
            const recs = opts.advisories.lookup('npm', p.name)
            if (recs.length === 0) continue
            for (const g of matchPackage(recs, p.name, p.version)) {
              const primary = g.records.slice().sort((a, b) => (a.id < b.id ? -1 : 1))[0]!
              const sev = g.records
                .map((r) =>
                  severityOf(
                    r,
                    r.affected.find((a) => a.package.name.toLowerCase() === p.name.toLowerCase()),
                  ),
                )
                .sort(
                  (a, b) =>
                    severityRank(b.severity) - severityRank(a.severity) || (b.score ?? 0) - (a.score ?? 0),
                )[0]!
              const dep: DependencyFinding = {
                kind: 'dependency',
                ruleId: g.ids[0]!,
                title: primary.summary || `${p.name} ${p.version} is affected by ${g.ids[0]}`,
                severity: sev.severity,
                fingerprint: fingerprintOf('dependency', f.rel, p.name, p.version, g.ids[0]!),
                status: 'new',
                accepted: null,
                package: p.name,
                version: p.version,
                lockfile: f.rel,
                ids: g.ids,
                score: sev.score,
                severitySource: sev.source,
                vector: sev.vector,
                ratings: sev.ratings,
                fixedVersions: g.fixed,
                path: p.path,
                dev: p.dev,
                summary: primary.summary,
                details: primary.details.slice(0, 20_000),
                references: [...new Set(g.records.flatMap((r) => r.references.map((x) => x.url)))].slice(
                  0,
                  50,
                ),
              }
              findings.push(dep)
            }
          }
        }
      } catch (e) {
        if (e instanceof DomainError) warnings.push(e.message)
        else throw e
      }
      continue
    }
    for (const s of scanTextForSecrets(f.rel, text)) findings.push(s)
    const ext = extname(b).toLowerCase()
    if (SOURCE_EXT.has(ext)) findings.push(...checkSource(f.rel, text, facts))
    else {
      let parsed: unknown = null
      if (/passwordPolicy|mfaEnabled/.test(text)) {
        try {
          parsed =
            ext === '.json' ? JSON.parse(text) : ext === '.yaml' || ext === '.yml' ? parseYaml(text) : null
        } catch {
          parsed = null
        }
      }
      findings.push(...checkOtherFile(f.rel, text, parsed, facts))
    }
  }
  findings.push(...projectChecks(facts))
  opts.onProgress?.({ phase: 'scanning', done: total, total, current: null })

  const today = new Date(opts.now).toISOString().slice(0, 10)
  const expired = new Set<IgnoreEntry>()
  for (const f of findings) {
    for (const e of ignore) {
      if (!entryMatches(e, f)) continue
      if (e.expires < today) {
        expired.add(e)
        continue
      }
      f.status = 'accepted'
      f.accepted = { source: 'ignore-file', reason: e.reason, expires: e.expires, ref: null }
      break
    }
    if (f.status !== 'accepted' && opts.baseline?.has(f.fingerprint)) {
      f.status = 'accepted'
      f.accepted = { source: 'baseline', reason: 'in the baseline report', expires: null, ref: null }
    }
    if (f.status !== 'accepted' && opts.accept) {
      const a = opts.accept(f)
      if (a) {
        f.status = 'accepted'
        f.accepted = a
      }
    }
  }
  for (const e of expired)
    warnings.push(
      `${IGNORE_FILE}: an entry expired on ${e.expires} (${e.reason}); its findings are open again.`,
    )

  findings.sort(
    (a, b) =>
      severityRank(b.severity) - severityRank(a.severity) ||
      a.kind.localeCompare(b.kind) ||
      a.fingerprint.localeCompare(b.fingerprint),
  )
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>
  const byKind = { dependency: 0, secret: 0, config: 0 }
  for (const f of findings)
    if (f.status !== 'accepted') {
      bySeverity[f.severity]++
      byKind[f.kind]++
    }
  const accepted = findings.filter((f) => f.status === 'accepted').length
  return {
    tool: { name: 'qqsec', version: SCANNER_VERSION },
    root,
    startedAt,
    finishedAt: new Date(Math.max(opts.now, Date.now())).toISOString(),
    riskScore: riskScore(findings),
    summary: { files: files.length, bytes, lockfiles, packages, byKind, bySeverity, accepted },
    advisoryDb: opts.advisories?.describe() ?? null,
    warnings,
    findings,
    remediation: remediationPlan(findings),
    tracking: {
      previousScanId: null,
      new: findings.filter((f) => f.status === 'new').length,
      open: 0,
      fixed: [],
      accepted,
    },
  }
}

/** Exit decision for --fail-on: any open finding at or above the level. */
export const failsAt = (report: ScanReport, level: Severity): boolean =>
  report.findings.some((f) => f.status !== 'accepted' && severityRank(f.severity) >= severityRank(level))

/** Read a fingerprint baseline from an earlier JSON report. */
export function readBaseline(path: string): Set<string> {
  let raw: unknown
  try {
    const fd = openSync(path, 'r')
    closeSync(fd)
    raw = JSON.parse(readFileSync(path, 'utf8'))
  } catch {
    throw new DomainError(
      'INVALID_INPUT',
      `${path} is not a readable JSON report. Give a file written by --format json.`,
    )
  }
  const list = (raw as { findings?: unknown }).findings
  if (!Array.isArray(list))
    throw new DomainError(
      'INVALID_INPUT',
      `${path} has no "findings" list. Give a file written by --format json.`,
    )
  return new Set(
    list.flatMap((f) =>
      typeof (f as { fingerprint?: unknown }).fingerprint === 'string'
        ? [(f as { fingerprint: string }).fingerprint]
        : [],
    ),
  )
}
