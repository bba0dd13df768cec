import type { ErrorCode } from '../shared/result'
import { exitCodeFor } from './exit-codes'

/** A failure the CLI reports as one line on stderr with its exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message)
  }

  static fromCode(code: ErrorCode, message: string): CliError {
    return new CliError(message, exitCodeFor(code))
  }
}
