import type { Command } from 'commander'
import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs'
import { contract } from '../../shared/contract'
import { asSignedIn, withAuthOptions, type AuthOptions } from '../cli-auth'
import { call } from '../cli-context'
import { CliError } from '../cli-error'
import { EXIT } from '../exit-codes'

export function registerAuditCommands(program: Command): void {
  const audit = program.command('audit').description('The tamper-evident audit trail')

  withAuthOptions(
    audit
      .command('verify')
      .description(
        'Check the whole chain, the signed checkpoints and the checkpoint kept outside the database (exit 1 if damaged)',
      )
      .option('--json', 'print the full report as JSON'),
  ).action(async (opts: AuthOptions & { json?: boolean }, cmd: Command) => {
    const report = await asSignedIn(cmd, opts, (core, caller) => call(core, caller, 'audit.verify', {}))
    if (opts.json) process.stdout.write(JSON.stringify(report, null, 2) + '\n')
    if (report.ok) {
      if (!opts.json) {
        process.stdout.write(
          `audit: ${report.entries} entries intact; ${report.checkpoints} signed checkpoint(s)` +
            (report.outsideCheckpoint
              ? `; the outside checkpoint (${report.outsideCheckpoint.time}) covers ${report.outsideCheckpoint.count}`
              : '') +
            '\n',
        )
      }
      return
    }
    const first = report.problems[0]!
    const more =
      report.problems.length > 1 ? ` (+${report.problems.length - 1} more problem(s); --json lists them)` : ''
    throw new CliError(`audit: BROKEN — ${first.kind}: ${first.message}${more}`, EXIT.findings)
  })
}

const TYPES = [
  'authentication',
  'authorization',
  'data_access',
  'configuration',
  'key_management',
  'scan',
  'threat',
  'export',
  'system',
]

const isoOption = (name: string, v: string | undefined): string | undefined => {
  if (v === undefined) return undefined
  const t = Date.parse(v)
  if (Number.isNaN(t))
    throw new CliError(
      `--${name}: give an ISO 8601 date or time, e.g. 2026-12-01 or 2026-12-01T08:00:00Z.`,
      EXIT.usage,
    )
  return new Date(t).toISOString()
}

export function registerAuditQueryCommands(program: Command): void {
  const audit = program.commands.find((c) => c.name() === 'audit')!

  withAuthOptions(
    audit
      .command('search')
      .description('Audit entries matching filters, newest first')
      .option('--actor <name>', 'account that acted')
      .option('--type <type>', `event type: ${TYPES.join(', ')}`)
      .option('--client <id>', 'client, e.g. http:127.0.0.1 or cli:alice')
      .option('--resource <ref>', 'resource, e.g. user:<id>')
      .option('--result <result>', 'success or failure')
      .option('--risk <level>', 'low, medium, high or critical')
      .option('--from <time>', 'from this time (inclusive)')
      .option('--to <time>', 'until this time (exclusive)')
      .option('--text <words>', 'words that must appear in the details')
      .option('--limit <n>', 'at most this many (1–500)', '50')
      .option('--json', 'print JSON'),
  ).action(async (opts: AuthOptions & Record<string, string | boolean | undefined>, cmd: Command) => {
    const limit = Number(opts.limit)
    if (!Number.isInteger(limit) || limit < 1 || limit > 500)
      throw new CliError('--limit must be 1–500.', EXIT.usage)
    const str = (k: string) => (typeof opts[k] === 'string' ? (opts[k] as string) : undefined)
    // The contract's own schema checks the flags, so the CLI refuses with the same words as the pipeline.
    const parsed = contract['audit.search'].input.safeParse({
      actor: str('actor'),
      type: str('type'),
      client: str('client'),
      resource: str('resource'),
      result: str('result'),
      risk: str('risk'),
      from: isoOption('from', str('from')),
      to: isoOption('to', str('to')),
      text: str('text'),
      limit,
    })
    if (!parsed.success) {
      const i = parsed.error.issues[0]
      throw new CliError(`--${String(i?.path[0] ?? 'filter')}: ${i?.message}`, EXIT.usage)
    }
    const input = parsed.data
    await asSignedIn(cmd, opts, async (core, caller) => {
      const r = await call(core, caller, 'audit.search', input)
      if (opts.json) {
        process.stdout.write(JSON.stringify(r, null, 2) + '\n')
        return
      }
      for (const e of r.entries) {
        process.stdout.write(
          `${e.seq}\t${e.time}\t${e.type}\t${e.actor ?? '-'}\t${e.client}\t${e.action}\t${e.result}\t${e.risk}\n`,
        )
      }
      if (r.hasMore) process.stdout.write(`(more: narrow the filters or raise --limit)\n`)
    })
  })

  withAuthOptions(
    audit
      .command('export')
      .description('Export the audit log as JSON Lines, CEF or RFC 5424 syslog')
      .requiredOption('--format <format>', 'jsonl, cef or syslog')
      .requiredOption('-o, --output <file>', 'file to write')
      .option('--from <time>', 'from this time (inclusive)')
      .option('--to <time>', 'until this time (exclusive)'),
  ).action(
    async (
      opts: AuthOptions & { format: string; output: string; from?: string; to?: string },
      cmd: Command,
    ) => {
      if (!['jsonl', 'cef', 'syslog'].includes(opts.format))
        throw new CliError('--format must be jsonl, cef or syslog.', EXIT.usage)
      const format = opts.format as 'jsonl' | 'cef' | 'syslog'
      const from = isoOption('from', opts.from)
      const to = isoOption('to', opts.to)
      await asSignedIn(cmd, opts, async (core, caller) => {
        const tmp = `${opts.output}.${process.pid}.part`
        const fd = openSync(tmp, 'w', 0o600)
        let total = 0
        try {
          let afterSeq = 0
          for (;;) {
            const page = await call(core, caller, 'audit.export', {
              format,
              from,
              to,
              afterSeq,
              limit: 10_000,
            })
            writeSync(fd, page.text)
            total += page.entries
            afterSeq = page.lastSeq
            if (!page.hasMore) break
          }
          fsyncSync(fd)
          closeSync(fd)
          renameSync(tmp, opts.output)
        } catch (e) {
          closeSync(fd)
          unlinkSync(tmp)
          throw e
        }
        process.stdout.write(`Exported ${total} audit entries as ${format} to ${opts.output}.\n`)
      })
    },
  )
}
