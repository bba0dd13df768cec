import { closeSync, existsSync, openSync, readFileSync, writeSync } from 'node:fs'
import type { Command } from 'commander'
import { CliError } from '../cli-error'
import { EXIT } from '../exit-codes'
import { readSecretLine } from '../password-input'

/**
 * Standalone age tools for people without an account: the flags of `age` and `age-keygen`, files interchangeable
 * with them. The crypto is loaded only when a command runs, so these start fast.
 */

interface KeygenOptions {
  pq?: boolean
  output?: string
  y?: boolean
}
interface EncryptOptions {
  recipient: string[]
  recipientsFile: string[]
  identity: string[]
  armor?: boolean
  passphrase?: boolean
  output?: string
}
interface DecryptOptions {
  identity: string[]
  output?: string
}

const collect = (v: string, prev: string[]): string[] => [...prev, v]

const readText = (path: string, what: string): string => {
  try {
    return readFileSync(path, 'utf8')
  } catch (e) {
    throw new CliError(
      `Cannot read ${what} ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}.`,
      EXIT.usage,
    )
  }
}

async function passphrase(prompt: string): Promise<string> {
  const env = process.env.QQSEC_AGE_PASSPHRASE
  if (env !== undefined && env !== '') return env
  if (!process.stdin.isTTY)
    throw new CliError('A passphrase is needed: set QQSEC_AGE_PASSPHRASE or run on a terminal.', EXIT.usage)
  return readSecretLine(prompt)
}

/** Maps the format's failures to one line and an exit code: 1 for a file that does not open, 2 for bad keys. */
async function ageErrors<T>(fn: () => Promise<T>): Promise<T> {
  const { AgeError } = await import('../../main/engines/vault/age/errors')
  try {
    return await fn()
  } catch (e) {
    if (e instanceof AgeError)
      throw new CliError(
        e.message,
        e.kind === 'recipient' || e.kind === 'identity' ? EXIT.usage : EXIT.findings,
      )
    const code = (e as NodeJS.ErrnoException).code
    if (typeof code === 'string' && /^E[A-Z]+$/.test(code))
      throw new CliError(`${(e as Error).message} — check the file paths and permissions.`, EXIT.usage)
    throw e
  }
}

function openInput(path: string | undefined): { fd: number; close: () => void } {
  if (path === undefined || path === '-') return { fd: 0, close: () => undefined }
  let fd: number
  try {
    fd = openSync(path, 'r')
  } catch (e) {
    throw new CliError(`Cannot open ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}.`, EXIT.usage)
  }
  return { fd, close: () => closeSync(fd) }
}

