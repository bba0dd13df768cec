/** Main-process log. Never given call inputs, tokens or key material: only codes, names and error stacks. */
export interface Logger {
  info(msg: string): void
  error(msg: string, err?: unknown): void
}

export const stderrLogger: Logger = {
  info: (msg) => process.stderr.write(`[qqsec] ${msg}\n`),
  error: (msg, err) =>
    process.stderr.write(
      `[qqsec] ${msg}${err instanceof Error ? `\n${err.stack ?? err.message}` : err ? ` ${String(err)}` : ''}\n`,
    ),
}

export const silentLogger: Logger = { info: () => {}, error: () => {} }
