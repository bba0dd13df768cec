import type { Command } from 'commander'
import { closeSync, openSync, writeSync } from 'node:fs'
import QRCode from 'qrcode'
import { otpCode } from '../../shared/schemas'
import { asSignedIn, withAuthOptions, type AuthOptions } from '../cli-auth'
import { call } from '../cli-context'
import { CliError } from '../cli-error'
import { EXIT } from '../exit-codes'
import { readPassword, readSecretLine } from '../password-input'

const printCodes = (codes: string[]) =>
  process.stdout.write(
    `Backup codes (each works once; keep them offline — they are not shown again):\n  ${codes.join('\n  ')}\n`,
  )

export function registerMfaCommands(program: Command): void {
  const mfa = program.command('mfa').description('Your two-factor authentication')

  withAuthOptions(
    mfa.command('status').description('Whether MFA is on and how many backup codes are left'),
  ).action(async (opts: AuthOptions, cmd: Command) => {
    await asSignedIn(cmd, opts, async (core, caller) => {
      const s = await call(core, caller, 'mfa.status', {})
      process.stdout.write(
        s.enabled
          ? `MFA is on (${s.kind}); ${s.backupCodesLeft} backup code(s) left.${s.required ? ' Your role requires it.' : ''}\n`
          : `MFA is off.${s.required ? ' Your role requires it: run `qqsec mfa enroll`.' : ''}${s.pendingEnrollment ? ' An enrollment is waiting for its code.' : ''}\n`,
      )
    })
  })

  withAuthOptions(
    mfa
      .command('enroll')
      .description('Set up an authenticator app (TOTP), or a hardware token (HOTP) with --hotp-secret')
      .option('--code <code>', 'a current code, to switch it on without a prompt')
      .option('--totp-out <file>', 'write the otpauth URI to this new file (mode 0600) instead of showing it')
      .option('--hotp-secret <base32>', "a hardware token's secret (HOTP)"),
  ).action(
    async (opts: AuthOptions & { code?: string; totpOut?: string; hotpSecret?: string }, cmd: Command) => {
      if (opts.code !== undefined && !otpCode.safeParse(opts.code).success)
        throw new CliError('--code: 6 to 8 digits.', EXIT.usage)
      await asSignedIn(cmd, opts, async (core, caller) => {
        const e = await call(core, caller, 'mfa.beginEnrollment', {
          kind: opts.hotpSecret ? 'hotp' : 'totp',
          secret: opts.hotpSecret,
        })
        if (opts.totpOut) {
          let fd: number
          try {
            fd = openSync(opts.totpOut, 'wx', 0o600)
          } catch {
            throw new CliError(
              `Cannot create ${opts.totpOut} (it may exist already); name a new file.`,
              EXIT.usage,
            )
          }
          writeSync(fd, `${e.otpauthUri}\n`)
          closeSync(fd)
          process.stdout.write(`The otpauth URI is in ${opts.totpOut} (mode 0600).\n`)
        } else if (!opts.hotpSecret) {
          const qr = process.stdout.isTTY
            ? await QRCode.toString(e.otpauthUri, { type: 'terminal', small: true })
            : ''
          process.stdout.write(
            `Add this to your authenticator app:\n${qr}secret: ${e.secret}\nURI:    ${e.otpauthUri}\n`,
          )
        }
        let code = opts.code
        if (code === undefined && process.stdin.isTTY)
          code = (await readSecretLine('Code shown by the app/token: ')).trim()
        if (code === undefined) {
          process.stdout.write('Not on yet: confirm with `qqsec mfa confirm CODE`.\n')
          return
        }
        const { backupCodes } = await call(core, caller, 'mfa.confirmEnrollment', { code })
        process.stdout.write('Two-factor authentication is on.\n')
        printCodes(backupCodes)
      })
    },
  )

  withAuthOptions(
    mfa.command('confirm <code>').description('Switch on a waiting enrollment with a current code'),
  ).action(async (code: string, opts: AuthOptions, cmd: Command) => {
    if (!otpCode.safeParse(code).success) throw new CliError('The code is 6 to 8 digits.', EXIT.usage)
    await asSignedIn(cmd, opts, async (core, caller) => {
      const { backupCodes } = await call(core, caller, 'mfa.confirmEnrollment', { code })
      process.stdout.write('Two-factor authentication is on.\n')
      printCodes(backupCodes)
    })
  })

  withAuthOptions(
    mfa
      .command('backup-codes')
      .description('New backup codes; the old ones stop working (asks for your password)'),
  ).action(async (opts: AuthOptions, cmd: Command) => {
    await asSignedIn(cmd, opts, async (core, caller) => {
      const password = await readPassword('Your password, to confirm: ')
      printCodes((await call(core, caller, 'mfa.regenerateBackupCodes', { password })).backupCodes)
    })
  })

  withAuthOptions(
    mfa
      .command('disable')
      .description('Turn your MFA off (not where your role requires it; asks for your password)'),
  ).action(async (opts: AuthOptions, cmd: Command) => {
    await asSignedIn(cmd, opts, async (core, caller) => {
      const password = await readPassword('Your password, to confirm: ')
      await call(core, caller, 'mfa.disable', { password })
      process.stdout.write('Two-factor authentication is off.\n')
    })
  })
}
