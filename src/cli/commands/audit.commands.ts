import type { Command } from 'commander'
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
