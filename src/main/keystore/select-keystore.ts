import { existsSync } from 'node:fs'
import { DomainError } from '../domain-error'
import { dataFiles } from '../platform/data-dir'
import { FileKeyStore } from './file-keystore'
import type { KeyStore } from './keystore'
import { OsKeyStore } from './os-keystore'

export type KeyStoreKind = 'os' | 'file'

export function parseKeyStoreKind(value: string | undefined): KeyStoreKind | undefined {
  if (value === undefined || value === '') return undefined
  if (value === 'os' || value === 'file') return value
  throw new DomainError('INVALID_INPUT', `--keystore must be "os" or "file", not "${value}".`)
}

/** Pick the keystore for a data dir: explicit choice first, then QQSEC_KEYSTORE, else the OS keychain. */
export function selectKeyStore(
  dataDir: string,
  flag: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): KeyStore {
  const kind = parseKeyStoreKind(flag) ?? parseKeyStoreKind(env.QQSEC_KEYSTORE) ?? 'os'
  const files = dataFiles(dataDir)
  if (kind === 'file') return new FileKeyStore(files.fileKeystore, env.QQSEC_KEYSTORE_PASSPHRASE)
  return new OsKeyStore(dataDir)
}

/** A hint for "no master key" errors: the data dir may use the other keystore. */
export function keystoreHint(dataDir: string, store: KeyStore): string {
  if (store.kind === 'os' && existsSync(dataFiles(dataDir).fileKeystore)) {
    return ' This data dir has a file keystore: pass --keystore file (or QQSEC_KEYSTORE=file) with QQSEC_KEYSTORE_PASSPHRASE.'
  }
  return ''
}
