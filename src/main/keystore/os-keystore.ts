import { AsyncEntry } from '@napi-rs/keyring'
import { DomainError } from '../domain-error'
import { sha256Hex } from '../crypto/primitives'
import { KEYCHAIN_SERVICE, type KeyName, type KeyStore } from './keystore'

const TIMEOUT_MS = 15_000

export const NO_KEYCHAIN_HELP =
  'No OS keychain is reachable. Either start one (on Linux: a Secret Service such as gnome-keyring or KeePassXC, ' +
  'unlocked, on the session D-Bus), or opt in to the file keystore: --keystore file (or QQSEC_KEYSTORE=file) with ' +
  'the passphrase in QQSEC_KEYSTORE_PASSPHRASE.'

/**
 * The OS keychain through @napi-rs/keyring: macOS Keychain, Windows Credential Manager, Linux Secret Service.
 * On Linux the store is pinned to the Secret Service, because the default silently falls back to the kernel
 * keyring, which does not survive a reboot. Every call has a timeout: a locked keyring with a display blocks on
 * its unlock prompt, and the user must be told to unlock it.
 */
export class OsKeyStore implements KeyStore {
  readonly kind = 'os' as const
  readonly description: string
  private readonly account: string

  constructor(
    dataDir: string,
    private readonly timeoutMs = TIMEOUT_MS,
  ) {
    // One entry set per data dir: the account names the data dir by a hash of its absolute path.
    this.account = sha256Hex(dataDir).slice(0, 16)
    this.description = process.platform === 'linux' ? 'the OS keychain (Secret Service)' : 'the OS keychain'
  }

  private entry(name: KeyName): AsyncEntry {
    return new AsyncEntry(KEYCHAIN_SERVICE, `${name}@${this.account}`, { linux: { store: 'secret-service' } })
  }

  private async run<T>(what: string, op: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const ctl = new AbortController()
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        ctl.abort()
        reject(
          new DomainError(
            'UNAVAILABLE',
            `The OS keychain did not answer within ${this.timeoutMs / 1000} s while trying to ${what}. It is probably locked: unlock your keyring (or login keychain) and try again.`,
          ),
        )
      }, this.timeoutMs)
    })
    try {
      return await Promise.race([op(ctl.signal), timeout])
    } catch (e) {
      if (e instanceof DomainError) throw e
      const msg = (e instanceof Error ? e.message : String(e)).split('\n')[0]
      if (/locked|unlock/i.test(msg ?? '')) {
        throw new DomainError(
          'UNAVAILABLE',
          `The OS keychain is locked, so the console could not ${what}: unlock your keyring (or login keychain) and try again. (keychain said: ${msg})`,
        )
      }
      throw new DomainError('UNAVAILABLE', `${NO_KEYCHAIN_HELP} (keychain said: ${msg})`)
    } finally {
      clearTimeout(timer)
    }
  }

  async get(name: KeyName): Promise<Uint8Array | null> {
    const value = await this.run(`read ${name}`, (signal) => this.entry(name).getPassword(signal))
    if (value === null || value === undefined) return null
    return Buffer.from(value, 'base64')
  }

  async set(name: KeyName, value: Uint8Array): Promise<void> {
    await this.run(`store ${name}`, (signal) =>
      this.entry(name).setPassword(Buffer.from(value).toString('base64'), signal),
    )
    // Read back: some backends accept a write they cannot keep (e.g. a locked collection).
    const back = await this.get(name)
    if (!back || Buffer.compare(Buffer.from(back), Buffer.from(value)) !== 0) {
      throw new DomainError(
        'UNAVAILABLE',
        `The OS keychain accepted ${name} but did not keep it. ${NO_KEYCHAIN_HELP}`,
      )
    }
  }

  async delete(name: KeyName): Promise<boolean> {
    return this.run(`delete ${name}`, (signal) => this.entry(name).deleteCredential(signal))
  }
}
