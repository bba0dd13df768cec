import { createInterface } from 'node:readline'
import { CliError } from './cli-error'
import { EXIT } from './exit-codes'

/** Read one line from a non-terminal stdin (piped password). */
function readStdinLine(): Promise<string | null> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, terminal: false })
    let done = false
    rl.once('line', (line) => {
      done = true
      rl.close()
      resolve(line)
    })
    rl.once('close', () => {
      if (!done) resolve(null)
    })
  })
}

/** Prompt on the terminal without echo. */
function promptHidden(prompt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin
    process.stderr.write(prompt)
    stdin.setRawMode(true)
    stdin.resume()
    let value = ''
    const onData = (buf: Buffer) => {
      for (const ch of buf.toString('utf8')) {
        if (ch === '\r' || ch === '\n') {
          cleanup()
          process.stderr.write('\n')
          return resolve(value)
        }
        if (ch === '\u0003') {
          cleanup()
          process.stderr.write('\n')
          return reject(new CliError('Cancelled.', EXIT.usage))
        }
        if (ch === '\u007f' || ch === '\b') value = [...value].slice(0, -1).join('')
        else if (ch >= ' ') value += ch
      }
    }
    const cleanup = () => {
      stdin.off('data', onData)
      stdin.setRawMode(false)
      stdin.pause()
    }
    stdin.on('data', onData)
  })
}

/** One secret line (a code, a new password) from the terminal without echo, or from stdin. */
export async function readSecretLine(prompt: string): Promise<string> {
  if (process.stdin.isTTY) return promptHidden(prompt)
  const line = await readStdinLine()
  if (line === null || line === '')
    throw new CliError(`No input for: ${prompt.replace(/:\s*$/, '')}.`, EXIT.usage)
  return line
}

/** A new password for an account: QQSEC_NEW_PASSWORD when set, else asked twice on a terminal, else one stdin line. */
export async function readNewPassword(prompt = 'New password: '): Promise<string> {
  const env = process.env.QQSEC_NEW_PASSWORD
  if (env !== undefined && env !== '') return env
  if (process.stdin.isTTY) {
    const first = await promptHidden(prompt)
    if ((await promptHidden('Repeat it: ')) !== first)
      throw new CliError('The two passwords differ; nothing was changed.', EXIT.usage)
    return first
  }
  return readSecretLine(prompt)
}

/** The password: QQSEC_PASSWORD when set, else a hidden prompt on a terminal, else one line of stdin. */
export async function readPassword(prompt = 'Password: ', confirm = false): Promise<string> {
  const env = process.env.QQSEC_PASSWORD
  if (env !== undefined && env !== '') return env
  if (process.stdin.isTTY) {
    const first = await promptHidden(prompt)
    if (confirm && (await promptHidden('Repeat password: ')) !== first) {
      throw new CliError('The two passwords differ; nothing was changed.', EXIT.usage)
    }
    return first
  }
  const line = await readStdinLine()
  if (line === null || line === '') {
    throw new CliError(
      'No password given: set QQSEC_PASSWORD, type it at the prompt, or pipe it on stdin.',
      EXIT.usage,
    )
  }
  return line
}
