import type { Command } from 'commander'
import type { ConsoleCore } from '../../main/console-core'
import { writeFileAtomic } from '../../main/platform/atomic-write'
import type { Caller } from '../../main/ipc/caller'
import type { UserView } from '../../shared/contract'
import { accountName, email as emailSchema } from '../../shared/schemas'
import { asSignedIn, withAuthOptions, type AuthOptions } from '../cli-auth'
import { call } from '../cli-context'
import { CliError } from '../cli-error'
import { EXIT } from '../exit-codes'
import { csv, localTime, table } from '../output'
import { readNewPassword, readPassword } from '../password-input'

async function findUser(core: ConsoleCore, caller: Caller, name: string): Promise<UserView> {
  const { users } = await call(core, caller, 'users.list', {})
  const u = users.find((x) => x.name === name)
  if (!u) throw new CliError(`No account named "${name}".`, EXIT.usage)
  return u
}

const needReason = (reason: string | undefined): string => {
  if (!reason || reason.trim().length < 5)
    throw new CliError('--reason is required (at least 5 characters): say why.', EXIT.usage)
  return reason
}

const userLine = (u: UserView): string[] => [
  u.name,
  u.email ?? '',
  [...u.roles.map((r) => (u.elevations.some((e) => e.role === r) ? `${r}*` : r))].join(',') || '-',
  u.mfaEnabled ? 'on' : 'off',
  u.locked ? `locked until ${u.lockedUntil?.startsWith('9999') ? 'unlocked' : u.lockedUntil}` : 'active',
  u.lastLoginAt ?? 'never',
]

