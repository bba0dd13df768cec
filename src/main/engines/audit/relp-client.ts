import { isIP, connect as netConnect, type Socket } from 'node:net'
import { connect as tlsConnect } from 'node:tls'

/**
 * A minimal RELP client (the Reliable Event Logging Protocol of rsyslog's imrelp): every message is a numbered
 * transaction the collector acknowledges with `rsp 200`, so a sender knows exactly what arrived.
 * Frame: TXNR SP COMMAND SP DATALEN [SP DATA] LF.
 */
export interface RelpOptions {
  host: string
  port: number
  /** TLS with this CA (PEM); plain TCP when absent. The collector's certificate must name the host. */
  tlsCa?: string
  /**
   * This sender's certificate and private key (PEM), for collectors that authenticate their senders — rsyslog's
   * imrelp with a certificate of its own asks every sender for one (mutual TLS).
   */
  tlsCert?: string
  tlsKey?: string
  timeoutMs?: number
}

interface Pending {
  resolve: (ok: true) => void
  reject: (e: Error) => void
}

export class RelpClient {
  private socket: Socket | null = null
  private buffer = Buffer.alloc(0)
  private nextTxnr = 1
  private readonly pending = new Map<number, Pending>()
  private closedError: Error | null = null

  constructor(private readonly opts: RelpOptions) {}

  async open(): Promise<void> {
    const { host, port, tlsCa, tlsCert, tlsKey } = this.opts
    const socket = await new Promise<Socket>((resolve, reject) => {
      const s = tlsCa
        ? tlsConnect(
            {
              host,
              port,
              ca: tlsCa,
              // SNI carries host names only; the certificate is still checked against an IP address.
              ...(isIP(host) ? {} : { servername: host }),
              ...(tlsCert && tlsKey ? { cert: tlsCert, key: tlsKey } : {}),
              minVersion: 'TLSv1.2',
            },
            () => resolve(s),
          )
        : netConnect({ host, port }, () => resolve(s))
      s.once('error', reject)
      s.setTimeout(this.opts.timeoutMs ?? 10_000, () =>
        s.destroy(new Error(`no answer from ${host}:${port}`)),
      )
    })
    this.socket = socket
    socket.setTimeout(0)
    socket.on('data', (chunk: Buffer) => this.onData(chunk))
    const fail = (e: Error) => this.failAll(e)
    socket.on('error', fail)
    socket.on('close', () => fail(new Error('the collector closed the connection')))
    await this.command('open', 'relp_version=0\nrelp_software=qq-verse-console\ncommands=syslog')
  }

  /** Send one syslog message; resolves when the collector acknowledged it. */
  send(message: string): Promise<true> {
    return this.command('syslog', message)
  }

  async close(): Promise<void> {
    if (!this.socket || this.closedError) return
    try {
      await this.command('close', '')
    } catch {
      // the collector may close first; nothing is pending any more
    }
    this.socket.destroy()
  }

  get inFlight(): number {
    return this.pending.size
  }

  private command(cmd: string, data: string): Promise<true> {
    if (this.closedError) return Promise.reject(this.closedError)
    const socket = this.socket
    if (!socket) return Promise.reject(new Error('not connected'))
    const txnr = this.nextTxnr
    this.nextTxnr = this.nextTxnr >= 999_999_999 ? 1 : this.nextTxnr + 1
    const body = Buffer.from(data, 'utf8')
    const head = Buffer.from(body.length > 0 ? `${txnr} ${cmd} ${body.length} ` : `${txnr} ${cmd} 0`, 'utf8')
    return new Promise<true>((resolve, reject) => {
      this.pending.set(txnr, { resolve, reject })
      socket.write(Buffer.concat([head, body, Buffer.from('\n')]))
    })
  }

  private onData(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk])
    for (;;) {
      const frame = this.parseFrame()
      if (!frame) return
      if (frame.command === 'rsp') {
        const p = this.pending.get(frame.txnr)
        if (!p) continue
        this.pending.delete(frame.txnr)
        if (frame.data.startsWith('200')) p.resolve(true)
        else p.reject(new Error(`the collector refused a message: ${frame.data.split('\n')[0]}`))
      } else if (frame.command === 'serverclose') {
        this.failAll(new Error('the collector is shutting down'))
      }
    }
  }

  private parseFrame(): { txnr: number; command: string; data: string } | null {
    const b = this.buffer
    const s1 = b.indexOf(0x20)
    if (s1 < 0) return null
    const s2 = b.indexOf(0x20, s1 + 1)
    if (s2 < 0) return null
    let end = s2 + 1
    while (end < b.length && b[end]! >= 0x30 && b[end]! <= 0x39) end++
    if (end >= b.length) return null
    const len = Number(b.subarray(s2 + 1, end).toString('ascii'))
    const dataStart = len > 0 ? end + 1 : end
    if (b.length < dataStart + len + 1) return null
    const frame = {
      txnr: Number(b.subarray(0, s1).toString('ascii')),
      command: b.subarray(s1 + 1, s2).toString('ascii'),
      data: b.subarray(dataStart, dataStart + len).toString('utf8'),
    }
    this.buffer = b.subarray(dataStart + len + 1)
    return frame
  }

  private failAll(e: Error): void {
    if (!this.closedError) this.closedError = e
    for (const p of this.pending.values()) p.reject(e)
    this.pending.clear()
    this.socket?.destroy()
  }
}
