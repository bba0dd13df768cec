import type { Migration } from '../migration'

/**
 * The vault: quantum states stored as age files in <dataDir>/vault/<id>.age. Properties are searchable here and
 * bound to their file by `mac` (HMAC keyed from the master key over id, properties, sizes and the file's header
 * hash). The vault identities (their private keys sealed under the master key) carry a generation; a file's row
 * says which generation its header is wrapped to. `vault_rotation_journal` is the redo journal of header
 * rewrites during key rotation.
 */
export const m0006Vault: Migration = {
  version: 6,
  name: 'vault',
  up(db) {
    db.exec(`
      CREATE TABLE vault_identities (
        generation INTEGER PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('x25519', 'mlkem768x25519')),
        status TEXT NOT NULL CHECK (status IN ('current', 'next')),
        recipient TEXT NOT NULL,
        identity_sealed BLOB NOT NULL,
        created_at TEXT NOT NULL
      ) STRICT;
      CREATE UNIQUE INDEX vault_identities_status ON vault_identities(status);

      CREATE TABLE vault_states (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        qubits INTEGER NOT NULL CHECK (qubits BETWEEN 1 AND 34),
        owner_id TEXT NOT NULL,
        classification TEXT NOT NULL,
        tags TEXT NOT NULL,
        labels TEXT NOT NULL,
        dtype TEXT NOT NULL,
        size INTEGER NOT NULL,
        file_size INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        identity_generation INTEGER NOT NULL,
        header_hash TEXT NOT NULL,
        content_mac TEXT NOT NULL,
        data_sealed BLOB NOT NULL,
        mac TEXT NOT NULL,
        verified_at TEXT,
        verified_ok INTEGER,
        verified_problem TEXT
      ) STRICT;
      CREATE INDEX vault_states_owner ON vault_states(owner_id, updated_at);
      CREATE INDEX vault_states_generation ON vault_states(identity_generation);

      CREATE TABLE vault_rotation_journal (
        state_id TEXT PRIMARY KEY,
        generation INTEGER NOT NULL,
        old_header BLOB NOT NULL,
        new_header BLOB NOT NULL,
        temp_path TEXT,
        created_at TEXT NOT NULL
      ) STRICT;
    `)
  },
}
