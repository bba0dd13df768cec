import type { Command } from 'commander'
import { closeSync, existsSync, openSync, writeSync } from 'node:fs'
import QRCode from 'qrcode'
import { evaluatePassword } from '../../main/engines/auth/password-policy'
import { dataFiles, resolveDataDir } from '../../main/platform/data-dir'
import { accountName, email as emailSchema } from '../../shared/schemas'
import { call, cliCaller, globals, openCli } from '../cli-context'
import { CliError } from '../cli-error'
import { EXIT } from '../exit-codes'
import { readPassword } from '../password-input'

/** Write a new file readable by its owner only; refuse to overwrite anything. */
function writeNewPrivateFile(path: string, text: string): void {
  let fd: number
  try {
    fd = openSync(path, 'wx', 0o600)
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    throw new CliError(
      code === 'EEXIST' ? `${path} already exists; name a new file.` : `Cannot create ${path}: ${code}`,
      EXIT.usage,
    )
  }
  try {
    writeSync(fd, text)
  } finally {
    closeSync(fd)
  }
}

export function registerInit(program: Command): void {
  program
    .command('init')
    .description(
      'Create the data dir, its master key and the first administrator (with TOTP where MFA is required)',
    )
    .requiredOption('--admin <name>', 'account name of the first administrator')
    .option('--email <address>', 'e-mail of the first administrator')
    .option('--totp-out <file>', 'write the otpauth URI to this new file (mode 0600) instead of showing it')
    .action(async (opts: { admin: string; email?: string; totpOut?: string }, cmd: Command) => {
      const name = accountName.safeParse(opts.admin)
      if (!name.success) throw new CliError(`--admin: ${name.error.issues[0]?.message}`, EXIT.usage)
      const mail = opts.email === undefined ? undefined : emailSchema.safeParse(opts.email)
      if (mail && !mail.success) throw new CliError(`--email: ${mail.error.issues[0]?.message}`, EXIT.usage)
      if (opts.totpOut !== undefined && existsSync(opts.totpOut)) {
        throw new CliError(`${opts.totpOut} already exists; name a new file for --totp-out.`, EXIT.usage)
      }
      const dataDir = resolveDataDir(globals(cmd).dataDir)
      if (existsSync(dataFiles(dataDir).database)) {
        const core = await openCli(cmd)
        try {
          if (core.auth.hasAccounts())
            throw new CliError(`${dataDir} is already set up; sign in with \`qqsec login\`.`, EXIT.usage)
        } finally {
          core.close()
        }
      }
      const password = await readPassword('Password for the new administrator: ', true)
      // Check the password before anything is created: a refused init leaves no data dir behind.
      const verdict = evaluatePassword(password, { name: name.data, email: mail?.data })
      if (!verdict.acceptable) {
        throw new CliError(
          `Password rejected: ${verdict.failures.map((f) => f.message).join(' ')}`,
          EXIT.usage,
        )
      }
      const core = await openCli(cmd)
      try {
        const { user } = await call(core, cliCaller(null), 'auth.setupAdmin', {
          name: name.data,
          password,
          email: mail?.data,
        })
        process.stdout.write(
          `Created ${dataDir} with its master key in ${core.keyStore.description}, and administrator "${user.name}".\n`,
        )
        if (!core.settings.get().mfaRequiredRoles.includes('admin')) {
          process.stdout.write(`Next: qqsec login --user ${user.name}\n`)
          return
        }
        // MFA is required for admins: enroll now, so the first sign-in already needs a code.
        const e = core.mfa.enrollNow(user.id, user.name)
        core.audit.record({
          type: 'authentication',
          actor: user.name,
          client: cliCaller(null).client,
          action: 'mfa.enrollAtInit',
          resource: `user:${user.id}`,
          result: 'success',
          details: { kind: 'totp', uriWrittenTo: opts.totpOut ?? null },
        })
        if (opts.totpOut !== undefined) {
          writeNewPrivateFile(opts.totpOut, `${e.otpauthUri}\n`)
          process.stdout.write(
            `Two-factor authentication (TOTP) is on. The otpauth URI is in ${opts.totpOut} (mode 0600).\n`,
          )
        } else {
          const qr = process.stdout.isTTY
            ? await QRCode.toString(e.otpauthUri, { type: 'terminal', small: true })
            : ''
          process.stdout.write(
            `Two-factor authentication (TOTP) is on. Add it to your authenticator app now — it is shown only once.\n${qr}` +
              `secret: ${e.secret}\nURI:    ${e.otpauthUri}\n`,
          )
        }
        process.stdout.write(
          `Backup codes (each works once; keep them offline — they are not shown again):\n  ${e.backupCodes.join('\n  ')}\n` +
            `Next: qqsec login --user ${user.name} --otp CODE\n`,
        )
      } finally {
        core.close()
      }
    })
}
