import { Command, CommanderError } from 'commander'
import { stderrLogger } from '../main/platform/logger'
import { toCliError } from './cli-context'
import { EXIT } from './exit-codes'
import { rootCommand } from './root-command'
import { registerInit } from './commands/init.command'
import { registerServe } from './commands/serve.command'
import { registerSessionCommands } from './commands/session.commands'
import { registerStatus } from './commands/status.command'
import { registerUserCommands } from './commands/user.commands'
import { registerRoleCommands } from './commands/role.commands'
import { registerMfaCommands } from './commands/mfa.commands'
import { registerScanCommands } from './commands/scan.commands'
import { registerDbCommands } from './commands/db.commands'
import { registerWaiverCommands } from './commands/waiver.commands'
import { registerIdsCommands } from './commands/ids.commands'
import { registerAgeCommands } from './commands/age.commands'
import { registerVaultCommands } from './commands/vault.commands'
import {
  registerAuditCommands,
  registerAuditForwardCommand,
  registerAuditQueryCommands,
} from './commands/audit.commands'
import { registerReportCommands } from './commands/report.commands'

export function buildProgram(): Command {
  const program = rootCommand()
  registerInit(program)
  registerSessionCommands(program)
  registerStatus(program)
  registerUserCommands(program)
  registerRoleCommands(program)
  registerMfaCommands(program)
  registerScanCommands(program)
  registerDbCommands(program)
  registerWaiverCommands(program)
  registerIdsCommands(program)
  registerAgeCommands(program)
  registerVaultCommands(program)
  registerAuditCommands(program)
  registerAuditQueryCommands(program)
  registerAuditForwardCommand(program)
  registerReportCommands(program)
  registerServe(program)
  const all = (c: Command): Command[] => [c, ...c.commands.flatMap(all)]
  for (const cmd of all(program)) cmd.exitOverride().showHelpAfterError('(add --help for usage)')
  return program
}

export async function runCli(argv: string[]): Promise<number> {
  const program = buildProgram()
  try {
    await program.parseAsync(argv)
    return EXIT.ok
  } catch (e) {
    if (e instanceof CommanderError) {
      // help and --version end through here too, with exit code 0
      return e.exitCode === 0 ? EXIT.ok : EXIT.usage
    }
    const known = toCliError(e)
    if (known) {
      process.stderr.write(`qqsec: ${known.message}\n`)
      return known.exitCode
    }
    stderrLogger.error('unexpected failure', e)
    return EXIT.usage
  }
}
