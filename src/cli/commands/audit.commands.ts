import type { Command } from 'commander'
import {
  closeSync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs'
import { resolve } from 'node:path'
import {
  checkArchiveSequence,
  verifyArchiveFile,
  type ArchiveVerdict,
} from '../../main/engines/audit/audit-archive'
import { keyFingerprint, verifyBundle } from '../../main/engines/audit/evidence-bundle'
import { chainHash } from '../../main/engines/audit/audit-log'
import { verifyProofDocument } from '../../main/engines/audit/tree-heads'
import { SyslogForwarder, type ForwardTarget } from '../../main/engines/audit/syslog-forwarder'
import { writeFileAtomic } from '../../main/platform/atomic-write'
import { AUDIT_EVENT_TYPES, contract } from '../../shared/contract'
import { asSignedIn, withAuthOptions, type AuthOptions } from '../cli-auth'
import { call } from '../cli-context'
import { CliError } from '../cli-error'
import { EXIT } from '../exit-codes'
import { awaitJob } from './db.commands'

export function registerAuditCommands(program: Command): void {
  const audit = program.command('audit').description('The tamper-evident audit trail')

  withAuthOptions(
    audit
      .command('verify')
      .description(
        'Check the whole chain, the signed checkpoints and the checkpoint kept outside the database (exit 1 if damaged); with --bundle, check an evidence bundle on its own',
      )
      .option('--bundle <file>', 'verify this evidence bundle; needs no data dir, keystore or account')
      .option(
        '--proof <file>',
        'verify an inclusion or consistency proof (`qqsec audit proof`); needs no data dir, keystore or account',
      )
      .option(
        '--archive <file>',
        'verify this retention archive on its own (repeat for several: they must join); needs no data dir, keystore or account',
        (v: string, prev: string[] = []) => [...prev, v],
      )
      .option(
        '--live',
        "with --archive: also check that each archive is one this console's live log was cut from (signs in)",
      )
      .option('--json', 'print the full report as JSON'),
  ).action(
    async (
      opts: AuthOptions & {
        json?: boolean
        bundle?: string
        archive?: string[]
        live?: boolean
        proof?: string
      },
      cmd: Command,
    ) => {
      if (opts.proof !== undefined) {
        if (opts.bundle !== undefined || opts.archive !== undefined)
          throw new CliError('Give --proof on its own (not with --bundle or --archive).', EXIT.usage)
        return verifyProofFile(opts.proof)
      }
      if (opts.bundle !== undefined && opts.archive !== undefined)
        throw new CliError('Give --bundle or --archive, not both.', EXIT.usage)
      if (opts.live && opts.archive === undefined)
        throw new CliError('--live goes with --archive.', EXIT.usage)
      if (opts.bundle !== undefined) return verifyBundleFile(opts.bundle, !!opts.json)
      if (opts.archive !== undefined) {
        const verdicts = await verifyArchiveFiles(opts.archive, !!opts.json)
        if (!opts.live) return
        // The live chain (and with it every cut's signature) is checked first; then each archive must be the one a
        // signed cut names: its SHA-256 covers its anchor and head.
        const { cuts, live } = await asSignedIn(cmd, opts, async (core, caller) => ({
          live: await call(core, caller, 'audit.verify', {}),
          cuts: (await call(core, caller, 'audit.retention', {})).cuts,
        }))
        if (!live.ok)
          throw new CliError(
            `audit: BROKEN — ${live.problems[0]!.kind}: ${live.problems[0]!.message}`,
            EXIT.findings,
          )
        for (const v of verdicts) {
          const cut = cuts.find((c) => c.archiveSha256 === v.digest && c.seq === v.head?.seq)
          if (!cut)
            throw new CliError(
              `archive ${v.file}: not one the live log was cut from (no recorded cut names its SHA-256)`,
              EXIT.findings,
            )
          if (!opts.json)
            process.stdout.write(
              `live log: ${v.file} is the archive of entries ${cut.firstSeq}–${cut.seq} recorded in its signed cut\n`,
            )
        }
        return
      }
      const report = await asSignedIn(cmd, opts, (core, caller) => call(core, caller, 'audit.verify', {}))
      if (opts.json) process.stdout.write(JSON.stringify(report, null, 2) + '\n')
      if (report.ok) {
        if (!opts.json) {
          process.stdout.write(
            `audit: ${report.entries} entries intact` +
              (report.archivedThrough !== null
                ? ` (entries up to ${report.archivedThrough} are archived; the chain continues from the signed cut)`
                : '') +
              `; ${report.checkpoints} signed checkpoint(s)` +
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
        report.problems.length > 1
          ? ` (+${report.problems.length - 1} more problem(s); --json lists them)`
          : ''
      throw new CliError(`audit: BROKEN — ${first.kind}: ${first.message}${more}`, EXIT.findings)
    },
  )

  withAuthOptions(
    audit
      .command('archive')
      .description(
        'Move entries older than an age to a signed, compressed archive file and remove them from the live log (the chain carries across the cut; verify the file with `qqsec audit verify --archive FILE`)',
      )
      .option(
        '--older-than <days>',
        'archive entries older than this many days (default: the retention setting)',
      )
      .requiredOption(
        '-o, --output <file>',
        'the archive file to write (must not exist), e.g. audit-2025.jsonl.gz',
      ),
  ).action(async (opts: AuthOptions & { olderThan?: string; output: string }, cmd: Command) => {
    let olderThanDays: number | undefined
    if (opts.olderThan !== undefined) {
      olderThanDays = Number(opts.olderThan)
      if (!/^\d+$/.test(opts.olderThan) || olderThanDays > 36_500)
        throw new CliError('--older-than: give a whole number of days, 0–36500.', EXIT.usage)
    }
    const output = resolve(opts.output)
    await asSignedIn(cmd, opts, async (core, caller) => {
      const job = await call(core, caller, 'audit.archive', { olderThanDays, output })
      const r = await awaitJob(core, caller, job, 'Archiving audit entries')
      if (!r.file) {
        process.stdout.write(
          `Nothing to archive: no audit entries older than ${String(r.olderThanDays)} days.\n`,
        )
        return
      }
      process.stdout.write(
        `Archived audit entries ${String(r.firstSeq)}–${String(r.lastSeq)} (${String(r.entries)}, older than ${String(r.cutoff)}) to ${String(r.file)} (${String(r.bytes)} bytes, SHA-256 ${String(r.digest)}); the live log now starts at entry ${Number(r.lastSeq) + 1}.\n`,
      )
      const behind = Array.isArray(r.notForwarded)
        ? (r.notForwarded as { target: string; lastSeq: number }[])
        : []
      for (const b of behind)
        process.stderr.write(
          `note: ${b.target} had acknowledged entries only up to ${b.lastSeq}; the archived ones after that are in the archive only.\n`,
        )
    })
  })

  withAuthOptions(
    audit
      .command('retention')
      .description('Show or set the age after which audit entries may be archived')
      .option('--set <days>', 'a number of days (1–36500), or "off"'),
  ).action(async (opts: AuthOptions & { set?: string }, cmd: Command) => {
    let days: number | null | undefined
    if (opts.set !== undefined) {
      days = opts.set === 'off' ? null : Number(opts.set)
      if (days !== null && (!/^\d+$/.test(opts.set) || days < 1 || days > 36_500))
        throw new CliError('--set: give a number of days, 1–36500, or off.', EXIT.usage)
    }
    await asSignedIn(cmd, opts, async (core, caller) => {
      if (days !== undefined) await call(core, caller, 'audit.setRetention', { days })
      const r = await call(core, caller, 'audit.retention', {})
      process.stdout.write(
        `audit retention: ${r.days === null ? 'off (nothing is archived unless you run `qqsec audit archive --older-than DAYS`)' : `entries older than ${r.days} days may be archived`}\n`,
      )
      for (const c of r.cuts)
        process.stdout.write(
          `archived: entries ${c.firstSeq}–${c.seq} (through ${c.time}) to ${c.archiveName} (SHA-256 ${c.archiveSha256})\n`,
        )
      if (r.eligible)
        process.stdout.write(
          `eligible now: entries ${r.eligible.firstSeq}–${r.eligible.lastSeq} (older than ${r.eligible.before})\n`,
        )
    })
  })

  withAuthOptions(
    audit
      .command('key')
      .description("The public key that signs this console's audit checkpoints and bundles"),
  ).action(async (opts: AuthOptions, cmd: Command) => {
    const pem = await asSignedIn(cmd, opts, async (core) => core.audit.checkpointSigner?.publicKeyPem ?? null)
    if (!pem) throw new CliError('This console has no audit signing key.', EXIT.usage)
    process.stdout.write(`${pem.trim()}\nfingerprint: ${keyFingerprint(pem)}\n`)
  })

  registerAuditProofCommand(audit)
}

/** `audit proof`: an inclusion proof of one entry, or a consistency proof between two signed tree heads. */
function registerAuditProofCommand(audit: Command): void {
  withAuthOptions(
    audit
      .command('proof')
      .description(
        'An RFC 9162 Merkle proof against signed tree heads: --entry SEQ [--tree-head COUNT] (inclusion) or --from COUNT --to COUNT (consistency); --list shows the heads. Check it anywhere with `qqsec audit verify --proof FILE`',
      )
      .option('--entry <seq>', 'the entry to prove')
      .option(
        '--tree-head <count>',
        'with --entry: the signed tree head (its entry count); default the first covering it',
      )
      .option('--from <count>', 'the earlier signed tree head (its entry count)')
      .option('--to <count>', 'the later signed tree head (its entry count)')
      .option('--list', 'list the signed tree heads')
      .option('-o, --output <file>', 'write the proof to this file (default: print it)'),
  ).action(
    async (
      opts: AuthOptions & {
        entry?: string
        treeHead?: string
        from?: string
        to?: string
        list?: boolean
        output?: string
      },
      cmd: Command,
    ) => {
      const inclusion = opts.entry !== undefined
      const consistency = opts.from !== undefined || opts.to !== undefined
      if ([inclusion, consistency, !!opts.list].filter(Boolean).length !== 1)
        throw new CliError('Give --entry SEQ, or --from COUNT --to COUNT, or --list.', EXIT.usage)
      if (consistency && (opts.from === undefined || opts.to === undefined))
        throw new CliError('--from and --to go together (two signed tree heads).', EXIT.usage)
      if (opts.treeHead !== undefined && !inclusion)
        throw new CliError('--tree-head goes with --entry.', EXIT.usage)
      if (opts.list) {
        if (opts.output !== undefined) throw new CliError('--output does not go with --list.', EXIT.usage)
        const r = await asSignedIn(cmd, opts, (core, caller) => call(core, caller, 'audit.treeHeads', {}))
        for (const h of r.heads) process.stdout.write(`${h.count}\t${h.time}\t${h.root}\n`)
        if (r.heads.length === 0)
          process.stdout.write('no signed tree heads yet (one is signed every 1000 entries)\n')
        if (r.unavailable) process.stdout.write(`${r.unavailable}\n`)
        return
      }
      const proof = inclusion
        ? await (async () => {
            const seq = positiveInt('--entry', opts.entry!)
            const treeHead =
              opts.treeHead === undefined ? undefined : positiveInt('--tree-head', opts.treeHead)
            return (
              await asSignedIn(cmd, opts, (core, caller) =>
                call(core, caller, 'audit.inclusionProof', { seq, ...(treeHead ? { treeHead } : {}) }),
              )
            ).proof
          })()
        : await (async () => {
            const from = positiveInt('--from', opts.from!)
            const to = positiveInt('--to', opts.to!)
            return (
              await asSignedIn(cmd, opts, (core, caller) =>
                call(core, caller, 'audit.consistencyProof', { from, to }),
              )
            ).proof
          })()
      if (opts.output === undefined) {
        process.stdout.write(proof + '\n')
        return
      }
      writeFileAtomic(resolve(opts.output), proof + '\n')
      process.stdout.write(
        `Wrote the proof to ${opts.output}; check it with \`qqsec audit verify --proof ${opts.output}\`.\n`,
      )
    },
  )
}

function positiveInt(flag: string, v: string): number {
  const n = /^[1-9]\d{0,15}$/.test(v) ? Number(v) : Number.NaN
  if (!Number.isSafeInteger(n)) throw new CliError(`${flag}: give a whole number from 1 up.`, EXIT.usage)
  return n
}

const MAX_PROOF_BYTES = 8 * 1024 * 1024

/** Check a proof file with no console: the tree head signature(s) and the Merkle path. 0 ok, 1 broken, 2 not a proof. */
function verifyProofFile(file: string): void {
  let raw: unknown
  try {
    if (statSync(file).size > MAX_PROOF_BYTES)
      throw new CliError(`${file} is larger than any proof the console writes.`, EXIT.usage)
    raw = JSON.parse(readFileSync(file, 'utf8'))
  } catch (e) {
    if (e instanceof CliError) throw e
    throw new CliError(
      `${file} cannot be read as a proof (${(e as Error).message.split('\n')[0]}).`,
      EXIT.usage,
    )
  }
  const v = verifyProofDocument(raw, (e) => chainHash(e.prev_hash, e))
  if (!v) throw new CliError(`${file} is not an audit proof file.`, EXIT.usage)
  if (!v.ok) throw new CliError(`proof: BROKEN — ${v.problem}`, EXIT.findings)
  const key = (raw as { publicKey: string }).publicKey
  process.stdout.write(`proof: OK — ${v.summary}, signed by ${keyFingerprint(key)}\n`)
}

const MAX_BUNDLE_BYTES = 512 * 1024 * 1024

function verifyBundleFile(file: string, json: boolean): void {
  let raw: unknown
  try {
    if (statSync(file).size > MAX_BUNDLE_BYTES)
      throw new CliError(`${file} is larger than any bundle the console writes.`, EXIT.usage)
    raw = JSON.parse(readFileSync(file, 'utf8'))
  } catch (e) {
    if (e instanceof CliError) throw e
    throw new CliError(
      `${file} cannot be read as an evidence bundle (${(e as Error).message.split('\n')[0]}).`,
      EXIT.usage,
    )
  }
  const v = verifyBundle(raw)
  if (json) process.stdout.write(JSON.stringify(v, null, 2) + '\n')
  if (!v.ok) throw new CliError(`bundle: BROKEN — ${v.problems[0]}`, EXIT.findings)
  if (!json) {
    process.stdout.write(
      `bundle: intact — ${v.periodEntries} entries of the period, complete and unaltered, signed by ${v.keyFingerprint}\n` +
        `Compare the fingerprint with \`qqsec audit key\` on the console that made it.\n`,
    )
  }
}

async function verifyArchiveFiles(files: readonly string[], json: boolean): Promise<ArchiveVerdict[]> {
  const verdicts: ArchiveVerdict[] = []
  for (const f of files) verdicts.push(await verifyArchiveFile(f))
  const joins = verdicts.every((v) => v.ok) ? checkArchiveSequence(verdicts) : []
  if (json) process.stdout.write(JSON.stringify({ archives: verdicts, joins }, null, 2) + '\n')
  const bad = verdicts.find((v) => !v.ok)
  if (bad) {
    const p = bad.problems[0]!
    const more =
      bad.problems.length > 1 ? ` (+${bad.problems.length - 1} more problem(s); --json lists them)` : ''
    const code = p.kind === 'unreadable' ? EXIT.usage : EXIT.findings
    throw new CliError(`archive ${bad.file}: BROKEN — ${p.kind}: ${p.message}${more}`, code)
  }
  if (joins.length) throw new CliError(`archives: BROKEN — ${joins[0]}`, EXIT.findings)
  if (json) return verdicts
  for (const v of verdicts) {
    process.stdout.write(
      `archive: intact — entries ${v.anchor!.seq + 1}–${v.head!.seq} (${v.entries}), chained from ${v.anchor!.seq === 0 ? 'the start of the log' : `entry ${v.anchor!.seq} (${v.anchor!.hash.slice(0, 16)}…)`} to head ${v.head!.hash.slice(0, 16)}…, ${v.checkpoints} signed checkpoint(s), signed by ${v.keyFingerprint} (the key the archive carries: compare it with \`qqsec audit key\`, or verify with --live); SHA-256 ${v.digest}\n`,
    )
  }
  if (verdicts.length > 1) process.stdout.write(`archives: ${verdicts.length} archives join without a gap\n`)
  return verdicts
}

interface TlsFiles {
  ca?: string
  cert?: string
  key?: string
}

const readPem = (flag: string, path: string): string => {
  try {
    return readFileSync(path, 'utf8')
  } catch (e) {
    throw new CliError(
      `--${flag}: cannot read ${path} (${(e as NodeJS.ErrnoException).code ?? 'error'}).`,
      EXIT.usage,
    )
  }
}

function parseTarget(to: string, files: TlsFiles): ForwardTarget {
  const m = /^relp(s?):\/\/([A-Za-z0-9.-]+|\[[0-9a-fA-F:]+\]):(\d{1,5})$/.exec(to)
  if (!m)
    throw new CliError('--to: give relp://HOST:PORT (or relps://HOST:PORT with --ca for TLS).', EXIT.usage)
  const port = Number(m[3])
  if (port < 1 || port > 65535) throw new CliError('--to: the port must be 1–65535.', EXIT.usage)
  const tls = m[1] === 's'
  if (tls && !files.ca)
    throw new CliError('relps:// needs --ca FILE (the collector’s CA certificate, PEM).', EXIT.usage)
  if (!tls && (files.ca || files.cert || files.key))
    throw new CliError('--ca, --cert and --key apply to relps:// (TLS) only.', EXIT.usage)
  if (!!files.cert !== !!files.key)
    throw new CliError(
      '--cert and --key go together (this sender’s certificate and its key, PEM).',
      EXIT.usage,
    )
  return {
    name: to,
    host: m[2]!.replace(/^\[|\]$/g, ''),
    port,
    ...(files.ca ? { tlsCa: readPem('ca', files.ca) } : {}),
    ...(files.cert && files.key
      ? { tlsCert: readPem('cert', files.cert), tlsKey: readPem('key', files.key) }
      : {}),
  }
}

export function registerAuditForwardCommand(program: Command): void {
  const audit = program.commands.find((c) => c.name() === 'audit')!
  withAuthOptions(
    audit
      .command('forward')
      .description(
        'Forward the audit log to a syslog collector over RELP (acknowledged delivery): pending entries are kept in the log until the collector confirms them',
      )
      .requiredOption('--to <url>', 'relp://HOST:PORT, or relps://HOST:PORT for TLS')
      .option('--ca <file>', 'with relps://: the collector’s CA certificate (PEM)')
      .option(
        '--cert <file>',
        'with relps://: this sender’s certificate (PEM), for collectors that ask for one',
      )
      .option('--key <file>', 'with --cert: its private key (PEM)')
      .option('--follow', 'keep forwarding new entries until stopped (Ctrl+C)'),
  ).action(async (opts: AuthOptions & TlsFiles & { to: string; follow?: boolean }, cmd: Command) => {
    const target = parseTarget(opts.to, opts)
    await asSignedIn(cmd, opts, async (core, caller) => {
      // Forwarding reads the whole log: the same permission as reading it, and the start is audited.
      await call(core, caller, 'audit.verify', {})
      const forwarder = new SyslogForwarder(core.db, target)
      const stop = () => forwarder.stop()
      process.once('SIGINT', stop)
      process.once('SIGTERM', stop)
      const tty = process.stderr.isTTY
      let lastError: string | null = null
      const sent = await forwarder.run({
        follow: !!opts.follow,
        onProgress: (p) => {
          if (p.lastError && p.lastError !== lastError)
            process.stderr.write(`collector unreachable (${p.lastError}); retrying…\n`)
          lastError = p.lastError
          if (tty) process.stderr.write(`\rforwarded ${p.sent}, pending ${p.pending}   `)
        },
      })
      if (tty) process.stderr.write('\n')
      process.stdout.write(
        `Forwarded ${sent} audit entries to ${target.name}; acknowledged up to entry ${forwarder.cursor()}.\n`,
      )
    })
  })
}

const isoOption = (name: string, v: string | undefined): string | undefined => {
  if (v === undefined) return undefined
  const t = Date.parse(v)
  if (Number.isNaN(t))
    throw new CliError(
      `--${name}: give an ISO 8601 date or time, e.g. 2026-12-01 or 2026-12-01T08:00:00Z.`,
      EXIT.usage,
    )
  return new Date(t).toISOString()
}

export function registerAuditQueryCommands(program: Command): void {
  const audit = program.commands.find((c) => c.name() === 'audit')!

  withAuthOptions(
    audit
      .command('search')
      .description('Audit entries matching filters, newest first')
      .option('--actor <name>', 'account that acted')
      .option('--type <type>', `event type: ${AUDIT_EVENT_TYPES.join(', ')}`)
      .option('--client <id>', 'client, e.g. http:127.0.0.1 or cli:alice')
      .option('--resource <ref>', 'resource, e.g. user:<id>')
      .option('--result <result>', 'success or failure')
      .option('--risk <level>', 'low, medium, high or critical')
      .option('--from <time>', 'from this time (inclusive)')
      .option('--to <time>', 'until this time (exclusive)')
      .option('--text <words>', 'words that must appear in the details')
      .option('--limit <n>', 'at most this many (1–500)', '50')
      .option('--json', 'print JSON'),
  ).action(async (opts: AuthOptions & Record<string, string | boolean | undefined>, cmd: Command) => {
    const limit = Number(opts.limit)
    if (!Number.isInteger(limit) || limit < 1 || limit > 500)
      throw new CliError('--limit must be 1–500.', EXIT.usage)
    const str = (k: string) => (typeof opts[k] === 'string' ? (opts[k] as string) : undefined)
    // The contract's own schema checks the flags, so the CLI refuses with the same words as the pipeline.
    const parsed = contract['audit.search'].input.safeParse({
      actor: str('actor'),
      type: str('type'),
      client: str('client'),
      resource: str('resource'),
      result: str('result'),
      risk: str('risk'),
      from: isoOption('from', str('from')),
      to: isoOption('to', str('to')),
      text: str('text'),
      limit,
    })
    if (!parsed.success) {
      const i = parsed.error.issues[0]
      throw new CliError(`--${String(i?.path[0] ?? 'filter')}: ${i?.message}`, EXIT.usage)
    }
    const input = parsed.data
    await asSignedIn(cmd, opts, async (core, caller) => {
      const r = await call(core, caller, 'audit.search', input)
      if (opts.json) {
        process.stdout.write(JSON.stringify(r, null, 2) + '\n')
        return
      }
      for (const e of r.entries) {
        process.stdout.write(
          `${e.seq}\t${e.time}\t${e.type}\t${e.actor ?? '-'}\t${e.client}\t${e.action}\t${e.result}\t${e.risk}\n`,
        )
      }
      if (r.hasMore) process.stdout.write(`(more: narrow the filters or raise --limit)\n`)
    })
  })

  withAuthOptions(
    audit
      .command('export')
      .description(
        'Export the audit log as JSON Lines, CEF or RFC 5424 syslog, or a signed evidence bundle (--bundle)',
      )
      .option('--format <format>', 'jsonl, cef or syslog')
      .option(
        '--bundle',
        'write a signed evidence bundle: the period’s slice, its checkpoints, the compliance report and the public key',
      )
      .option('--standard <standard>', 'with --bundle: the report’s standard (gdpr, sox, hipaa, all)', 'all')
      .requiredOption('-o, --output <file>', 'file to write')
      .option('--from <time>', 'from this time (inclusive; with --bundle default 30 days ago)')
      .option('--to <time>', 'until this time (exclusive; with --bundle default now)'),
  ).action(
    async (
      opts: AuthOptions & {
        format?: string
        bundle?: boolean
        standard: string
        output: string
        from?: string
        to?: string
      },
      cmd: Command,
    ) => {
      const from = isoOption('from', opts.from)
      const to = isoOption('to', opts.to)
      if (opts.bundle) {
        if (opts.format !== undefined) throw new CliError('Give --bundle or --format, not both.', EXIT.usage)
        const parsed = contract['audit.exportBundle'].input.safeParse({
          standard: opts.standard,
          to: to ?? new Date().toISOString(),
          from: from ?? new Date(Date.parse(to ?? new Date().toISOString()) - 30 * 86_400_000).toISOString(),
        })
        if (!parsed.success)
          throw new CliError(
            `--${String(parsed.error.issues[0]?.path[0])}: ${parsed.error.issues[0]?.message}`,
            EXIT.usage,
          )
        const r = await asSignedIn(cmd, opts, (core, caller) =>
          call(core, caller, 'audit.exportBundle', parsed.data),
        )
        writeFileAtomic(opts.output, r.bundle)
        process.stdout.write(
          `Evidence bundle with ${r.entries} audit entries written to ${opts.output}, signed by ${r.keyFingerprint}.\n`,
        )
        return
      }
      if (!opts.format || !['jsonl', 'cef', 'syslog'].includes(opts.format)) {
        throw new CliError('--format must be jsonl, cef or syslog (or use --bundle).', EXIT.usage)
      }
      const format = opts.format as 'jsonl' | 'cef' | 'syslog'
      await asSignedIn(cmd, opts, async (core, caller) => {
        const tmp = `${opts.output}.${process.pid}.part`
        const fd = openSync(tmp, 'w', 0o600)
        let total = 0
        try {
          let afterSeq = 0
          for (;;) {
            const page = await call(core, caller, 'audit.export', {
              format,
              from,
              to,
              afterSeq,
              limit: 10_000,
            })
            writeSync(fd, page.text)
            total += page.entries
            afterSeq = page.lastSeq
            if (!page.hasMore) break
          }
          fsyncSync(fd)
          closeSync(fd)
          renameSync(tmp, opts.output)
        } catch (e) {
          closeSync(fd)
          unlinkSync(tmp)
          throw e
        }
        process.stdout.write(`Exported ${total} audit entries as ${format} to ${opts.output}.\n`)
      })
    },
  )
}
