/**
 * Where the console keeps its key material: the OS keychain, or (opt-in) a passphrase-wrapped file.
 * Entries are per data dir, so two data dirs never share a master key.
 */
export interface KeyStore {
  readonly kind: 'os' | 'file'
  /** Human description for messages, e.g. "the OS keychain (Secret Service)". */
  readonly description: string
  get(name: KeyName): Promise<Uint8Array | null>
  set(name: KeyName, value: Uint8Array): Promise<void>
  delete(name: KeyName): Promise<boolean>
}

/** Every entry name the console uses; nothing else is ever stored. */
export type KeyName = 'master-key' | 'cli-session'

export const KEYCHAIN_SERVICE = 'qq-verse-console'
