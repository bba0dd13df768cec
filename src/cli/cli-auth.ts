import type { Command } from 'commander'
import type { ConsoleCore } from '../main/console-core'
import type { Caller } from '../main/ipc/caller'
import { accountName, otpCode } from '../shared/schemas'
import type { CallOutput } from '../shared/contract'
import { cliCaller, loadCliSession, openCli } from './cli-context'
import { CliError } from './cli-error'
import { EXIT } from './exit-codes'
import { readPassword, readSecretLine } from './password-input'

export interface AuthOptions {
  user?: string
  otp?: string
  backupCode?: string
}

/** --user/--otp/--backup-code on a command: authenticate for this one command instead of the CLI session. */
export function withAuthOptions(cmd: Command): Command {
  return cmd
    .option(
      '--user <name>',
      'authenticate as this account for this command only (password from QQSEC_PASSWORD)',
    )
    .option('--otp <code>', 'one-time code, with --user')
    .option('--backup-code <code>', 'backup code, with --user')
}

export function validateProof(opts: AuthOptions): void {
  if (opts.otp !== undefined && !otpCode.safeParse(opts.otp).success) {
    throw new CliError('--otp: a one-time code is 6 to 8 digits.', EXIT.usage)
  }
  if (opts.otp !== undefined && opts.backupCode !== undefined) {
    throw new CliError('Give either --otp or --backup-code, not both.', EXIT.usage)
  }
}

/**
 * Sign in with a password and, where MFA is on, a code. On a terminal a missing code is asked for;
 * elsewhere the refusal says which flag to add.
 */
export async function signIn(core: ConsoleCore, caller: Caller, name: string, proof: AuthOptions) {
  const parsed = accountName.safeParse(name)
  if (!parsed.success) throw new CliError(`--user: ${parsed.error.issues[0]?.message}`, EXIT.usage)
  validateProof(proof)
  const password = await readPassword(`Password for ${parsed.data}: `)
  const attempt = (otp?: string, backupCode?: string) =>
    core.invoke(caller, 'auth.login', { name: parsed.data, password, otp, backupCode })
  let result = await attempt(proof.otp, proof.backupCode)
  if (!result.ok && result.error.code === 'MFA_REQUIRED' && process.stdin.isTTY) {
    const code = (await readSecretLine('One-time code (or backup code): ')).trim()
    result = /^\d{6,8}$/.test(code) ? await attempt(code) : await attempt(undefined, code)
  }
  if (!result.ok) {
    const hint = result.error.code === 'MFA_REQUIRED' ? ' Add --otp CODE or --backup-code CODE.' : ''
    throw new CliError(
      `${result.error.message}${hint}`,
      result.error.code === 'MFA_REQUIRED' ? EXIT.denied : exitFor(result.error.code),
    )
  }
  return result.value as CallOutput<'auth.login'>
}

const exitFor = (code: string): number =>
  ['INVALID_INPUT', 'UNAVAILABLE', 'INTERNAL', 'NOT_FOUND', 'CONFLICT'].includes(code)
    ? EXIT.usage
    : EXIT.denied

/**
 * Run `fn` as an authenticated caller: the one-off --user sign-in (ended afterwards), or the stored CLI session.
 * The console is opened and closed around it.
 */
export async function asSignedIn<T>(
  cmd: Command,
  opts: AuthOptions,
  fn: (core: ConsoleCore, caller: Caller) => Promise<T>,
): Promise<T> {
  const core = await openCli(cmd)
  try {
    if (opts.user !== undefined) {
      const caller = cliCaller(null)
      await signIn(core, caller, opts.user, opts)
      try {
        return await fn(core, caller)
      } finally {
        if (caller.sessionToken) await core.invoke(caller, 'auth.logout', {})
      }
    }
    if (opts.otp !== undefined || opts.backupCode !== undefined)
      throw new CliError('--otp and --backup-code go with --user.', EXIT.usage)
    const stored = await loadCliSession(core)
    if (!stored)
      throw new CliError(
        'Not signed in: run `qqsec login --user NAME` first, or add --user NAME.',
        EXIT.denied,
      )
    return await fn(core, cliCaller(stored.token))
  } finally {
    core.close()
  }
}
