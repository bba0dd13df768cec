import type { Command } from 'commander'
import { existsSync } from 'node:fs'
import { evaluatePassword } from '../../main/engines/auth/password-policy'
import { dataFiles, resolveDataDir } from '../../main/platform/data-dir'
import { accountName, email as emailSchema } from '../../shared/schemas'
import { call, cliCaller, globals, openCli } from '../cli-context'
import { CliError } from '../cli-error'
import { EXIT } from '../exit-codes'
import { readPassword } from '../password-input'

export function registerInit(program: Command): void {
  program
    .command('init')
    .description('Create the data dir, its master key and the first administrator')
    .requiredOption('--admin <name>', 'account name of the first administrator')
    .option('--email <address>', 'e-mail of the first administrator')
    .action(async (opts: { admin: string; email?: string }, cmd: Command) => {
      const name = accountName.safeParse(opts.admin)
      if (!name.success) throw new CliError(`--admin: ${name.error.issues[0]?.message}`, EXIT.usage)
      const mail = opts.email === undefined ? undefined : emailSchema.safeParse(opts.email)
      if (mail && !mail.success) throw new CliError(`--email: ${mail.error.issues[0]?.message}`, EXIT.usage)
      const dataDir = resolveDataDir(globals(cmd).dataDir)
      if (existsSync(dataFiles(dataDir).database)) {
        // Opening is harmless here; refuse before asking for a password if the console is already set up.
        const core = await openCli(cmd)
        try {
          if (core.auth.hasAccounts())
            throw new CliError(`${dataDir} is already set up; sign in with \`qqsec login\`.`, EXIT.usage)
        } finally {
          core.close()
        }
      }
      const password = await readPassword('Password for the new administrator: ', true)
      // Check the password before anything is created: a refused init leaves no data dir behind.
      const verdict = evaluatePassword(password, { name: name.data, email: mail?.data })
      if (!verdict.acceptable) {
        throw new CliError(
          `Password rejected: ${verdict.failures.map((f) => f.message).join(' ')}`,
          EXIT.usage,
        )
      }
      const core = await openCli(cmd)
      try {
        const { user } = await call(core, cliCaller(null), 'auth.setupAdmin', {
          name: name.data,
          password,
          email: mail?.data,
        })
        process.stdout.write(
          `Created ${dataDir} with its master key in ${core.keyStore.description}, and administrator "${user.name}".\n` +
            `Next: qqsec login --user ${user.name}\n`,
        )
      } finally {
        core.close()
      }
    })
}
