import { resolve } from 'node:path'
import type { Command } from 'commander'
import type { ConsoleCore } from '../../main/console-core'
import type { JobInfo } from '../../main/engines/jobs/job-runner'
import type { Caller } from '../../main/ipc/caller'
import type { JobView } from '../../shared/contract'
import type { ErrorCode } from '../../shared/result'
import { asSignedIn, withAuthOptions, type AuthOptions } from '../cli-auth'
import { call } from '../cli-context'
import { CliError } from '../cli-error'

/**
 * Wait for a job this CLI started, showing its progress on a terminal (stderr), and return its result; a failed
 * job becomes the CLI error of its code. The job is read in-process (one `auth.session` call names its owner), so
 * polling does not fill the audit log.
 */
export async function awaitJob(
  core: ConsoleCore,
  caller: Caller,
  job: JobView,
  label: string,
): Promise<Record<string, unknown>> {
  const { user } = await call(core, caller, 'auth.session', {})
  const tty = process.stderr.isTTY === true
  let info: JobInfo = core.jobs.get(job.id, user.id)
  let last = ''
  while (info.state === 'running') {
    await new Promise((r) => setTimeout(r, 100))
    info = core.jobs.get(job.id, user.id)
    if (tty) {
      const p = info.progress
      const of = p.total !== null ? `/${p.total}` : ''
      const cur = p.current ? ` ${p.current.length > 60 ? `…${p.current.slice(-59)}` : p.current}` : ''
      const line = `${label}: ${p.done}${of} ${p.unit}${cur}`
      if (line !== last) process.stderr.write(`\r\x1b[K${line}`)
      last = line
    }
  }
  if (tty && last) process.stderr.write('\r\x1b[K')
  if (info.state === 'failed' && info.error)
    throw CliError.fromCode(info.error.code as ErrorCode, info.error.message)
  if (info.state === 'cancelled') throw CliError.fromCode('CANCELLED', `${label} was cancelled.`)
  return info.result ?? {}
}

export function registerDbCommands(program: Command): void {
  const db = program.command('db').description('The offline advisory database (OSV records)')

  withAuthOptions(
    db
      .command('import <path>')
      .description('Import OSV advisories: a folder of .json files (searched recursively) or an OSV all.zip'),
  ).action(async (path: string, opts: AuthOptions, cmd: Command) => {
    await asSignedIn(cmd, opts, async (core, caller) => {
      const job = await call(core, caller, 'advisories.import', { path: resolve(path) })
      const r = await awaitJob(core, caller, job, 'Importing advisories')
      process.stdout.write(
        `Imported ${String(r.files)} file(s) from ${String(r.source)}: ${String(r.added)} added, ${String(r.updated)} updated, ${String(r.unchanged)} unchanged, ${String(r.skipped)} skipped.\n`,
      )
      const sample = Array.isArray(r.skippedSample)
        ? (r.skippedSample as { file: string; reason: string }[])
        : []
      for (const s of sample.slice(0, 5)) process.stderr.write(`qqsec: skipped ${s.file}: ${s.reason}\n`)
      const st = await call(core, caller, 'advisories.status', {})
      if (st.warning) process.stderr.write(`qqsec: warning: ${st.warning}\n`)
    })
  })

  withAuthOptions(
    db
      .command('status')
      .description('Source, count and age of the imported advisories')
      .option('--json', 'print JSON'),
  ).action(async (opts: AuthOptions & { json?: boolean }, cmd: Command) => {
    await asSignedIn(cmd, opts, async (core, caller) => {
      const st = await call(core, caller, 'advisories.status', {})
      if (opts.json) process.stdout.write(JSON.stringify(st, null, 2) + '\n')
      else
        process.stdout.write(
          [
            `Source:          ${st.source ?? '(none imported)'}`,
            `Imported at:     ${st.importedAt ?? '-'}`,
            `Advisories:      ${st.count} (${st.withdrawn} withdrawn)`,
            `Newest modified: ${st.newestModified ?? '-'}${st.ageDays !== null ? ` (${st.ageDays} days ago)` : ''}`,
            '',
          ].join('\n'),
        )
      if (st.warning) process.stderr.write(`qqsec: warning: ${st.warning}\n`)
    })
  })
}
