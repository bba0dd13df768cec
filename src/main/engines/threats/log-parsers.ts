/**
 * Web-server log lines into records: NGINX/Apache common and combined format, and JSON lines with configurable
 * field names. A line that cannot be read returns `null` with a reason; callers count and sample those.
 */

export type LogFormat = 'combined' | 'common' | 'json'
export type LogFormatOption = LogFormat | 'auto'

export interface LogRecord {
  client: string
  user: string | null
  /** Epoch ms, or null when the line has no readable time. */
  time: number | null
  method: string
  target: string
  protocol: string | null
  status: number | null
  referer: string | null
  userAgent: string | null
  body: string | null
  /** The request line was not METHOD TARGET PROTOCOL. */
  malformed: boolean
  format: LogFormat
}

export type ParseResult = { ok: true; record: LogRecord } | { ok: false; reason: string }

// host ident user [time] "request" status bytes ["referer" "user-agent"] — quoted fields may hold \" or \x22.
const CLF =
  /^(\S+) (\S+) (\S+) \[([^\]]+)\] "([^"\\]*(?:\\.[^"\\]*)*)" (\d{3}|-) (\d+|-)(?: "([^"\\]*(?:\\.[^"\\]*)*)" "([^"\\]*(?:\\.[^"\\]*)*)")?/

const MONTHS: Readonly<Record<string, number>> = {
  Jan: 0,
  Feb: 1,
  Mar: 2,
  Apr: 3,
  May: 4,
  Jun: 5,
  Jul: 6,
  Aug: 7,
  Sep: 8,
  Oct: 9,
  Nov: 10,
  Dec: 11,
}

/** `10/Oct/2000:13:55:36 -0700` to epoch ms (null when malformed). */
let lastTime = ''
let lastTimeValue: number | null = null

export function parseClfTime(s: string): number | null {
  if (s === lastTime) return lastTimeValue
  lastTime = s
  lastTimeValue = parseClfTimeUncached(s)
  return lastTimeValue
}

function parseClfTimeUncached(s: string): number | null {
  const m = /^(\d{2})\/([A-Z][a-z]{2})\/(\d{4}):(\d{2}):(\d{2}):(\d{2})(?: ([+-])(\d{2})(\d{2}))?$/.exec(s)
  if (!m) return null
  const month = MONTHS[m[2] ?? '']
  if (month === undefined) return null
  const utc = Date.UTC(Number(m[3]), month, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6]))
  const offset = m[7] ? (m[7] === '-' ? -1 : 1) * (Number(m[8]) * 60 + Number(m[9])) * 60_000 : 0
  return utc - offset
}

/** Undo the log writer's escaping: Apache `\"`, NGINX `\x22`. */
const unescapeField = (s: string): string =>
  s.includes('\\')
    ? s
        .replace(/\\x([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)))
        .replace(/\\(["\\])/g, '$1')
    : s

const dash = (s: string | undefined): string | null => (s === undefined || s === '-' || s === '' ? null : s)

/** Split `GET /x?y=1 HTTP/1.1`; anything else is a malformed request line (kept whole as the target). */
export function splitRequestLine(line: string): {
  method: string
  target: string
  protocol: string | null
  malformed: boolean
} {
  const a = line.indexOf(' ')
  const b = line.lastIndexOf(' ')
  if (a > 0 && b > a) {
    const method = line.slice(0, a)
    const protocol = line.slice(b + 1)
    if (/^[A-Za-z-]{1,20}$/.test(method) && /^HTTP\/\d(?:\.\d)?$/.test(protocol))
      return { method, target: line.slice(a + 1, b), protocol, malformed: false }
  }
  if (a > 0 && b === a && /^[A-Za-z-]{1,20}$/.test(line.slice(0, a)) && line[a + 1] === '/')
    return { method: line.slice(0, a), target: line.slice(a + 1), protocol: null, malformed: false } // HTTP/0.9
  return { method: '', target: line, protocol: null, malformed: line !== '-' && line !== '' }
}

export function parseClfLine(line: string): ParseResult {
  const m = CLF.exec(line)
  if (!m) return { ok: false, reason: 'not in common or combined log format' }
  const time = parseClfTime(m[4] ?? '')
  if (time === null) return { ok: false, reason: 'unreadable time' }
  const req = splitRequestLine(unescapeField(m[5] ?? ''))
  const combined = m[8] !== undefined
  return {
    ok: true,
    record: {
      client: m[1] ?? '-',
      user: dash(m[3]),
      time,
      method: req.method,
      target: req.target,
      protocol: req.protocol,
      status: m[6] === '-' ? null : Number(m[6]),
      referer: combined ? dash(unescapeField(m[8] ?? '')) : null,
      userAgent: combined ? dash(unescapeField(m[9] ?? '')) : null,
      body: null,
      malformed: req.malformed,
      format: combined ? 'combined' : 'common',
    },
  }
}

export const JSON_FIELDS = [
  'client',
  'user',
  'time',
  'method',
  'uri',
  'request',
  'status',
  'userAgent',
  'referer',
  'body',
] as const
export type JsonField = (typeof JSON_FIELDS)[number]
export type JsonFieldNames = Partial<Record<JsonField, string>>

/** Field names tried in order when none is configured (NGINX json escape, Caddy, Traefik, ECS-ish). */
const JSON_DEFAULTS: Readonly<Record<JsonField, readonly string[]>> = {
  client: ['remote_addr', 'client_ip', 'clientip', 'client', 'ip', 'remote_ip', 'src_ip', 'ClientHost'],
  user: ['remote_user', 'user', 'username', 'user_name'],
  time: ['time', 'timestamp', '@timestamp', 'time_local', 'time_iso8601', 'ts'],
  method: ['method', 'request_method', 'RequestMethod'],
  uri: ['request_uri', 'uri', 'url', 'path', 'RequestPath'],
  request: ['request'],
  status: ['status', 'status_code', 'response', 'DownstreamStatus'],
  userAgent: ['http_user_agent', 'user_agent', 'userAgent', 'agent', 'ua'],
  referer: ['http_referer', 'referer', 'referrer'],
  body: ['request_body', 'body'],
}

const getPath = (o: Record<string, unknown>, path: string): unknown => {
  if (path in o) return o[path]
  let cur: unknown = o
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined
    cur = (cur as Record<string, unknown>)[part]
  }
  return cur
}

function pick(o: Record<string, unknown>, field: JsonField, names: JsonFieldNames): string | null {
  const candidates = names[field] ? [names[field]] : JSON_DEFAULTS[field]
  for (const c of candidates) {
    const v = getPath(o, c)
    if (typeof v === 'string' && v !== '' && v !== '-') return v
    if (typeof v === 'number') return String(v)
  }
  return null
}

function parseJsonTime(v: string | null): number | null {
  if (v === null) return null
  if (/^\d+(?:\.\d+)?$/.test(v)) {
    const n = Number(v)
    return n > 1e12 ? n : n * 1000 // epoch ms or seconds
  }
  const clf = parseClfTime(v)
  if (clf !== null) return clf
  const t = Date.parse(v)
  return Number.isNaN(t) ? null : t
}

export function parseJsonLine(line: string, names: JsonFieldNames = {}): ParseResult {
  let o: unknown
  try {
    o = JSON.parse(line)
  } catch {
    return { ok: false, reason: 'not valid JSON' }
  }
  if (o === null || typeof o !== 'object' || Array.isArray(o))
    return { ok: false, reason: 'JSON line is not an object' }
  const rec = o as Record<string, unknown>
  let method = pick(rec, 'method', names)
  let target = pick(rec, 'uri', names)
  let protocol: string | null = null
  let malformed = false
  const request = pick(rec, 'request', names)
  if ((!method || !target) && request) {
    const r = splitRequestLine(request)
    method = method ?? r.method
    target = target ?? r.target
    protocol = r.protocol
    malformed = r.malformed
  }
  if (!target) return { ok: false, reason: 'no request URI field (set the field names)' }
  const status = pick(rec, 'status', names)
  return {
    ok: true,
    record: {
      client: pick(rec, 'client', names) ?? '-',
      user: pick(rec, 'user', names),
      time: parseJsonTime(pick(rec, 'time', names)),
      method: method ?? 'GET',
      target,
      protocol,
      status: status !== null && /^\d{3}$/.test(status) ? Number(status) : null,
      referer: pick(rec, 'referer', names),
      userAgent: pick(rec, 'userAgent', names),
      body: pick(rec, 'body', names),
      malformed,
      format: 'json',
    },
  }
}

/** Parse one line in the given format; `auto` decides per line (JSON when it starts with `{`). */
export function parseLogLine(line: string, format: LogFormatOption, names: JsonFieldNames = {}): ParseResult {
  if (format === 'json' || (format === 'auto' && line.charCodeAt(0) === 123))
    return parseJsonLine(line, names)
  const r = parseClfLine(line)
  if (!r.ok || format === 'auto') return r
  if (format === 'combined' && r.record.format !== 'combined')
    return { ok: false, reason: 'common-format line where combined was asked for' }
  return r
}
