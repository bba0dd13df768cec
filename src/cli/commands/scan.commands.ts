import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { Option, type Command } from 'commander'
import { openDatabase } from '../../main/db/connection'
import { DomainError } from '../../main/domain-error'
import { MemoryAdvisorySource, type AdvisorySource } from '../../main/engines/scanner/advisory-source'
import { AdvisoryDb } from '../../main/engines/scanner/advisory-db'
import { FORMATS, render, type ReportFormat } from '../../main/engines/scanner/formats'
import { readBaseline, scanProject } from '../../main/engines/scanner/scan'
import type { Severity } from '../../main/engines/scanner/osv'
import { writeFileAtomic } from '../../main/platform/atomic-write'
import { systemClock } from '../../main/platform/clock'
import { dataFiles, resolveDataDir } from '../../main/platform/data-dir'
import type { ConsoleCore } from '../../main/console-core'
import type { Caller } from '../../main/ipc/caller'
import { asSignedIn, withAuthOptions, type AuthOptions } from '../cli-auth'
import { call, cliCaller, globals, loadCliSession, openCli } from '../cli-context'
import { CliError } from '../cli-error'
import { EXIT } from '../exit-codes'
import { awaitJob } from './db.commands'

interface ScanOpts extends AuthOptions {
  advisories?: string
  format?: ReportFormat
  output?: string
  failOn?: Severity
  baseline?: string
}

/**
 * The advisories for an anonymous scan: --advisories PATH read for this scan, else the data dir's imported
 * database opened read-only when one exists (no account or keystore needed to read public advisories).
 */
function advisoriesFor(cmd: Command, opts: ScanOpts): { source: AdvisorySource | null; close(): void } {
  if (opts.advisories) {
    const { source, stats } = MemoryAdvisorySource.fromPath(resolve(opts.advisories))
    if (stats.skipped.length > 0)
      process.stderr.write(
        `qqsec: ${stats.skipped.length} file(s) in --advisories were not OSV records and were skipped.\n`,
      )
    return { source, close: () => undefined }
  }
  const dbPath = dataFiles(resolveDataDir(globals(cmd).dataDir)).database
  if (!existsSync(dbPath)) return { source: null, close: () => undefined }
  try {
    const db = openDatabase(dbPath, { readonly: true })
    const hasTable = db.prepare(`SELECT 1 FROM sqlite_schema WHERE name = 'advisories'`).get()
    if (!hasTable) {
      db.close()
      return { source: null, close: () => undefined }
    }
    return { source: new AdvisoryDb(db, systemClock), close: () => db.close() }
  } catch (e) {
    if (e instanceof DomainError) throw e
    return { source: null, close: () => undefined }
  }
}

const SEVERITY_ORDER: readonly Severity[] = ['low', 'medium', 'high', 'critical']

/** Write the report text and decide the exit for --fail-on from the open findings by severity. */
function finish(
  text: string,
  opts: ScanOpts,
  riskScore: number,
  open: Record<Severity, number>,
  warnings: string[],
  format: ReportFormat,
): void {
  if (opts.output) {
    writeFileAtomic(resolve(opts.output), text, 0o600)
    process.stderr.write(`Report written to ${opts.output} (risk score ${riskScore}).\n`)
  } else process.stdout.write(text)
  if (format !== 'table') for (const w of warnings) process.stderr.write(`qqsec: warning: ${w}\n`)
  const level = opts.failOn
  if (level && SEVERITY_ORDER.slice(SEVERITY_ORDER.indexOf(level)).some((s) => open[s] > 0))
    throw new CliError(`findings at or above ${level} (risk score ${riskScore}).`, EXIT.findings)
}

/** A signed-in scan: run as the scans.start job (recorded, tracked, audited), the report exported from it. */
async function recordedScan(
  core: ConsoleCore,
  caller: Caller,
  dir: string,
  opts: ScanOpts,
  format: ReportFormat,
): Promise<void> {
  const job = await call(core, caller, 'scans.start', {
    root: resolve(dir),
    advisoriesPath: opts.advisories ? resolve(opts.advisories) : undefined,
    baselinePath: opts.baseline ? resolve(opts.baseline) : undefined,
  })
  const r = await awaitJob(core, caller, job, 'Scanning')
  const scanId = String(r.scanId)
  const { text } = await call(core, caller, 'scans.export', { scanId, format })
  const open = r.open as Record<Severity, number>
  process.stderr.write(
    `Scan ${scanId} recorded: ${String(r.new)} new, ${String(r.stillOpen)} still open, ${String(r.fixed)} fixed since the last scan, ${String(r.accepted)} accepted.\n`,
  )
  finish(text, opts, Number(r.riskScore), open, (r.warnings as string[]) ?? [], format)
}

/**
 * The stored CLI session of an existing data dir, when there is one: the console opened with it. Anything that
 * prevents it (no database, keystore not available, no session) means an anonymous scan.
 */
async function storedSession(cmd: Command): Promise<{ core: ConsoleCore; caller: Caller } | null> {
  if (!existsSync(dataFiles(resolveDataDir(globals(cmd).dataDir)).database)) return null
  let core: ConsoleCore
  try {
    core = await openCli(cmd)
  } catch {
    return null
  }
  const stored = await loadCliSession(core).catch(() => null)
  if (!stored || !core.auth.resolve(stored.token)) {
    core.close()
    return null
  }
  return { core, caller: cliCaller(stored.token) }
}

export function registerScanCommands(program: Command): void {
  withAuthOptions(
    program
      .command('scan [dir]')
      .description(
        'Scan a project folder offline: dependencies (OSV advisories), secrets, configuration. Signed in (or with --user), the scan is recorded, tracked against the last one and audited',
      )
      .option(
        '--advisories <path>',
        'scan against a folder or zip of OSV records directly, without importing',
      )
      .addOption(
        new Option(
          '--format <format>',
          'output format (default: table on a terminal, json otherwise)',
        ).choices([...FORMATS]),
      )
      .option('-o, --output <file>', 'write the report to a file (written atomically) instead of stdout')
      .addOption(
        new Option(
          '--fail-on <severity>',
          'exit 1 when an open finding is at or above this severity',
        ).choices(['low', 'medium', 'high', 'critical']),
      )
      .option('--baseline <report.json>', 'accept the findings already in an earlier JSON report'),
  ).action(async (dir: string | undefined, opts: ScanOpts, cmd: Command) => {
    const format: ReportFormat = opts.format ?? (process.stdout.isTTY && !opts.output ? 'table' : 'json')
    if (opts.user !== undefined)
      return asSignedIn(cmd, opts, (core, caller) => recordedScan(core, caller, dir ?? '.', opts, format))
    const signed = await storedSession(cmd)
    if (signed) {
      try {
        return await recordedScan(signed.core, signed.caller, dir ?? '.', opts, format)
      } finally {
        signed.core.close()
      }
    }
    const baseline = opts.baseline ? readBaseline(resolve(opts.baseline)) : undefined
    const adv = advisoriesFor(cmd, opts)
    try {
      const report = await scanProject(dir ?? '.', { advisories: adv.source, baseline, now: Date.now() })
      const open = report.summary.bySeverity
      finish(render(report, format), opts, report.riskScore, open, report.warnings, format)
    } finally {
      adv.close()
    }
  })
}
