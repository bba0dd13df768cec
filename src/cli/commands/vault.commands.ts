import { resolve } from 'node:path'
import type { Command } from 'commander'
import type { CallOutput } from '../../shared/contract'
import { asSignedIn, withAuthOptions, type AuthOptions } from '../cli-auth'
import { call } from '../cli-context'
import { CliError } from '../cli-error'
import { EXIT } from '../exit-codes'
import { table } from '../output'
import { awaitJob } from './db.commands'

type StateRow = CallOutput<'vault.list'>['states'][number]
const CLASSIFICATIONS = ['public', 'internal', 'confidential', 'restricted'] as const
type Classification = (typeof CLASSIFICATIONS)[number]

const collect = (v: string, prev: string[]): string[] => [...prev, v]

const humanSize = (n: number): string =>
  n < 1024
    ? `${n} B`
    : n < 2 ** 20
      ? `${(n / 1024).toFixed(1)} KiB`
      : n < 2 ** 30
        ? `${(n / 2 ** 20).toFixed(1)} MiB`
        : `${(n / 2 ** 30).toFixed(2)} GiB`

function parseLabels(values: string[]): Record<string, string> {
  const out: Record<string, string> = {}
  for (const v of values) {
    const i = v.indexOf('=')
    if (i <= 0) throw new CliError(`--label ${v}: write KEY=VALUE.`, EXIT.usage)
    out[v.slice(0, i)] = v.slice(i + 1)
  }
  return out
}