export function registerUserCommands(program: Command): void {
  const user = program.command('user').description('Manage local accounts (administrators)')

  withAuthOptions(user.command('list').description('List accounts').option('--json', 'print JSON')).action(
    async (opts: AuthOptions & { json?: boolean }, cmd: Command) => {
      await asSignedIn(cmd, opts, async (core, caller) => {
        const { users } = await call(core, caller, 'users.list', {})
        process.stdout.write(
          opts.json
            ? JSON.stringify(users, null, 2) + '\n'
            : table(
                ['name', 'e-mail', 'roles (*: until a time)', 'MFA', 'state', 'last login (UTC)'],
                users.map(userLine),
              ),
        )
      })
    },
  )

  withAuthOptions(
    user
      .command('add <name>')
      .description('Create an account (its password from QQSEC_NEW_PASSWORD, a prompt, or one stdin line)')
      .option('--email <address>', 'e-mail')
      .option('--role <role...>', 'roles to grant (default: user)'),
  ).action(async (name: string, opts: AuthOptions & { email?: string; role?: string[] }, cmd: Command) => {
    const n = accountName.safeParse(name)
    if (!n.success) throw new CliError(`name: ${n.error.issues[0]?.message}`, EXIT.usage)
    if (opts.email !== undefined && !emailSchema.safeParse(opts.email).success)
      throw new CliError('--email: not a valid address.', EXIT.usage)
    await asSignedIn(cmd, opts, async (core, caller) => {
      const password = await readNewPassword(`Password for ${n.data}: `)
      const { user: u } = await call(core, caller, 'users.create', {
        name: n.data,
        email: opts.email,
        password,
        roles: opts.role ?? ['user'],
      })
      process.stdout.write(`Created ${u.name} with roles ${u.roles.join(', ')}.\n`)
    })
  })

  for (const [verb, callName, done] of [
    ['lock', 'users.lock', 'locked; its sessions ended'],
    ['unlock', 'users.unlock', 'unlocked'],
  ] as const) {
    withAuthOptions(
      user
        .command(`${verb} <name>`)
        .description(`${verb[0]!.toUpperCase()}${verb.slice(1)} an account`)
        .option('--reason <text>', 'why (recorded in the audit trail)'),
    ).action(async (name: string, opts: AuthOptions & { reason?: string }, cmd: Command) => {
      const reason = needReason(opts.reason)
      await asSignedIn(cmd, opts, async (core, caller) => {
        const u = await findUser(core, caller, name)
        await call(core, caller, callName, { userId: u.id, reason })
        process.stdout.write(`${u.name} ${done}.\n`)
      })
    })
  }

  // The riskiest actions: a reason, and the administrator's own password again.
  for (const [verb, description, callName, done] of [
    [
      'reset-mfa',
      "Remove another account's second factor (asks for your password again)",
      'users.resetMfa',
      (n: string) => `Two-factor authentication of ${n} was reset; they enroll again at their next sign-in.`,
    ],
    [
      'delete',
      'Delete an account (asks for your password again)',
      'users.delete',
      (n: string) => `Deleted ${n}.`,
    ],
  ] as const) {
    withAuthOptions(
      user
        .command(`${verb} <name>`)
        .description(description)
        .option('--reason <text>', 'why (recorded in the audit trail)'),
    ).action(async (name: string, opts: AuthOptions & { reason?: string }, cmd: Command) => {
      const reason = needReason(opts.reason)
      await asSignedIn(cmd, opts, async (core, caller) => {
        const u = await findUser(core, caller, name)
        const confirmPassword = await readPassword('Your password, to confirm: ')
        await call(core, caller, callName, { userId: u.id, reason, confirmPassword })
        process.stdout.write(`${done(u.name)}\n`)
      })
    })
  }

  withAuthOptions(
    user
      .command('reset-password <name>')
      .description(
        'Set a new password for an account (from QQSEC_NEW_PASSWORD or a prompt); its sessions end',
      )
      .option('--reason <text>', 'why (recorded in the audit trail)'),
  ).action(async (name: string, opts: AuthOptions & { reason?: string }, cmd: Command) => {
    const reason = needReason(opts.reason)
    await asSignedIn(cmd, opts, async (core, caller) => {
      const u = await findUser(core, caller, name)
      const newPassword = await readNewPassword(`New password for ${u.name}: `)
      await call(core, caller, 'users.resetPassword', { userId: u.id, newPassword, reason })
      process.stdout.write(`Password of ${u.name} was reset; their sessions ended.\n`)
    })
  })

  withAuthOptions(
    user
      .command('roles <name>')
      .description("Show an account's roles, or grant (optionally until a time) or revoke one")
      .option('--grant <role>', 'role to grant')
      .option('--until <time>', 'with --grant: ISO 8601 time when the grant ends by itself (elevation)')
      .option('--revoke <role>', 'role to revoke')
      .option('--reason <text>', 'why (required with --grant or --revoke)'),
  ).action(
    async (
      name: string,
      opts: AuthOptions & { grant?: string; until?: string; revoke?: string; reason?: string },
      cmd: Command,
    ) => {
      if (opts.grant && opts.revoke) throw new CliError('Give --grant or --revoke, not both.', EXIT.usage)
      if (opts.until !== undefined && !opts.grant)
        throw new CliError('--until goes with --grant.', EXIT.usage)
      let until: string | undefined
      if (opts.until !== undefined) {
        const t = Date.parse(opts.until)
        if (Number.isNaN(t))
          throw new CliError('--until: give an ISO 8601 time, e.g. 2026-12-31T18:00:00Z.', EXIT.usage)
        until = new Date(t).toISOString()
      }
      const reason = opts.grant || opts.revoke ? needReason(opts.reason) : undefined
      await asSignedIn(cmd, opts, async (core, caller) => {
        let u = await findUser(core, caller, name)
        if (opts.grant)
          u = (
            await call(core, caller, 'users.grantRole', {
              userId: u.id,
              role: opts.grant,
              expiresAt: until,
              reason: reason!,
            })
          ).user
        if (opts.revoke)
          u = (
            await call(core, caller, 'users.revokeRole', { userId: u.id, role: opts.revoke, reason: reason! })
          ).user
        const lines = u.roles.map((r) => {
          const e = u.elevations.find((x) => x.role === r)
          return e ? `${r} (until ${localTime(e.expiresAt)})` : r
        })
        process.stdout.write(`${u.name}: ${lines.join(', ') || 'no roles'}\n`)
      })
    },
  )

  withAuthOptions(
    user
      .command('sessions <name>')
      .description("List an account's sessions, or end them")
      .option('--revoke <id>', 'end this session')
      .option('--revoke-all', 'end every session of the account'),
  ).action(
    async (name: string, opts: AuthOptions & { revoke?: string; revokeAll?: boolean }, cmd: Command) => {
      await asSignedIn(cmd, opts, async (core, caller) => {
        const u = await findUser(core, caller, name)
        if (opts.revoke || opts.revokeAll) {
          const r = await call(core, caller, 'users.revokeSessions', { userId: u.id, sessionId: opts.revoke })
          process.stdout.write(`${r.ended} session(s) of ${u.name} ended.\n`)
          return
        }
        const { sessions } = await call(core, caller, 'users.listSessions', { userId: u.id })
        process.stdout.write(
          table(
            ['id', 'client', 'since', 'last seen', 'ends at the latest'],
            sessions.map((s) => [s.id, s.client, s.createdAt, s.lastSeenAt, s.absoluteExpiresAt]),
          ),
        )
      })
    },
  )

  withAuthOptions(
    program
      .command('access-review')
      .description(
        'Every account with roles, effective permissions, MFA, last login and last use of each permission',
      )
      .option('--format <format>', 'json or csv', 'json')
      .option('-o, --output <file>', 'write to a file instead of stdout'),
  ).action(async (opts: AuthOptions & { format: string; output?: string }, cmd: Command) => {
    if (opts.format !== 'json' && opts.format !== 'csv')
      throw new CliError('--format must be json or csv.', EXIT.usage)
    await asSignedIn(cmd, opts, async (core, caller) => {
      const review = await call(core, caller, 'users.accessReview', {})
      const text =
        opts.format === 'json'
          ? JSON.stringify(review, null, 2) + '\n'
          : csv(
              [
                'account',
                'email',
                'roles',
                'temporary',
                'permissions',
                'mfa',
                'last_login',
                'last_use',
                'locked',
                'flags',
              ],
              review.rows.map((r) => [
                r.name,
                r.email ?? '',
                r.roles.join(' '),
                r.elevations.map((e) => `${e.role} until ${e.expiresAt}`).join(' '),
                r.permissions.join(' '),
                r.mfaEnabled ? 'on' : 'off',
                r.lastLoginAt ?? 'never',
                Object.entries(r.lastUse)
                  .map(([p, t]) => `${p}=${t}`)
                  .join(' '),
                r.locked ? 'yes' : 'no',
                r.flags.join(' '),
              ]),
            )
      if (opts.output) {
        writeFileAtomic(opts.output, text)
        process.stdout.write(`Access review of ${review.rows.length} account(s) written to ${opts.output}.\n`)
      } else process.stdout.write(text)
    })
  })
}
