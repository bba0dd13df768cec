import type { Migration } from '../migration'

/** Threats raised by detection (console calls and imported logs), behaviour profiles, and stored log analyses. */
export const m0004Threats: Migration = {
  version: 4,
  name: 'threats',
  up(db) {
    db.exec(`
      CREATE TABLE threats (
        id TEXT PRIMARY KEY,
        source TEXT NOT NULL,
        client TEXT NOT NULL,
        user_name TEXT,
        status TEXT NOT NULL CHECK (status IN ('active', 'acknowledged', 'resolved')),
        decision TEXT NOT NULL CHECK (decision IN ('alert', 'block')),
        risk INTEGER NOT NULL,
        max_severity TEXT NOT NULL CHECK (max_severity IN ('low', 'medium', 'high', 'critical')),
        categories TEXT NOT NULL,
        findings TEXT NOT NULL,
        finding_count INTEGER NOT NULL,
        first_seen TEXT NOT NULL,
        last_seen TEXT NOT NULL,
        assignee TEXT,
        notes TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX threats_open ON threats(source, client, status);
      CREATE INDEX threats_last_seen ON threats(last_seen);

      CREATE TABLE threat_profiles (
        subject TEXT PRIMARY KEY,
        data TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE threat_analyses (
        id TEXT PRIMARY KEY,
        created_at TEXT NOT NULL,
        created_by TEXT NOT NULL,
        files TEXT NOT NULL,
        report TEXT NOT NULL
      ) STRICT;
    `)
  },
}
