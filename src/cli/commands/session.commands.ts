import type { Command } from 'commander'
import { accountName, otpCode } from '../../shared/schemas'
import {
  call,
  clearCliSession,
  cliCaller,
  loadCliSession,
  openCli,
  saveCliSession,
  signedInCaller,
} from '../cli-context'
import { CliError } from '../cli-error'
import { EXIT } from '../exit-codes'
import { readPassword } from '../password-input'

const localTime = (isoTime: string): string => `${new Date(isoTime).toLocaleString()} (${isoTime})`

export function registerSessionCommands(program: Command): void {
  program
    .command('login')
    .description('Sign in and keep a CLI session for this data dir (its token is kept in the keystore)')
    .requiredOption('--user <name>', 'account name')
    .option('--otp <code>', 'one-time code from the authenticator')
    .action(async (opts: { user: string; otp?: string }, cmd: Command) => {
      const name = accountName.safeParse(opts.user)
      if (!name.success) throw new CliError(`--user: ${name.error.issues[0]?.message}`, EXIT.usage)
      if (opts.otp !== undefined && !otpCode.safeParse(opts.otp).success) {
        throw new CliError('--otp: a one-time code is 6 to 8 digits.', EXIT.usage)
      }
      const password = await readPassword(`Password for ${name.data}: `)
      const core = await openCli(cmd)
      try {
        const previous = await loadCliSession(core)
        const caller = cliCaller(null)
        const session = await call(core, caller, 'auth.login', { name: name.data, password, otp: opts.otp })
        if (!caller.boundToken) throw new Error('login returned no session token')
        if (previous) await call(core, cliCaller(previous.token), 'auth.logout', {}).catch(() => undefined)
        await saveCliSession(core, { token: caller.boundToken, user: session.user.name })
        process.stdout.write(
          `Signed in as ${session.user.name} (${session.user.roles.join(', ')}). Session ends after ${Math.round(
            session.idleTimeoutSeconds / 60,
          )} min idle, at the latest ${localTime(session.absoluteExpiresAt)}.\n`,
        )
      } finally {
        core.close()
      }
    })

  program
    .command('logout')
    .description('End the CLI session for this data dir')
    .action(async (_opts: unknown, cmd: Command) => {
      const core = await openCli(cmd)
      try {
        const stored = await loadCliSession(core)
        if (!stored) {
          process.stdout.write('Not signed in.\n')
          return
        }
        await call(core, cliCaller(stored.token), 'auth.logout', {}).catch(() => undefined)
        await clearCliSession(core)
        process.stdout.write(`Signed out ${stored.user}.\n`)
      } finally {
        core.close()
      }
    })

  program
    .command('whoami')
    .description('Show the signed-in account, its roles and permissions')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const core = await openCli(cmd)
      try {
        const s = await call(core, await signedInCaller(core), 'auth.session', {})
        if (opts.json) {
          process.stdout.write(JSON.stringify(s, null, 2) + '\n')
          return
        }
        process.stdout.write(
          `${s.user.name} — roles: ${s.user.roles.join(', ')}\npermissions: ${s.permissions.join(' ')}\nsession idle until ${localTime(
            s.idleExpiresAt,
          )}\n`,
        )
      } finally {
        core.close()
      }
    })
}
