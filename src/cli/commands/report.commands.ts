import type { Command } from 'commander'
import { complianceReportHtml } from '../../main/engines/compliance/report-html'
import { writeFileAtomic } from '../../main/platform/atomic-write'
import { asSignedIn, withAuthOptions, type AuthOptions } from '../cli-auth'
import { call } from '../cli-context'
import { CliError } from '../cli-error'
import { EXIT } from '../exit-codes'
import { htmlToPdf } from '../pdf'

const STANDARDS = ['gdpr', 'sox', 'hipaa', 'all'] as const
const FORMATS = ['html', 'pdf', 'json'] as const

const day = (v: string, name: string): string => {
  const t = Date.parse(v)
  if (Number.isNaN(t))
    throw new CliError(`--${name}: give a date or time, e.g. 2026-11-01 or 2026-11-01T00:00:00Z.`, EXIT.usage)
  return new Date(t).toISOString()
}

export function registerReportCommands(program: Command): void {
  const report = program.command('report').description('Reports for offline review')

  withAuthOptions(
    report
      .command('compliance')
      .description(
        'Compliance report for a period: totals, score, violations with the entries behind them, recommendations',
      )
      .requiredOption('--standard <standard>', STANDARDS.join(', '))
      .option('--from <date>', 'start of the period (inclusive; default 30 days ago)')
      .option('--to <date>', 'end of the period (exclusive; default now)')
      .option('--format <format>', FORMATS.join(', '), 'html')
      .requiredOption('-o, --output <file>', 'file to write'),
  ).action(
    async (
      opts: AuthOptions & { standard: string; from?: string; to?: string; format: string; output: string },
      cmd: Command,
    ) => {
      if (!(STANDARDS as readonly string[]).includes(opts.standard))
        throw new CliError(`--standard must be ${STANDARDS.join(', ')}.`, EXIT.usage)
      if (!(FORMATS as readonly string[]).includes(opts.format))
        throw new CliError(`--format must be ${FORMATS.join(', ')}.`, EXIT.usage)
      const to = opts.to ? day(opts.to, 'to') : new Date().toISOString()
      const from = opts.from
        ? day(opts.from, 'from')
        : new Date(Date.parse(to) - 30 * 86_400_000).toISOString()
      const r = await asSignedIn(cmd, opts, (core, caller) =>
        call(core, caller, 'compliance.report', {
          standard: opts.standard as (typeof STANDARDS)[number],
          from,
          to,
        }),
      )
      if (opts.format === 'json') writeFileAtomic(opts.output, JSON.stringify(r, null, 2) + '\n')
      else if (opts.format === 'html') writeFileAtomic(opts.output, complianceReportHtml(r))
      else htmlToPdf(complianceReportHtml(r), opts.output)
      const violations = r.rules.reduce((n, x) => n + x.violations, 0)
      process.stdout.write(
        `Compliance report (${opts.standard}, ${from} to ${to}): score ${r.score}, ${violations} violation(s); written to ${opts.output}.\n`,
      )
    },
  )
}
