import type { Command } from 'commander'
import { PERMISSIONS, isPermission } from '../../shared/permissions'
import { asSignedIn, withAuthOptions, type AuthOptions } from '../cli-auth'
import { call } from '../cli-context'
import { CliError } from '../cli-error'
import { EXIT } from '../exit-codes'
import { table } from '../output'

export function registerRoleCommands(program: Command): void {
  const role = program.command('role').description('Roles and their permissions')

  withAuthOptions(
    role.command('list').description('Built-in and custom roles').option('--json', 'print JSON'),
  ).action(async (opts: AuthOptions & { json?: boolean }, cmd: Command) => {
    await asSignedIn(cmd, opts, async (core, caller) => {
      const { roles } = await call(core, caller, 'roles.list', {})
      process.stdout.write(
        opts.json
          ? JSON.stringify(roles, null, 2) + '\n'
          : table(
              ['role', 'kind', 'permissions'],
              roles.map((r) => [r.name, r.builtin ? 'built-in' : 'custom', r.permissions.join(' ')]),
            ),
      )
    })
  })

  withAuthOptions(
    role
      .command('create <name>')
      .description('Create a custom role from existing permissions')
      .requiredOption('--permissions <list>', `comma-separated, from: ${PERMISSIONS.join(', ')}`)
      .requiredOption('--description <text>', 'what the role is for'),
  ).action(
    async (name: string, opts: AuthOptions & { permissions: string; description: string }, cmd: Command) => {
      const perms = opts.permissions
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean)
      const unknown = perms.filter((p) => !isPermission(p))
      if (unknown.length) throw new CliError(`Unknown permission(s): ${unknown.join(', ')}.`, EXIT.usage)
      await asSignedIn(cmd, opts, async (core, caller) => {
        const { role: r } = await call(core, caller, 'roles.create', {
          name,
          description: opts.description,
          permissions: perms.filter(isPermission),
        })
        process.stdout.write(`Created role ${r.name}: ${r.permissions.join(' ')}\n`)
      })
    },
  )
}
