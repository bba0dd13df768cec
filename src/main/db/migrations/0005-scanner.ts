import type { Migration } from '../migration'

/**
 * Scanner: imported OSV advisories (indexed by ecosystem and package), import history, recorded scans with their
 * findings (for tracking across scans), and the console-wide waivers.
 */
export const m0005Scanner: Migration = {
  version: 5,
  name: 'scanner',
  up(db) {
    db.exec(`
      CREATE TABLE advisories (
        id TEXT PRIMARY KEY,
        modified TEXT NOT NULL,
        withdrawn TEXT,
        record TEXT NOT NULL,
        imported_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE advisory_packages (
        package_key TEXT NOT NULL,
        advisory_id TEXT NOT NULL REFERENCES advisories(id) ON DELETE CASCADE,
        PRIMARY KEY (package_key, advisory_id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX advisory_packages_advisory ON advisory_packages(advisory_id);

      CREATE TABLE advisory_imports (
        seq INTEGER PRIMARY KEY,
        source TEXT NOT NULL,
        imported_at TEXT NOT NULL,
        added INTEGER NOT NULL,
        updated INTEGER NOT NULL,
        unchanged INTEGER NOT NULL,
        skipped INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE scans (
        id TEXT PRIMARY KEY,
        root TEXT NOT NULL,
        started_at TEXT NOT NULL,
        finished_at TEXT NOT NULL,
        user_id TEXT,
        risk_score INTEGER NOT NULL,
        summary TEXT NOT NULL,
        report TEXT NOT NULL
      ) STRICT;
      CREATE INDEX scans_root ON scans(root, finished_at);

      CREATE TABLE scan_findings (
        scan_id TEXT NOT NULL REFERENCES scans(id) ON DELETE CASCADE,
        fingerprint TEXT NOT NULL,
        kind TEXT NOT NULL,
        severity TEXT NOT NULL,
        status TEXT NOT NULL,
        PRIMARY KEY (scan_id, fingerprint)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE waivers (
        id TEXT PRIMARY KEY,
        domain TEXT NOT NULL,
        scope_kind TEXT NOT NULL,
        scope_value TEXT NOT NULL,
        reason TEXT NOT NULL,
        owner TEXT NOT NULL,
        approver TEXT,
        expires_at TEXT NOT NULL,
        created_by TEXT,
        created_at TEXT NOT NULL,
        revoked_at TEXT,
        revoked_by TEXT,
        revoke_reason TEXT
      ) STRICT;
      CREATE INDEX waivers_domain ON waivers(domain, revoked_at, expires_at);
    `)
  },
}
