import { Command } from 'commander'
import { APP_VERSION } from '../shared/version'
import { CliError } from './cli-error'
import { EXIT } from './exit-codes'

/**
 * `qqsec` and its global options. The whole CLI (main.ts) and the light program of the age commands (age-cli.ts)
 * both start from it, so `qqsec age` accepts the same global options and the same help.
 */
export function rootCommand(): Command {
  return new Command('qqsec')
    .description('QQ-Verse Security Console — command line over the same engines as the desktop app')
    .version(APP_VERSION)
    .option(
      '--data-dir <dir>',
      'data folder (env QQSEC_DATA_DIR; default: the desktop app’s per-user folder)',
    )
    .option(
      '--keystore <kind>',
      'where the master key lives: os (keychain) or file (env QQSEC_KEYSTORE)',
      (v) => {
        if (v !== '' && v !== 'os' && v !== 'file')
          throw new CliError(`--keystore must be "os" or "file", not "${v}".`, EXIT.usage)
        return v
      },
    )
    .showHelpAfterError('(run qqsec --help for the commands)')
    .exitOverride()
}
