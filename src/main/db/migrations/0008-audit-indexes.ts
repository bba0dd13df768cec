import type { Migration } from '../migration'

/**
 * Audit search and metrics at a million entries.
 *
 * Indexes: the six (column, seq) indexes of 0003 walked a whole posting list when a combination of filters matched
 * nothing (actor = x AND risk = critical walks every entry of x). They are replaced by indexes whose key carries the
 * event's kind — type, risk and result folded into one small integer (the expression below, 10 × 4 × 2 values) —
 * so every combination of filters is a set of exact index ranges, merged newest first by seq:
 *   kind, seq · actor, kind, seq · client, kind, seq · resource, kind, seq
 * (actor and resource partial: NULLs are never searched). data_type (partial) serves the compliance rules.
 * The time index of 0001 stays: a date range becomes a seq range.
 *
 * Rollups, written in the same transaction as the entries (AuditLog.recordMany): per hour and (type, risk,
 * result) the number of entries and of FORBIDDEN refusals; per hour and actor the entries and their risk score
 * (low 1, medium 3, high 5, critical 10); per hour the seq and time span. Metrics for a period read whole hours
 * from here and only the entries of an hour the period cuts through from the log. Entries deleted by retention
 * (0007) are subtracted by trigger.
 *
 * meta 'audit_time_disorder' = '1' once an entry's time is earlier than the entry before it (a clock set back):
 * until then a date range maps exactly to a seq range through the time index.
 */
export const m0008AuditIndexes: Migration = {
  version: 8,
  name: 'audit-indexes',
  up(db) {
    const kind = `((CASE type WHEN 'authentication' THEN 0 WHEN 'authorization' THEN 1 WHEN 'data_access' THEN 2 WHEN 'configuration' THEN 3 WHEN 'key_management' THEN 4 WHEN 'scan' THEN 5 WHEN 'threat' THEN 6 WHEN 'export' THEN 7 WHEN 'system' THEN 8 ELSE 9 END) * 8 + (CASE risk WHEN 'low' THEN 0 WHEN 'medium' THEN 2 WHEN 'high' THEN 4 ELSE 6 END) + (result = 'failure'))`
    db.exec(`
      DROP INDEX audit_type_seq;
      DROP INDEX audit_actor_seq;
      DROP INDEX audit_client_seq;
      DROP INDEX audit_risk_seq;
      DROP INDEX audit_result_seq;
      DROP INDEX audit_resource_seq;

      CREATE INDEX audit_kind_seq ON audit_log(${kind}, seq);
      CREATE INDEX audit_actor_kind_seq ON audit_log(actor, ${kind}, seq) WHERE actor IS NOT NULL;
      CREATE INDEX audit_client_kind_seq ON audit_log(client, ${kind}, seq);
      CREATE INDEX audit_resource_kind_seq ON audit_log(resource, ${kind}, seq) WHERE resource IS NOT NULL;
      CREATE INDEX audit_data_type_seq ON audit_log(data_type, seq) WHERE data_type IS NOT NULL;

      CREATE TABLE audit_rollup (
        hour TEXT NOT NULL,
        type TEXT NOT NULL,
        risk TEXT NOT NULL,
        result TEXT NOT NULL,
        events INTEGER NOT NULL,
        forbidden INTEGER NOT NULL,
        PRIMARY KEY (hour, type, risk, result)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE audit_rollup_actors (
        hour TEXT NOT NULL,
        actor TEXT NOT NULL,
        events INTEGER NOT NULL,
        score INTEGER NOT NULL,
        PRIMARY KEY (hour, actor)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE audit_rollup_hours (
        hour TEXT PRIMARY KEY,
        events INTEGER NOT NULL,
        min_seq INTEGER NOT NULL,
        max_seq INTEGER NOT NULL,
        min_time TEXT NOT NULL,
        max_time TEXT NOT NULL
      ) STRICT, WITHOUT ROWID;

      INSERT INTO audit_rollup (hour, type, risk, result, events, forbidden)
        SELECT substr(time, 1, 13), type, risk, result, count(*), sum(instr(details, '"code":"FORBIDDEN"') > 0)
        FROM audit_log GROUP BY 1, 2, 3, 4;
      INSERT INTO audit_rollup_actors (hour, actor, events, score)
        SELECT substr(time, 1, 13), actor, count(*), sum(CASE risk WHEN 'critical' THEN 10 WHEN 'high' THEN 5 WHEN 'medium' THEN 3 ELSE 1 END)
        FROM audit_log WHERE actor IS NOT NULL GROUP BY 1, 2;
      INSERT INTO audit_rollup_hours (hour, events, min_seq, max_seq, min_time, max_time)
        SELECT substr(time, 1, 13), count(*), min(seq), max(seq), min(time), max(time) FROM audit_log GROUP BY 1;
      INSERT INTO meta (key, value)
        SELECT 'audit_time_disorder', '1'
        WHERE EXISTS (SELECT 1 FROM (SELECT time < lag(time) OVER (ORDER BY seq) AS back FROM audit_log) WHERE back);

      CREATE TRIGGER audit_rollup_forget AFTER DELETE ON audit_log BEGIN
        UPDATE audit_rollup SET events = events - 1,
               forbidden = forbidden - (instr(OLD.details, '"code":"FORBIDDEN"') > 0)
          WHERE hour = substr(OLD.time, 1, 13) AND type = OLD.type AND risk = OLD.risk AND result = OLD.result;
        UPDATE audit_rollup_actors SET events = events - 1, score = score - (CASE OLD.risk WHEN 'critical' THEN 10 WHEN 'high' THEN 5 WHEN 'medium' THEN 3 ELSE 1 END)
          WHERE hour = substr(OLD.time, 1, 13) AND actor = OLD.actor;
        UPDATE audit_rollup_hours SET events = events - 1 WHERE hour = substr(OLD.time, 1, 13);
      END;
    `)
  },
}
