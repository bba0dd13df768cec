import type { Migration } from '../migration'

/** Signed audit checkpoints, search indexes and the full-text index over entry details. */
export const m0003Audit: Migration = {
  version: 3,
  name: 'audit',
  up(db) {
    db.exec(`
      CREATE TABLE audit_checkpoints (
        count INTEGER PRIMARY KEY,
        head_hash TEXT NOT NULL,
        time TEXT NOT NULL,
        signature TEXT NOT NULL
      ) STRICT;

      -- Equality filter + newest first: (column, seq) lets ORDER BY seq DESC LIMIT walk the index.
      -- Forwarding: the audit log is the outbox; this is how far each collector has acknowledged it.
      CREATE TABLE audit_forward_cursors (
        target TEXT PRIMARY KEY,
        last_seq INTEGER NOT NULL
      ) STRICT;

      CREATE INDEX audit_type_seq ON audit_log(type, seq);
      CREATE INDEX audit_actor_seq ON audit_log(actor, seq);
      CREATE INDEX audit_client_seq ON audit_log(client, seq);
      CREATE INDEX audit_risk_seq ON audit_log(risk, seq);
      CREATE INDEX audit_result_seq ON audit_log(result, seq);
      CREATE INDEX audit_resource_seq ON audit_log(resource, seq);

      -- Full-text index over details, filled in batches by the audit log (not per insert: indexing each entry
      -- as it is written would cut the append rate by two thirds).
      CREATE VIRTUAL TABLE audit_fts USING fts5(details, action, resource, content='audit_log', content_rowid='seq');
    `)
  },
}
