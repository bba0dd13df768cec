import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { randomBytes } from 'node:crypto'
import type { Command } from 'commander'
import { DomainError } from '../../main/domain-error'
import { LogAnalyzer, type LogFinding, type LogReport } from '../../main/engines/threats/log-analyzer'
import {
  JSON_FIELDS,
  type JsonField,
  type JsonFieldNames,
  type LogFormatOption,
} from '../../main/engines/threats/log-parsers'
import { renderReportHtml } from '../../main/engines/threats/report-html'
import { DEFAULT_THRESHOLDS, validateThresholds } from '../../main/engines/threats/scoring'
import { CliError } from '../cli-error'
import { EXIT } from '../exit-codes'
import { table } from '../output'

interface AnalyzeOpts {
  logFormat: string
  format: string
  output?: string
  field?: string[]
  alertAt?: string
  blockAt?: string
  rate?: string
}

const TABLE_ROWS = 200

/** Output written through a temp file and renamed at the end, so a half-written report never appears at OUT. */
class Sink {
  private fd: number | null = null
  private tmp: string | null = null
  private buf: string[] = []
  private size = 0

  constructor(private readonly out: string | undefined) {
    if (out) {
      this.tmp = join(dirname(out), `.${basename(out)}.${randomBytes(6).toString('hex')}.tmp`)
      try {
        this.fd = openSync(this.tmp, 'wx', 0o600)
      } catch (e) {
        throw new CliError(
          `-o: cannot write in ${dirname(out)} (${(e as NodeJS.ErrnoException).code}).`,
          EXIT.usage,
        )
      }
    }
  }

  write(s: string): void {
    this.buf.push(s)
    this.size += s.length
    if (this.size > 1 << 16) this.flushSync()
  }

  private flushSync(): string {
    const data = this.buf.join('')
    this.buf = []
    this.size = 0
    if (this.fd !== null) {
      const b = Buffer.from(data, 'utf8')
      let off = 0
      while (off < b.length) off += writeSync(this.fd, b, off, b.length - off)
    }
    return data
  }

  /** Hand buffered text to stdout and wait until it drained (back-pressure for huge finding lists). */
  async drain(): Promise<void> {
    const data = this.flushSync()
    if (this.fd === null && data) {
      if (!process.stdout.write(data)) await new Promise<void>((r) => process.stdout.once('drain', () => r()))
    }
  }

  async commit(): Promise<void> {
    await this.drain()
    if (this.fd !== null && this.tmp && this.out) {
      fsyncSync(this.fd)
      closeSync(this.fd)
      this.fd = null
      renameSync(this.tmp, this.out)
    }
  }

  abort(): void {
    if (this.fd !== null && this.tmp) {
      closeSync(this.fd)
      this.fd = null
      unlinkSync(this.tmp)
    }
  }
}

const num = (flag: string, v: string | undefined, fallback: number): number => {
  if (v === undefined) return fallback
  const n = Number(v)
  if (!Number.isInteger(n) || n < 1)
    throw new CliError(`${flag}: give a whole number of at least 1.`, EXIT.usage)
  return n
}

function parseFields(specs: string[] | undefined): JsonFieldNames {
  const out: JsonFieldNames = {}
  for (const spec of specs ?? []) {
    const eq = spec.indexOf('=')
    const key = spec.slice(0, eq) as JsonField
    if (eq < 1 || !JSON_FIELDS.includes(key) || eq === spec.length - 1)
      throw new CliError(
        `--field ${spec}: write FIELD=NAME with FIELD one of ${JSON_FIELDS.join(', ')}.`,
        EXIT.usage,
      )
    out[key] = spec.slice(eq + 1)
  }
  return out
}

function summaryTable(r: LogReport, findings: LogFinding[]): string {
  const lines: string[] = []
  lines.push(
    `${r.linesRead} lines read, ${r.linesParsed} parsed, ${r.unparsable.count} unparsable; ` +
      `${r.attackRequests} attack requests (${r.blocked} would be blocked, ${r.alerted} alerted), ${r.findingsTotal} findings.\n`,
  )
  if (r.successfulAttacks.length)
    lines.push(`\n${r.successfulAttacks.length} attack requests were answered with 2xx; check these first:\n`)
  if (r.successfulAttacks.length)
    lines.push(
      table(
        ['file:line', 'client', 'status', 'rule', 'evidence'],
        r.successfulAttacks
          .slice(0, 20)
          .map((f) => [`${f.file}:${f.line}`, f.client, String(f.status), f.rule, f.evidence]),
      ),
    )
  if (findings.length) {
    lines.push('\n')
    lines.push(
      table(
        ['file:line', 'client', 'category', 'rule', 'severity', 'decision', 'evidence'],
        findings.map((f) => [
          `${f.file}:${f.line}`,
          f.client,
          f.category,
          f.rule,
          f.severity,
          f.decision,
          f.evidence,
        ]),
      ),
    )
    if (r.findingsTotal > findings.length)
      lines.push(`(first ${findings.length} of ${r.findingsTotal} findings; use --format json for all)\n`)
  }
  if (r.topClients.length)
    lines.push(
      '\nTop attacking clients:\n' +
        table(
          ['client', 'attack requests', '2xx', 'risk', 'categories'],
          r.topClients
            .slice(0, 10)
            .map((c) => [
              c.client,
              String(c.requests),
              String(c.successes),
              String(c.risk),
              c.categories.join(','),
            ]),
        ),
    )
  if (r.unparsable.count)
    lines.push(
      `\n${r.unparsable.count} unparsable lines, e.g. ` +
        r.unparsable.samples
          .slice(0, 3)
          .map((s) => `${s.file}:${s.line} (${s.reason})`)
          .join('; ') +
        '\n',
    )
  return lines.join('')
}

