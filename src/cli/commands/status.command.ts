import type { Command } from 'commander'
import { call, cliCaller, openCli } from '../cli-context'

export function registerStatus(program: Command): void {
  program
    .command('status')
    .description('Show the data dir, its keystore and whether the console is set up')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const core = await openCli(cmd)
      try {
        const s = await call(core, cliCaller(null), 'system.status', {})
        const out = { ...s, keystore: core.keyStore.description }
        process.stdout.write(
          opts.json
            ? JSON.stringify(out, null, 2) + '\n'
            : `QQ-Verse Security Console ${s.version}\ndata dir: ${s.dataDir}\nkeystore: ${out.keystore}\nset up: ${
                s.initialized ? 'yes' : 'no — run `qqsec init --admin NAME`'
              }\n`,
        )
      } finally {
        core.close()
      }
    })
}
