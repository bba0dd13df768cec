import type { Command } from 'commander'

/**
 * `qqsec age …`: the standalone age tools, as a program of their own. They need none of the console (database,
 * keychain, engines), so this module imports only commander and the age format: it starts in a fraction of the time
 * the whole CLI takes, and `bin/qqsec` runs it from a prebuilt bundle when one matches the sources
 * (scripts/age-cli-bundle.mjs) — the same code, without the TypeScript loader's start-up.
 */
export async function runAgeCli(args: string[]): Promise<number> {
  if (args[3] === 'encrypt' || args[3] === 'decrypt') {
    void import('../main/engines/vault/age/crypto-pool').then((m) => m.prewarm())
    // Start loading the format while commander loads (the command imports them again, from the cache).
    for (const m of [import('../main/engines/vault/age/recipients'), import('../main/engines/vault/age/age')])
      m.catch(() => undefined)
  }
  const [{ CommanderError }, { rootCommand }, { CliError }, { EXIT }, { registerAgeCommands }] =
    await Promise.all([
      import('commander'),
      import('./root-command'),
      import('./cli-error'),
      import('./exit-codes'),
      import('./commands/age.commands'),
    ])
  // The global options are accepted here too, unused by the age commands.
  const program = rootCommand()
  registerAgeCommands(program)
  const all = (c: Command): Command[] => [c, ...c.commands.flatMap(all)]
  for (const cmd of all(program)) cmd.exitOverride().showHelpAfterError('(add --help for usage)')
  try {
    await program.parseAsync(args)
    return EXIT.ok
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT.ok : EXIT.usage
    if (e instanceof CliError) {
      process.stderr.write(`qqsec: ${e.message}\n`)
      return e.exitCode
    }
    const { stderrLogger } = await import('../main/platform/logger')
    stderrLogger.error('unexpected failure', e)
    return EXIT.usage
  }
}
