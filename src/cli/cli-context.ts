import { userInfo } from 'node:os'
import type { Command } from 'commander'
import { openConsole, type ConsoleCore } from '../main/console-core'
import { DomainError } from '../main/domain-error'
import type { Caller } from '../main/ipc/caller'
import { selectKeyStore } from '../main/keystore/select-keystore'
import { resolveDataDir } from '../main/platform/data-dir'
import type { CallInput, CallName, CallOutput } from '../shared/contract'
import { CliError } from './cli-error'
import { EXIT } from './exit-codes'

export interface GlobalOptions {
  dataDir?: string
  keystore?: string
}

export const globals = (cmd: Command): GlobalOptions => cmd.optsWithGlobals<GlobalOptions>()

export const osUser = (): string => {
  try {
    return userInfo().username
  } catch {
    return 'unknown'
  }
}

/** Open the data dir's console with the chosen keystore. */
export async function openCli(cmd: Command): Promise<ConsoleCore> {
  const g = globals(cmd)
  const dataDir = resolveDataDir(g.dataDir)
  const keyStore = selectKeyStore(dataDir, g.keystore)
  return openConsole({ dataDir, keyStore })
}

/** The CLI's caller: a local process of this OS user. The session token, if any, comes from the keystore. */
export function cliCaller(token: string | null): Caller & { boundToken: string | null | undefined } {
  return {
    transport: 'cli',
    client: `cli:${osUser()}`,
    senderVerified: true,
    sessionToken: token,
    boundToken: undefined,
    bindSession(t) {
      this.sessionToken = t
      this.boundToken = t
    },
  }
}

/** Run one contract call through the guard pipeline; an error Result becomes a CliError with its exit code. */
export async function call<N extends CallName>(
  core: ConsoleCore,
  caller: Caller,
  name: N,
  input: CallInput<N>,
): Promise<CallOutput<N>> {
  const result = await core.invoke(caller, name, input)
  if (!result.ok) throw CliError.fromCode(result.error.code, result.error.message)
  return result.value as CallOutput<N>
}

interface StoredCliSession {
  token: string
  user: string
}

export async function loadCliSession(core: ConsoleCore): Promise<StoredCliSession | null> {
  const raw = await core.keyStore.get('cli-session')
  if (!raw) return null
  try {
    const parsed = JSON.parse(Buffer.from(raw).toString('utf8')) as Partial<StoredCliSession>
    return typeof parsed.token === 'string' && typeof parsed.user === 'string'
      ? { token: parsed.token, user: parsed.user }
      : null
  } catch {
    return null
  }
}

export const saveCliSession = (core: ConsoleCore, s: StoredCliSession): Promise<void> =>
  core.keyStore.set('cli-session', Buffer.from(JSON.stringify(s), 'utf8'))

export const clearCliSession = (core: ConsoleCore): Promise<boolean> => core.keyStore.delete('cli-session')

/** A caller signed in through the stored CLI session; refuses with exit 3 when there is none. */
export async function signedInCaller(core: ConsoleCore): Promise<Caller> {
  const stored = await loadCliSession(core)
  if (!stored) throw new CliError('Not signed in: run `qqsec login --user NAME` first.', EXIT.denied)
  return cliCaller(stored.token)
}

export function toCliError(e: unknown): CliError | null {
  if (e instanceof CliError) return e
  if (e instanceof DomainError) return CliError.fromCode(e.code, e.message)
  return null
}
