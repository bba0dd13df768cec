import type { Db } from '../../db/connection'
import { DomainError } from '../../domain-error'
import { deriveKey, open, seal } from '../../crypto/primitives'
import { iso, type Clock } from '../../platform/clock'
import {
  HybridIdentity,
  parseIdentity,
  X25519Identity,
  type Identity,
  type Recipient,
} from './age/recipients'

export type VaultKeyKind = 'x25519' | 'mlkem768x25519'

export interface VaultIdentity {
  generation: number
  kind: VaultKeyKind
  status: 'current' | 'next'
  identity: Identity & { recipient(): Recipient }
  recipient: Recipient
}

interface Row {
  generation: number
  kind: VaultKeyKind
  status: 'current' | 'next'
  recipient: string
  identity_sealed: Uint8Array
}

/**
 * The vault's own age identities. The private key is sealed under deriveKey(masterKey, 'vault-identity') and
 * bound to its generation; only 'current' and, during a rotation, 'next' exist.
 */
export class VaultKeys {
  private readonly key: Uint8Array
  private readonly cache = new Map<number, VaultIdentity>()

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    masterKey: Uint8Array,
  ) {
    this.key = deriveKey(masterKey, 'vault-identity')
  }

  private load(row: Row): VaultIdentity {
    const cached = this.cache.get(row.generation)
    if (cached && cached.status === row.status) return cached
    let text: string
    try {
      text = new TextDecoder().decode(open(this.key, row.identity_sealed, `vault-identity:${row.generation}`))
    } catch {
      throw new DomainError(
        'UNAVAILABLE',
        `The vault identity (generation ${row.generation}) cannot be opened with this data dir's master key. Restore the database or keychain from the same backup.`,
      )
    }
    const identity = parseIdentity(text)
    const v: VaultIdentity = {
      generation: row.generation,
      kind: row.kind,
      status: row.status,
      identity,
      recipient: identity.recipient(),
    }
    this.cache.set(row.generation, v)
    return v
  }

  private row(where: 'status' | 'generation', value: string | number): Row | undefined {
    const sql =
      where === 'status'
        ? `SELECT * FROM vault_identities WHERE status = ?`
        : `SELECT * FROM vault_identities WHERE generation = ?`
    return this.db.prepare(sql).get(value) as Row | undefined
  }

  /** The identity new files are encrypted to; created (post-quantum by default) on first use. */
  current(kind: VaultKeyKind = 'mlkem768x25519'): VaultIdentity {
    const row = this.row('status', 'current')
    if (row) return this.load(row)
    this.db
      .transaction(() => {
        if (!this.row('status', 'current')) this.insert(kind, 'current')
      })
      .immediate()
    return this.load(this.row('status', 'current')!)
  }

  next(): VaultIdentity | null {
    const row = this.row('status', 'next')
    return row ? this.load(row) : null
  }

  /** The identity of a generation, for a file wrapped to it. */
  byGeneration(generation: number): VaultIdentity {
    const row = this.row('generation', generation)
    if (!row)
      throw new DomainError(
        'UNAVAILABLE',
        `The vault identity of generation ${generation} is gone; this file can no longer be decrypted. Restore it from a backup.`,
      )
    return this.load(row)
  }

  /** Start a rotation: a new 'next' identity, committed before any file is rewrapped to it. */
  createNext(kind: VaultKeyKind): VaultIdentity {
    this.db
      .transaction(() => {
        if (!this.row('status', 'next')) this.insert(kind, 'next')
      })
      .immediate()
    return this.load(this.row('status', 'next')!)
  }

  private insert(kind: VaultKeyKind, status: 'current' | 'next'): void {
    const max = this.db.prepare(`SELECT coalesce(max(generation), 0) AS g FROM vault_identities`).get() as {
      g: number
    }
    const generation = max.g + 1
    const id = kind === 'x25519' ? X25519Identity.generate() : HybridIdentity.generate()
    this.db
      .prepare(
        `INSERT INTO vault_identities (generation, kind, status, recipient, identity_sealed, created_at)
         VALUES (?, ?, ?, ?, ?, ?)`,
      )
      .run(
        generation,
        kind,
        status,
        id.recipient().toString(),
        seal(this.key, new TextEncoder().encode(id.toString()), `vault-identity:${generation}`),
        iso(this.clock.now()),
      )
  }

  /** End a rotation (inside the caller's transaction): the old identity is destroyed, 'next' becomes current. */
  promoteNext(): void {
    this.db.prepare(`DELETE FROM vault_identities WHERE status = 'current'`).run()
    this.db.prepare(`UPDATE vault_identities SET status = 'current' WHERE status = 'next'`).run()
    this.cache.clear()
  }
}
