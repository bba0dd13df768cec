import type { Command } from 'commander'
import { asSignedIn, signIn, validateProof, withAuthOptions, type AuthOptions } from '../cli-auth'
import { call, clearCliSession, cliCaller, loadCliSession, openCli, saveCliSession } from '../cli-context'
import { readNewPassword, readPassword } from '../password-input'
import { localTime } from '../output'

export function registerSessionCommands(program: Command): void {
  program
    .command('login')
    .description('Sign in and keep a CLI session for this data dir (its token is kept in the keystore)')
    .requiredOption('--user <name>', 'account name')
    .option('--otp <code>', 'one-time code from the authenticator')
    .option('--backup-code <code>', 'one of the backup codes (each works once)')
    .action(async (opts: AuthOptions & { user: string }, cmd: Command) => {
      validateProof(opts)
      const core = await openCli(cmd)
      try {
        const previous = await loadCliSession(core)
        const caller = cliCaller(null)
        const session = await signIn(core, caller, opts.user, opts)
        if (!caller.boundToken) throw new Error('login returned no session token')
        if (previous) await core.invoke(cliCaller(previous.token), 'auth.logout', {})
        await saveCliSession(core, { token: caller.boundToken, user: session.user.name })
        process.stdout.write(
          `Signed in as ${session.user.name} (${session.user.roles.join(', ')}). Session ends after ${Math.round(
            session.idleTimeoutSeconds / 60,
          )} min idle, at the latest ${localTime(session.absoluteExpiresAt)}.\n`,
        )
        if (session.secondFactor === 'backup-code') {
          process.stdout.write(
            'You used a backup code; it cannot be used again. `qqsec mfa status` shows how many are left.\n',
          )
        }
        if (session.restriction === 'mfa-enrollment') {
          process.stdout.write(
            'Your role requires two-factor authentication: run `qqsec mfa enroll` before anything else.\n',
          )
        }
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
        await core.invoke(cliCaller(stored.token), 'auth.logout', {})
        await clearCliSession(core)
        process.stdout.write(`Signed out ${stored.user}.\n`)
      } finally {
        core.close()
      }
    })

  withAuthOptions(
    program
      .command('whoami')
      .description('Show the signed-in account, its roles and permissions')
      .option('--json', 'print JSON'),
  ).action(async (opts: AuthOptions & { json?: boolean }, cmd: Command) => {
    await asSignedIn(cmd, opts, async (core, caller) => {
      const s = await call(core, caller, 'auth.session', {})
      if (opts.json) {
        process.stdout.write(JSON.stringify(s, null, 2) + '\n')
        return
      }
      process.stdout.write(
        `${s.user.name} — roles: ${s.user.roles.join(', ') || 'none'}; MFA ${s.user.mfaEnabled ? 'on' : 'off'}\n` +
          `permissions: ${s.permissions.join(' ') || 'none'}\nsession idle until ${localTime(s.idleExpiresAt)}\n`,
      )
    })
  })

  withAuthOptions(
    program
      .command('passwd')
      .description(
        'Change your password (current from QQSEC_PASSWORD or a prompt, new from QQSEC_NEW_PASSWORD or a prompt)',
      ),
  ).action(async (opts: AuthOptions, cmd: Command) => {
    await asSignedIn(cmd, opts, async (core, caller) => {
      const currentPassword = await readPassword('Current password: ')
      const newPassword = await readNewPassword()
      const r = await call(core, caller, 'auth.changePassword', { currentPassword, newPassword })
      process.stdout.write(`Password changed; ${r.otherSessionsEnded} other session(s) ended.\n`)
    })
  })

  withAuthOptions(
    program.command('sessions').description('List your sessions; --revoke-all signs out everywhere'),
  )
    .option('--revoke-all', 'end every session of your account, this one included')
    .action(async (opts: AuthOptions & { revokeAll?: boolean }, cmd: Command) => {
      await asSignedIn(cmd, opts, async (core, caller) => {
        if (opts.revokeAll) {
          const r = await call(core, caller, 'auth.signOutEverywhere', {})
          await clearCliSession(core)
          process.stdout.write(`Signed out everywhere: ${r.ended} session(s) ended.\n`)
          return
        }
        const { sessions } = await call(core, caller, 'auth.listSessions', {})
        for (const s of sessions) {
          process.stdout.write(
            `${s.current ? '*' : ' '} ${s.id}  ${s.client.padEnd(20)} since ${localTime(s.createdAt)}\n`,
          )
        }
      })
    })
}