export function registerVaultCommands(program: Command): void {
  const vault = program
    .command('vault')
    .description('Quantum states encrypted at rest as age files (post-quantum vault identity)')

  withAuthOptions(
    vault
      .command('import <file>')
      .description(
        'Validate and encrypt a state: NumPy .npy (complex128/complex64) or JSON {id?, properties, vector, entanglements}',
      )
      .option('--name <name>', 'state name (default: from the file)')
      .option('--classification <level>', `one of ${CLASSIFICATIONS.join(', ')} (default internal)`)
      .option('--tag <tag>', 'tag (repeatable)', collect, [])
      .option('--label <key=value>', 'free-form label (repeatable)', collect, [])
      .option('--normalize', 'scale a state whose norm is not 1 (within 1e-6) instead of refusing it'),
  ).action(
    async (
      file: string,
      opts: AuthOptions & {
        name?: string
        classification?: string
        tag: string[]
        label: string[]
        normalize?: boolean
      },
      cmd: Command,
    ) => {
      if (
        opts.classification !== undefined &&
        !(CLASSIFICATIONS as readonly string[]).includes(opts.classification)
      )
        throw new CliError(`--classification: one of ${CLASSIFICATIONS.join(', ')}.`, EXIT.usage)
      const labels = parseLabels(opts.label)
      await asSignedIn(cmd, opts, async (core, caller) => {
        const job = await call(core, caller, 'vault.import', {
          path: resolve(file),
          name: opts.name,
          classification: opts.classification as Classification | undefined,
          tags: opts.tag.length ? opts.tag : undefined,
          labels: Object.keys(labels).length ? labels : undefined,
          normalize: opts.normalize ?? false,
        })
        const r = await awaitJob(core, caller, job, 'Importing')
        process.stdout.write(
          `Imported ${String(r.name)} as ${String(r.stateId)} (${String(r.qubits)} qubits).\n`,
        )
      })
    },
  )

  withAuthOptions(
    vault
      .command('list')
      .description('States you may read: id, name, qubits, owner, classification, size, updated')
      .option('--search <text>', 'match name, id, owner, classification, tags or labels')
      .option('--format <format>', 'table or json', 'table'),
  ).action(async (opts: AuthOptions & { search?: string; format: string }, cmd: Command) => {
    if (opts.format !== 'table' && opts.format !== 'json')
      throw new CliError('--format: table or json.', EXIT.usage)
    await asSignedIn(cmd, opts, async (core, caller) => {
      const { states } = await call(core, caller, 'vault.list', { search: opts.search })
      const pick = (s: StateRow) => ({
        id: s.id,
        name: s.name,
        qubits: s.qubits,
        owner: s.owner,
        classification: s.classification,
        size: s.size,
        updated: s.updated,
      })
      process.stdout.write(
        opts.format === 'json'
          ? JSON.stringify(states.map(pick), null, 2) + '\n'
          : table(
              ['id', 'name', 'qubits', 'owner', 'classification', 'size', 'updated (UTC)'],
              states.map((s) => [
                s.id,
                s.name,
                String(s.qubits),
                s.owner,
                s.classification,
                humanSize(s.size),
                s.updated,
              ]),
            ),
      )
    })
  })

  withAuthOptions(
    vault
      .command('show <id>')
      .description('Properties, integrity and chart summary of a state')
      .option('--json', 'print JSON'),
  ).action(async (id: string, opts: AuthOptions & { json?: boolean }, cmd: Command) => {
    await asSignedIn(cmd, opts, async (core, caller) => {
      const s = await call(core, caller, 'vault.get', { stateId: id })
      if (opts.json) {
        process.stdout.write(JSON.stringify(s, null, 2) + '\n')
        return
      }
      const width = s.qubits
      const lines = [
        `${s.name}  (${s.id})`,
        `qubits ${s.qubits} · ${s.dtype} · ${humanSize(s.size)} · owner ${s.owner} · ${s.classification} · key ${s.keyType}`,
        `tags: ${s.tags.join(', ') || '-'}   labels: ${
          Object.entries(s.labels)
            .map(([k, v]) => `${k}=${v}`)
            .join(', ') || '-'
        }`,
        `created ${s.createdAt} · updated ${s.updated}`,
        `integrity: ${s.integrity.propertiesOk && s.integrity.fileOk ? 'properties and file bound' : `PROBLEM — ${s.integrity.message}`}`,
        `last full verify: ${s.lastVerification ? `${s.lastVerification.at} ${s.lastVerification.ok ? 'ok' : s.lastVerification.problem}` : 'never'}`,
        `entanglements: ${s.entanglements.map((e) => `{${e.qubits.join(',')}}${e.measure !== undefined ? `:${e.measure}` : ''}`).join(' ') || '-'}`,
        '',
        `top basis states (norm ${s.chart.norm.toFixed(9)}, ${s.chart.nonZero} non-zero, rest ${s.chart.rest.toFixed(6)}):`,
        ...s.chart.top.map(
          (t) =>
            `  |${t.index.toString(2).padStart(width, '0')}⟩  p=${t.probability.toFixed(6)}  ${'█'.repeat(Math.round(t.probability * 40))}  φ=${t.phase.toFixed(3)}`,
        ),
      ]
      process.stdout.write(lines.join('\n') + '\n')
    })
  })

  withAuthOptions(
    vault
      .command('export <id>')
      .description('Decrypt a state; OUT appears only after the whole file authenticates')
      .requiredOption('-o, --output <file>', 'file to write')
      .option('--format <format>', 'npy (as imported) or json', 'npy'),
  ).action(async (id: string, opts: AuthOptions & { output: string; format: string }, cmd: Command) => {
    if (opts.format !== 'npy' && opts.format !== 'json')
      throw new CliError('--format: npy or json.', EXIT.usage)
    await asSignedIn(cmd, opts, async (core, caller) => {
      const r = await call(core, caller, 'vault.export', {
        stateId: id,
        format: opts.format as 'npy' | 'json',
        path: resolve(opts.output),
      })
      process.stdout.write(`Wrote ${opts.output} (${humanSize(r.bytes)}).\n`)
    })
  })

  withAuthOptions(
    vault
      .command('share <id>')
      .description(
        'A standalone age file for recipients outside the console (age1… X25519, age1pq1… post-quantum)',
      )
      .option('-r, --recipient <recipient>', 'recipient (repeatable)', collect, [])
      .requiredOption('-o, --output <file>', 'file to write'),
  ).action(async (id: string, opts: AuthOptions & { recipient: string[]; output: string }, cmd: Command) => {
    if (opts.recipient.length === 0) throw new CliError('Give at least one --recipient.', EXIT.usage)
    await asSignedIn(cmd, opts, async (core, caller) => {
      const r = await call(core, caller, 'vault.share', {
        stateId: id,
        recipients: opts.recipient,
        path: resolve(opts.output),
      })
      process.stdout.write(
        `Wrote ${opts.output} (${humanSize(r.bytes)}) for ${opts.recipient.length} recipient(s).\n`,
      )
    })
  })

  withAuthOptions(
    vault
      .command('verify [ids...]')
      .description('Check properties MAC, file binding and a full decrypt (default: all states)')
      .option('--json', 'print JSON'),
  ).action(async (ids: string[], opts: AuthOptions & { json?: boolean }, cmd: Command) => {
    await asSignedIn(cmd, opts, async (core, caller) => {
      const job = await call(core, caller, 'vault.verify', { stateIds: ids.length ? ids : undefined })
      const r = (await awaitJob(core, caller, job, 'Verifying')) as {
        checked: number
        ok: number
        problems: { id: string; name: string; problem: string; message: string }[]
      }
      if (opts.json) process.stdout.write(JSON.stringify(r, null, 2) + '\n')
      else {
        for (const p of r.problems) process.stdout.write(`${p.id} ${p.name}: ${p.problem} — ${p.message}\n`)
        process.stdout.write(`${r.ok} of ${r.checked} state(s) verified.\n`)
      }
      if (r.problems.length > 0)
        throw new CliError(`${r.problems.length} state(s) failed verification.`, EXIT.findings)
    })
  })

  withAuthOptions(
    vault
      .command('rotate-keys')
      .description('New vault identity; rewrap every file header (crash-safe; run again to resume)')
      .option('--key-type <type>', 'mlkem768x25519 (post-quantum) or x25519 (default: as now)'),
  ).action(async (opts: AuthOptions & { keyType?: string }, cmd: Command) => {
    if (opts.keyType !== undefined && opts.keyType !== 'x25519' && opts.keyType !== 'mlkem768x25519')
      throw new CliError('--key-type: mlkem768x25519 or x25519.', EXIT.usage)
    await asSignedIn(cmd, opts, async (core, caller) => {
      const job = await call(core, caller, 'vault.rotateKeys', {
        keyType: opts.keyType as 'x25519' | 'mlkem768x25519' | undefined,
      })
      const r = await awaitJob(core, caller, job, 'Rotating')
      process.stdout.write(
        `Rotated ${String(r.rotated)} file(s) to key generation ${String(r.generation)} (${String(r.keyType)})${Number(r.resumed) > 0 ? `, ${String(r.resumed)} finished from an interrupted run` : ''}.\n`,
      )
    })
  })

  withAuthOptions(vault.command('delete <id>').description('Delete a state and its encrypted file')).action(
    async (id: string, opts: AuthOptions, cmd: Command) => {
      await asSignedIn(cmd, opts, async (core, caller) => {
        await call(core, caller, 'vault.delete', { stateId: id })
        process.stdout.write(`Deleted ${id}.\n`)
      })
    },
  )
}
