import type { Migration } from '../migration'

/**
 * Signed tree heads (RFC 9162 style): with every periodic checkpoint, the Merkle root over the chain hashes of
 * entries 1..count, signed with the audit key, so a reviewer can check an inclusion proof for one entry, or a
 * consistency proof between two heads, with no database. Append-only and only forward, like the checkpoints.
 */
export const m0009AuditTreeHeads: Migration = {
  version: 9,
  name: 'audit-tree-heads',
  up(db) {
    db.exec(`
      CREATE TABLE audit_tree_heads (
        count INTEGER PRIMARY KEY,
        root TEXT NOT NULL,
        time TEXT NOT NULL,
        signature TEXT NOT NULL
      ) STRICT;

      CREATE TRIGGER audit_tree_heads_no_update BEFORE UPDATE ON audit_tree_heads
        BEGIN SELECT RAISE(ABORT, 'audit tree heads are append-only'); END;
      CREATE TRIGGER audit_tree_heads_no_delete BEFORE DELETE ON audit_tree_heads
        BEGIN SELECT RAISE(ABORT, 'audit tree heads are append-only'); END;
      CREATE TRIGGER audit_tree_heads_forward BEFORE INSERT ON audit_tree_heads
        WHEN NEW.count <= (SELECT coalesce(max(count), 0) FROM audit_tree_heads)
        BEGIN SELECT RAISE(ABORT, 'an audit tree head only moves forward'); END;
    `)
  },
}