export function registerIdsCommands(program: Command): void {
  const ids = program.command('ids').description('Threat detection over web-server logs (no account needed)')
  ids
    .command('analyze')
    .description('Analyze NGINX/Apache common or combined logs, or JSON lines (.gz too), streamed')
    .argument('<file...>', 'log files')
    .option('--log-format <format>', 'auto, combined, common or json', 'auto')
    .option('--format <format>', 'table, json or html', 'table')
    .option('-o, --output <file>', 'write the report to this file instead of stdout')
    .option(
      '--field <field=name...>',
      `JSON field names, e.g. client=ip uri=url (fields: ${JSON_FIELDS.join(', ')})`,
    )
    .option(
      '--alert-at <risk>',
      `risk at which a request is an alert (default ${DEFAULT_THRESHOLDS.alertAt})`,
    )
    .option('--block-at <risk>', `risk at which a request is blocked (default ${DEFAULT_THRESHOLDS.blockAt})`)
    .option('--rate <n>', 'requests per client per minute before a rate finding (default 600)')
    .action(async (files: string[], opts: AnalyzeOpts) => {
      if (!['auto', 'combined', 'common', 'json'].includes(opts.logFormat))
        throw new CliError('--log-format: one of auto, combined, common, json.', EXIT.usage)
      if (!['table', 'json', 'html'].includes(opts.format))
        throw new CliError('--format: one of table, json, html.', EXIT.usage)
      const thresholds = {
        alertAt: num('--alert-at', opts.alertAt, DEFAULT_THRESHOLDS.alertAt),
        blockAt: num('--block-at', opts.blockAt, DEFAULT_THRESHOLDS.blockAt),
      }
      const bad = validateThresholds(thresholds)
      if (bad) throw new CliError(`--alert-at/--block-at: ${bad}.`, EXIT.usage)
      const jsonFields = parseFields(opts.field)
      const ratePerMinute = num('--rate', opts.rate, 600)

      const sink = new Sink(opts.output)
      const tableRows: LogFinding[] = []
      let first = true
      const tty = process.stderr.isTTY === true
      let lastShown = 0
      if (opts.format === 'json') sink.write('{"findings":[')
      const analyzer = new LogAnalyzer({
        logFormat: opts.logFormat as LogFormatOption,
        jsonFields,
        thresholds,
        ratePerMinute,
        onFinding: (f) => {
          if (opts.format === 'json') {
            sink.write(`${first ? '\n' : ',\n'}${JSON.stringify(f)}`)
            first = false
          } else if (opts.format === 'table' && tableRows.length < TABLE_ROWS) tableRows.push(f)
        },
        onProgress: async (p) => {
          if (tty && Date.now() - lastShown > 200) {
            lastShown = Date.now()
            process.stderr.write(`\r${p.file}: ${p.lines.toLocaleString('en')} lines read`)
          }
          await sink.drain()
        },
      })
      try {
        for (const f of files) await analyzer.analyzeFile(f)
      } catch (e) {
        sink.abort()
        if (tty) process.stderr.write('\n')
        if (e instanceof DomainError) throw new CliError(`${e.message} Nothing was written.`, EXIT.usage)
        throw e
      }
      const report = analyzer.report()
      if (tty)
        process.stderr.write(`\r${report.linesRead.toLocaleString('en')} lines read.${' '.repeat(30)}\n`)
      if (opts.format === 'json') {
        const { linesRead, linesParsed, ...rest } = report
        sink.write(
          `${first ? '' : '\n'}],"linesRead":${linesRead},"linesParsed":${linesParsed},"report":${JSON.stringify(rest)}}\n`,
        )
      } else if (opts.format === 'html') sink.write(renderReportHtml(report))
      else sink.write(summaryTable(report, tableRows))
      await sink.commit()
      if (opts.output) process.stderr.write(`Report written to ${opts.output}.\n`)
      if (report.attackRequests > 0)
        throw new CliError(
          `${report.attackRequests} attack requests found (${report.blocked} would be blocked).`,
          EXIT.findings,
        )
    })
}
