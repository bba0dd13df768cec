import type { Db } from '../../db/connection'
import { DomainError } from '../../domain-error'
import { toSyslog } from './audit-export'
import type { AuditRow } from './audit-log'
import { RelpClient, type RelpOptions } from './relp-client'

export interface ForwardTarget extends RelpOptions {
  /** Name of the target for its cursor, e.g. relp://host:port. */
  name: string
}

export interface ForwardProgress {
  sent: number
  lastSeq: number
  pending: number
  connected: boolean
  lastError: string | null
}

/**
 * Messages in flight at once. RELP is at-least-once: a message the collector stored but whose acknowledgement was
 * lost when it stopped is sent again after reconnecting. A small window keeps that to the last few messages.
 */
export const WINDOW = 16

/**
 * Forwards the audit log to a syslog collector over RELP (plain or TLS). The audit log itself is the durable
 * outbox: a per-target cursor records the last entry the collector acknowledged, so nothing is lost while the
 * collector is down, and an entry is sent again only if its acknowledgement never arrived. Each message carries the
 * entry's sequence number and hash, so a collector (or the SIEM behind it) can drop such a repeat exactly.
 */
export class SyslogForwarder {
  private stopped = false

  constructor(
    private readonly db: Db,
    private readonly target: ForwardTarget,
    private readonly host = 'qq-verse-console',
  ) {
    db.prepare(`INSERT OR IGNORE INTO audit_forward_cursors (target, last_seq) VALUES (?, 0)`).run(
      target.name,
    )
  }

  cursor(): number {
    return (
      this.db
        .prepare(`SELECT last_seq FROM audit_forward_cursors WHERE target = ?`)
        .get(this.target.name) as { last_seq: number }
    ).last_seq
  }

  private saveCursor(seq: number): void {
    this.db
      .prepare(`UPDATE audit_forward_cursors SET last_seq = ? WHERE target = ? AND last_seq < ?`)
      .run(seq, this.target.name, seq)
  }

  pending(): number {
    return (
      this.db.prepare(`SELECT count(*) AS n FROM audit_log WHERE seq > ?`).get(this.cursor()) as { n: number }
    ).n
  }

  stop(): void {
    this.stopped = true
  }

  /**
   * Send everything pending; keeps retrying with backoff while the collector is unreachable. With `follow`, keeps
   * going and sends new entries as they are written, until stop().
   */
  async run(opts: {
    follow: boolean
    onProgress?: (p: ForwardProgress) => void
    retryMs?: number
  }): Promise<number> {
    let sent = 0
    let backoff = opts.retryMs ?? 500
    let lastError: string | null = null
    const report = (connected: boolean) =>
      opts.onProgress?.({ sent, lastSeq: this.cursor(), pending: this.pending(), connected, lastError })
    while (!this.stopped) {
      const client = new RelpClient(this.target)
      try {
        await client.open()
        backoff = opts.retryMs ?? 500
        lastError = null
        report(true)
        for (;;) {
          if (this.stopped) break
          const batch = this.db
            .prepare(`SELECT * FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?`)
            .all(this.cursor(), WINDOW) as AuditRow[]
          if (batch.length === 0) {
            if (!opts.follow) {
              await client.close()
              report(true)
              return sent
            }
            await new Promise((r) => setTimeout(r, 500))
            continue
          }
          // A window of unacknowledged messages; acks arrive in order. The cursor is saved once per window (and
          // for whatever was acknowledged before a failure), so a restart resends only what was never confirmed.
          const acks = batch.map((r) => client.send(toSyslog(r, this.host).trimEnd()).then(() => r.seq))
          for (const a of acks) a.catch(() => undefined) // a broken connection rejects them all; handled below
          let acked = 0
          try {
            for (const a of acks) {
              acked = await a
              sent++
            }
          } finally {
            if (acked > 0) this.saveCursor(acked)
          }
          report(true)
        }
        await client.close()
      } catch (e) {
        lastError = e instanceof Error ? e.message : String(e)
        // An untrusted collector certificate does not heal by waiting: say so instead of retrying forever.
        if (isCertificateError(e))
          throw new DomainError(
            'INVALID_INPUT',
            `The collector at ${this.target.host}:${this.target.port} is not trusted (${lastError}): check that --ca is the CA that signed its certificate and that the certificate names ${this.target.host}. Entries not yet acknowledged stay pending.`,
          )
        report(false)
        if (this.stopped) break
        await new Promise((r) => setTimeout(r, backoff))
        backoff = Math.min(backoff * 2, 10_000)
      }
    }
    return sent
  }
}

/** TLS verification failures (Node's and OpenSSL's codes), as opposed to a collector that is down. */
function isCertificateError(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code
  return (
    typeof code === 'string' &&
    /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|ERR_TLS_CERT_ALTNAME_INVALID|HOSTNAME_MISMATCH/.test(code)
  )
}
