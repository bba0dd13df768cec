import { Option, type Command } from 'commander'
import { contract, type CallOutput } from '../../shared/contract'
import { asSignedIn, withAuthOptions, type AuthOptions } from '../cli-auth'
import { call } from '../cli-context'
import { CliError } from '../cli-error'
import { EXIT } from '../exit-codes'

type WaiverView = CallOutput<'waivers.create'>
const SCOPES = ['advisory', 'package', 'path', 'fingerprint', 'rule', 'client'] as const

interface AddOpts extends AuthOptions {
  domain: 'scanner' | 'threats' | 'compliance'
  advisory?: string
  package?: string
  path?: string
  fingerprint?: string
  rule?: string
  client?: string
  reason?: string
  owner?: string
  approver?: string
  expires?: string
  json?: boolean
}

const line = (w: WaiverView): string =>
  `${w.id}  ${w.state.padEnd(7)}  ${w.domain.padEnd(10)}  ${`${w.scope.kind}:${w.scope.value}`.padEnd(40)}  until ${w.expiresAt.slice(0, 10)}  owner ${w.owner}${w.approver ? `, approved by ${w.approver}` : ''} — ${w.reason}`

export function registerWaiverCommands(program: Command): void {
  const waiver = program
    .command('waiver')
    .description('Accept risks with a reason and an expiry (scanner, threats and compliance findings)')

  withAuthOptions(
    waiver
      .command('add')
      .description('Create a waiver: give exactly one scope, a reason and an expiry date')
      .addOption(
        new Option('--domain <domain>', 'which findings it covers')
          .choices(['scanner', 'threats', 'compliance'])
          .default('scanner'),
      )
      .option('--advisory <id>', 'scope: an advisory id or alias (GHSA-…, CVE-…)')
      .option('--package <name@range>', 'scope: a package and version range, e.g. lodash@<4.17.21')
      .option('--path <glob>', 'scope: files matching a glob relative to the scanned folder')
      .option('--fingerprint <hex>', 'scope: one finding, by its fingerprint')
      .option('--rule <id>', 'scope: a rule id')
      .option('--client <client>', 'scope: a client (threats), * allowed')
      .option('--reason <text>', 'why the risk is accepted (required)')
      .option('--owner <name>', 'who owns the risk (default: you)')
      .option('--approver <name>', 'who approved it')
      .option('--expires <date>', 'when it stops applying, YYYY-MM-DD (required)')
      .option('--json', 'print JSON'),
  ).action(async (opts: AddOpts, cmd: Command) => {
    const given = SCOPES.filter((k) => opts[k] !== undefined)
    if (given.length !== 1)
      throw new CliError(`Give exactly one scope: ${SCOPES.map((s) => `--${s}`).join(', ')}.`, EXIT.usage)
    if (!opts.reason) throw new CliError('--reason is required: say why the risk is accepted.', EXIT.usage)
    if (!opts.expires) throw new CliError('--expires is required (YYYY-MM-DD).', EXIT.usage)
    const kind = given[0]!
    await asSignedIn(cmd, opts, async (core, caller) => {
      const owner = opts.owner ?? (await call(core, caller, 'auth.session', {})).user.name
      const parsed = contract['waivers.create'].input.safeParse({
        domain: opts.domain,
        scope: { kind, value: opts[kind] },
        reason: opts.reason,
        owner,
        approver: opts.approver,
        expiresAt: opts.expires,
      })
      if (!parsed.success)
        throw new CliError(
          parsed.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; '),
          EXIT.usage,
        )
      const w = await call(core, caller, 'waivers.create', parsed.data)
      process.stdout.write(opts.json ? JSON.stringify(w, null, 2) + '\n' : `Waiver created: ${line(w)}\n`)
    })
  })

  withAuthOptions(
    waiver
      .command('list')
      .description('Waivers, newest first')
      .addOption(new Option('--domain <domain>').choices(['scanner', 'threats', 'compliance']))
      .addOption(new Option('--state <state>').choices(['active', 'expired', 'revoked']))
      .option('--json', 'print JSON'),
  ).action(
    async (
      opts: AuthOptions & {
        domain?: 'scanner' | 'threats' | 'compliance'
        state?: 'active' | 'expired' | 'revoked'
        json?: boolean
      },
      cmd: Command,
    ) => {
      await asSignedIn(cmd, opts, async (core, caller) => {
        const { waivers } = await call(core, caller, 'waivers.list', {
          domain: opts.domain,
          state: opts.state,
        })
        if (opts.json) process.stdout.write(JSON.stringify(waivers, null, 2) + '\n')
        else if (waivers.length === 0) process.stdout.write('No waivers.\n')
        else process.stdout.write(waivers.map(line).join('\n') + '\n')
      })
    },
  )

  withAuthOptions(
    waiver
      .command('revoke <id>')
      .description('Revoke a waiver: the findings it covered are open again')
      .option('--reason <text>', 'why (required)'),
  ).action(async (id: string, opts: AuthOptions & { reason?: string }, cmd: Command) => {
    if (!opts.reason) throw new CliError('--reason is required: say why the waiver is revoked.', EXIT.usage)
    await asSignedIn(cmd, opts, async (core, caller) => {
      const w = await call(core, caller, 'waivers.revoke', { waiverId: id, reason: opts.reason! })
      process.stdout.write(`Waiver revoked: ${line(w)}\n`)
    })
  })
}