export function registerAgeCommands(program: Command): void {
  const age = program
    .command('age')
    .description('Standalone age file encryption (no account needed; files work with the age tool)')

  age
    .command('keygen')
    .description(
      'Make an identity (X25519, or post-quantum ML-KEM-768+X25519 with --pq), or print its recipient with -y',
    )
    .argument('[input]', 'with -y: the identity file (default: stdin)')
    .option('--pq', 'post-quantum hybrid identity (mlkem768x25519)')
    .option('-o, --output <file>', 'write the identity to this file (created owner-only; must not exist)')
    .option('-y', 'print the recipients of the identity file INPUT')
    .action(async (input: string | undefined, opts: KeygenOptions) => {
      const rec = await import('../../main/engines/vault/age/recipients')
      if (opts.y) {
        const text = input === undefined ? readFileSync(0, 'utf8') : readText(input, 'identity file')
        const ids = await ageErrors(async () => rec.parseIdentityFile(text, input ?? 'stdin'))
        const lines = ids.map((i) => i.recipient().toString()).join('\n') + '\n'
        if (opts.output) writeNew(opts.output, lines, 0o644)
        else process.stdout.write(lines)
        return
      }
      if (input !== undefined) throw new CliError('keygen takes no INPUT without -y.', EXIT.usage)
      const id = opts.pq ? rec.HybridIdentity.generate() : rec.X25519Identity.generate()
      const pub = id.recipient().toString()
      const text = `# created: ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}\n# public key: ${pub}\n${id.toString()}\n`
      if (opts.output) {
        writeNew(opts.output, text, 0o600)
        process.stderr.write(`Public key: ${pub}\n`)
      } else process.stdout.write(text)
    })

  age
    .command('encrypt')
    .description('Encrypt INPUT (default: stdin) to recipients or with a passphrase')
    .argument('[input]', 'file to encrypt (default: stdin)')
    .option('-r, --recipient <recipient>', 'age1… or age1pq1… recipient (repeatable)', collect, [])
    .option('-R, --recipients-file <file>', 'file of recipients, one a line (repeatable)', collect, [])
    .option(
      '-i, --identity <file>',
      'encrypt to the recipients of this identity file (repeatable)',
      collect,
      [],
    )
    .option('-p, --passphrase', 'encrypt with a passphrase (QQSEC_AGE_PASSPHRASE or a terminal prompt)')
    .option('-a, --armor', 'PEM-armored ASCII output')
    .option('-o, --output <file>', 'write here (default: stdout)')
    .action(async (input: string | undefined, opts: EncryptOptions) => {
      const rec = await import('../../main/engines/vault/age/recipients')
      const { encrypt } = await import('../../main/engines/vault/age/age')
      const io = await import('../../main/engines/vault/age/io')
      await ageErrors(async () => {
        const recipients: import('../../main/engines/vault/age/recipients').Recipient[] = [
          ...opts.recipient.map(rec.parseRecipient),
          ...opts.recipientsFile.flatMap((f) => rec.parseRecipientsFile(readText(f, 'recipients file'), f)),
          ...opts.identity.flatMap((f) =>
            rec.parseIdentityFile(readText(f, 'identity file'), f).map((i) => i.recipient()),
          ),
        ]
        if (opts.passphrase) {
          if (recipients.length) throw new CliError('-p cannot be combined with -r, -R or -i.', EXIT.usage)
          const pw = await passphrase('Passphrase: ')
          recipients.push(new rec.ScryptRecipient(pw))
        }
        if (recipients.length === 0)
          throw new CliError('Give at least one recipient (-r, -R, -i) or -p for a passphrase.', EXIT.usage)
        if (!opts.output && !opts.armor && process.stdout.isTTY)
          throw new CliError('Refusing to write binary to the terminal: add -a or -o FILE.', EXIT.usage)
        const src = openInput(input)
        try {
          if (opts.output) {
            const sink = new io.AtomicFileSink(opts.output, 0o644)
            try {
              await encrypt(recipients, io.fdSource(src.fd), sink, { armor: opts.armor })
              sink.commit()
            } catch (e) {
              sink.abort()
              throw e
            }
          } else await encrypt(recipients, io.fdSource(src.fd), io.fdSink(1), { armor: opts.armor })
        } finally {
          src.close()
        }
      })
    })

  age
    .command('decrypt')
    .description('Decrypt INPUT (default: stdin; armor detected) with identity files or a passphrase')
    .argument('[input]', 'age file (default: stdin)')
    .option('-i, --identity <file>', 'identity file (repeatable)', collect, [])
    .option(
      '-o, --output <file>',
      'write here (default: stdout); appears only once the whole file authenticates',
    )
    .action(async (input: string | undefined, opts: DecryptOptions) => {
      const rec = await import('../../main/engines/vault/age/recipients')
      const age = await import('../../main/engines/vault/age/age')
      const io = await import('../../main/engines/vault/age/io')
      await ageErrors(async () => {
        const identities: import('../../main/engines/vault/age/recipients').Identity[] =
          opts.identity.flatMap((f) => rec.parseIdentityFile(readText(f, 'identity file'), f))
        const src = openInput(input)
        try {
          const opened = age.readHeader(io.fdSource(src.fd))
          if (opened.header.stanzas.some((s) => s.args[0] === 'scrypt') && opened.header.stanzas.length === 1)
            identities.push(new rec.ScryptIdentity(await passphrase('Passphrase: ')))
          else if (identities.length === 0)
            throw new CliError('Give the identity file to decrypt with: -i FILE.', EXIT.usage)
          if (opts.output) {
            const sink = new io.AtomicFileSink(opts.output, 0o600)
            try {
              await age.decryptOpened(opened, identities, sink)
              sink.commit()
            } catch (e) {
              sink.abort()
              throw e
            }
          } else await age.decryptOpened(opened, identities, io.fdSink(1))
        } finally {
          src.close()
        }
      })
    })
}

function writeNew(path: string, text: string, mode: number): void {
  if (existsSync(path)) throw new CliError(`${path} already exists; choose another file name.`, EXIT.usage)
  try {
    const fd = openSync(path, 'wx', mode)
    try {
      const buf = Buffer.from(text)
      let off = 0
      while (off < buf.length) off += writeSync(fd, buf, off)
    } finally {
      closeSync(fd)
    }
  } catch (e) {
    if (e instanceof CliError) throw e
    throw new CliError(`Cannot write ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}.`, EXIT.usage)
  }
}
