import type { Command } from 'commander'
import { fileURLToPath } from 'node:url'
import { stderrLogger } from '../../main/platform/logger'
import { acquireInstanceLock } from '../../main/platform/instance-lock'
import { dataFiles, ensureDataDir, resolveDataDir } from '../../main/platform/data-dir'
import { ensureRendererBuild } from '../../main/web/renderer-build'
import { startWebServer } from '../../main/web/web-server'
import { globals, openCli } from '../cli-context'
import { CliError } from '../cli-error'
import { EXIT } from '../exit-codes'

const PROJECT_ROOT = fileURLToPath(new URL('../../..', import.meta.url))

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description(
      'Browser mode: serve the console on a loopback address for machines where Electron cannot start',
    )
    .option('--port <n>', 'TCP port on 127.0.0.1 (default: a free one)', '0')
    .action(async (opts: { port: string }, cmd: Command) => {
      const port = Number(opts.port)
      if (!Number.isInteger(port) || port < 0 || port > 65535)
        throw new CliError('--port must be 0–65535.', EXIT.usage)
      const dataDir = resolveDataDir(globals(cmd).dataDir)
      ensureDataDir(dataDir)
      const lock = acquireInstanceLock(dataFiles(dataDir).hostLock)
      let core: Awaited<ReturnType<typeof openCli>> | undefined
      try {
        const rendererDir = ensureRendererBuild(PROJECT_ROOT, (m) => process.stderr.write(`${m}\n`))
        core = await openCli(cmd)
        const server = await startWebServer({
          invoke: core.invoke,
          rendererDir,
          clock: core.clock,
          logger: stderrLogger,
          port,
        })
        const opened = core
        process.stdout.write(
          `QQ-Verse console (browser mode) for ${dataDir}\nOpen ${server.url}\n` +
            `Only this machine can reach it; the address carries a token valid until this process ends. Ctrl+C stops it.\n`,
        )
        await new Promise<void>((resolve) => {
          const stop = () => resolve()
          process.once('SIGINT', stop)
          process.once('SIGTERM', stop)
        })
        await server.close()
        opened.close()
      } catch (e) {
        core?.close()
        if (e instanceof Error && 'code' in e && (e as NodeJS.ErrnoException).code === 'EADDRINUSE') {
          throw new CliError(`Port ${port} is in use; pick another with --port or omit it.`, EXIT.usage)
        }
        throw e
      } finally {
        lock.release()
      }
    })
}
