import type { Migration } from '../migration'

/**
 * Audit retention: entries older than a configurable age move to a signed, compressed archive file, and the live
 * log starts after the last archived entry (the cut). `audit_cuts` records every cut (append-only, only forward):
 * the last archived entry's seq and hash (the live chain's anchor), the archive's SHA-256 and an Ed25519 signature
 * by the audit key over all of it, so a cut written by anyone without the key (to hide deleted rows) is detected.
 * The audit log still refuses every UPDATE, and every DELETE except of entries at or below the recorded cut — which
 * the archiving transaction records first, then deletes.
 */
export const m0007AuditRetention: Migration = {
  version: 7,
  name: 'audit-retention',
  up(db) {
    db.exec(`
      CREATE TABLE audit_cuts (
        seq INTEGER PRIMARY KEY,
        hash TEXT NOT NULL,
        time TEXT NOT NULL, -- of the last archived entry
        first_seq INTEGER NOT NULL,
        archive_name TEXT NOT NULL,
        archive_digest TEXT NOT NULL,
        signature TEXT NOT NULL
      ) STRICT;

      CREATE TRIGGER audit_cuts_no_update BEFORE UPDATE ON audit_cuts
        BEGIN SELECT RAISE(ABORT, 'audit cuts are append-only'); END;
      CREATE TRIGGER audit_cuts_no_delete BEFORE DELETE ON audit_cuts
        BEGIN SELECT RAISE(ABORT, 'audit cuts are append-only'); END;
      CREATE TRIGGER audit_cuts_forward BEFORE INSERT ON audit_cuts
        WHEN NEW.seq <= (SELECT coalesce(max(seq), 0) FROM audit_cuts)
        BEGIN SELECT RAISE(ABORT, 'an audit cut only moves forward'); END;

      DROP TRIGGER audit_log_no_delete;
      CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        WHEN OLD.seq > (SELECT coalesce(max(seq), 0) FROM audit_cuts)
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
    `)
  },
}
