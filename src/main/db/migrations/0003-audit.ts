import type { Migration } from '../migration'

/** Signed audit checkpoints, search indexes and full-text search over entry details. */
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

      CREATE INDEX audit_type_time ON audit_log(type, time);
      CREATE INDEX audit_actor_time ON audit_log(actor, time);
      CREATE INDEX audit_client_time ON audit_log(client, time);
      CREATE INDEX audit_risk_time ON audit_log(risk, time);
      CREATE INDEX audit_result_time ON audit_log(result, time);
      CREATE INDEX audit_resource ON audit_log(resource);

      CREATE VIRTUAL TABLE audit_fts USING fts5(details, action, resource, content='audit_log', content_rowid='seq');
      INSERT INTO audit_fts(rowid, details, action, resource) SELECT seq, details, action, resource FROM audit_log;
      CREATE TRIGGER audit_log_fts AFTER INSERT ON audit_log
        BEGIN INSERT INTO audit_fts(rowid, details, action, resource) VALUES (new.seq, new.details, new.action, new.resource); END;
    `)
  },
}
