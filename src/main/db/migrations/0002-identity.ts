import type { Migration } from '../migration'

/** MFA factors and backup codes, password history, settings, custom roles, timed grants, permission use, per-client sign-in failures. */
export const m0002Identity: Migration = {
  version: 2,
  name: 'identity',
  up(db) {
    db.exec(`
      CREATE TABLE mfa_factors (
        user_id TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('totp', 'hotp')),
        secret_sealed BLOB NOT NULL,
        confirmed_at TEXT,
        last_counter INTEGER NOT NULL DEFAULT -1,
        created_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE backup_codes (
        user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        code_mac TEXT NOT NULL,
        used_at TEXT,
        PRIMARY KEY (user_id, code_mac)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE password_history (
        user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        password_hash TEXT NOT NULL,
        changed_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX password_history_user ON password_history(user_id, changed_at);

      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        updated_by TEXT
      ) STRICT;

      CREATE TABLE custom_roles (
        name TEXT PRIMARY KEY,
        description TEXT NOT NULL,
        permissions TEXT NOT NULL,
        created_at TEXT NOT NULL,
        created_by TEXT NOT NULL
      ) STRICT;

      CREATE TABLE permission_use (
        user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        permission TEXT NOT NULL,
        last_used_at TEXT NOT NULL,
        PRIMARY KEY (user_id, permission)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE login_failures (
        client TEXT NOT NULL,
        at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX login_failures_client ON login_failures(client, at);

      ALTER TABLE user_roles ADD COLUMN expires_at TEXT;
      ALTER TABLE user_roles ADD COLUMN granted_by TEXT;
      ALTER TABLE user_roles ADD COLUMN granted_at TEXT;
      ALTER TABLE users ADD COLUMN password_changed_at TEXT;
      ALTER TABLE sessions ADD COLUMN restriction TEXT;
      ALTER TABLE sessions ADD COLUMN rotate INTEGER NOT NULL DEFAULT 0;
    `)
  },
}
