import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { Option, type Command } from 'commander'
import { openDatabase } from '../../main/db/connection'
import { DomainError } from '../../main/domain-error'
import { MemoryAdvisorySource, type AdvisorySource } from '../../main/engines/scanner/advisory-source'
import { AdvisoryDb } from '../../main/engines/scanner/advisory-db'
import { FORMATS, render, type ReportFormat } from '../../main/engines/scanner/formats'
import { failsAt, readBaseline, scanProject } from '../../main/engines/scanner/scan'
import type { Severity } from '../../main/engines/scanner/osv'
import { writeFileAtomic } from '../../main/platform/atomic-write'
import { systemClock } from '../../main/platform/clock'
import { dataFiles, resolveDataDir } from '../../main/platform/data-dir'
import { globals } from '../cli-context'
import { CliError } from '../cli-error'
import { EXIT } from '../exit-codes'

interface ScanOpts {
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

export function registerScanCommands(program: Command): void {
  program
    .command('scan [dir]')
    .description('Scan a project folder offline: dependencies (OSV advisories), secrets, configuration')
    .option('--advisories <path>', 'scan against a folder or zip of OSV records directly, without importing')
    .addOption(
      new Option('--format <format>', 'output format (default: table on a terminal, json otherwise)').choices(
        [...FORMATS],
      ),
    )
    .option('-o, --output <file>', 'write the report to a file (written atomically) instead of stdout')
    .addOption(
      new Option('--fail-on <severity>', 'exit 1 when an open finding is at or above this severity').choices([
        'low',
        'medium',
        'high',
        'critical',
      ]),
    )
    .option('--baseline <report.json>', 'accept the findings already in an earlier JSON report')
    .action(async (dir: string | undefined, opts: ScanOpts, cmd: Command) => {
      const format: ReportFormat = opts.format ?? (process.stdout.isTTY && !opts.output ? 'table' : 'json')
      const baseline = opts.baseline ? readBaseline(resolve(opts.baseline)) : undefined
      const adv = advisoriesFor(cmd, opts)
      try {
        const report = await scanProject(dir ?? '.', {
          advisories: adv.source,
          baseline,
          now: Date.now(),
        })
        const text = render(report, format)
        if (opts.output) {
          writeFileAtomic(resolve(opts.output), text, 0o600)
          process.stderr.write(`Report written to ${opts.output} (risk score ${report.riskScore}).\n`)
        } else process.stdout.write(text)
        if (format !== 'table')
          for (const w of report.warnings) process.stderr.write(`qqsec: warning: ${w}\n`)
        if (opts.failOn && failsAt(report, opts.failOn)) {
          throw new CliError(
            `findings at or above ${opts.failOn} (risk score ${report.riskScore}).`,
            EXIT.findings,
          )
        }
      } finally {
        adv.close()
      }
    })
}
