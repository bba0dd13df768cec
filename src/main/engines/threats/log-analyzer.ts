import { createReadStream, statSync } from 'node:fs'
import { basename } from 'node:path'
import { createGunzip } from 'node:zlib'
import { DomainError } from '../../domain-error'
import { BruteForceDetector, DEFAULT_BRUTE_FORCE, RateCounter, type BruteForceOptions } from './behaviour'
import { parseLogLine, type JsonFieldNames, type LogFormatOption, type LogRecord } from './log-parsers'
import { normalizePath, parseQuery, splitTarget } from './normalize'
import { RuleEngine } from './rule-engine'
import { RULESET_VERSION } from './rules.data'
import { decide, DEFAULT_THRESHOLDS, riskOf, type Thresholds } from './scoring'
import type { AllowListed } from './threat-types'
import {
  severityRank,
  type Category,
  type Decision,
  type Finding,
  type RequestView,
  type Severity,
} from './threat-types'

/** One finding in an imported log. These field names are read by other tools: keep them stable. */
export interface LogFinding {
  file: string
  line: number
  client: string
  user: string | null
  time: string | null
  method: string
  path: string
  status: number | null
  category: Category
  rule: string
  name: string
  severity: Severity
  confidence: number
  decision: Exclude<Decision, 'allow'>
  risk: number
  location: string
  evidence: string
}

export interface AnalyzeOptions {
  logFormat?: LogFormatOption
  jsonFields?: JsonFieldNames
  thresholds?: Thresholds
  /** Requests per client per minute before a rate finding. */
  ratePerMinute?: number
  bruteForce?: BruteForceOptions
  signal?: AbortSignal
  /** Findings a live waiver accepts are dropped before scoring. */
  allowListed?: AllowListed
  /** Every finding as it is made (stream it out; the report keeps only samples). */
  onFinding?: (f: LogFinding) => void
  /** Called every PROGRESS_LINES lines; awaited, so a slow consumer applies back-pressure. */
  onProgress?: (p: { file: string; lines: number; bytes: number; totalBytes: number }) => void | Promise<void>
}

const PROGRESS_LINES = 20_000
const MAX_LINE = 64 * 1024
const TOO_LONG = { ok: false as const, reason: `line longer than ${MAX_LINE / 1024} KiB` }
const LOGIN_PATH =
  /(?:^|\/)(?:login|log-in|signin|sign-in|logon|auth(?:enticate)?|session|wp-login\.php|xmlrpc\.php|admin|user\/login|api\/(?:v\d\/)?(?:login|token|auth))(?:[/.?]|$)/
const MAX_CLIENTS = 50_000
const MAX_PATHS = 50_000
const SAMPLES_PER_RULE = 5
const TIMELINE_EVENTS = 50
const TOP = 20
const MAX_UNPARSABLE_SAMPLES = 10
const MAX_SUCCESS_SAMPLES = 100

interface ClientStats {
  client: string
  requests: number
  findings: number
  risk: number
  maxSeverity: Severity
  categories: Set<Category>
  firstSeen: number | null
  lastSeen: number | null
  successes: number
  blocked: number
  timeline: Array<{
    time: string | null
    file: string
    line: number
    method: string
    path: string
    status: number | null
    rules: string[]
    decision: Decision
  }>
}

export interface LogReport {
  ruleset: string
  generatedAt: string
  thresholds: Thresholds
  files: Array<{ file: string; linesRead: number; linesParsed: number; unparsable: number }>
  linesRead: number
  linesParsed: number
  unparsable: { count: number; samples: Array<{ file: string; line: number; reason: string; text: string }> }
  attackRequests: number
  alerted: number
  blocked: number
  findingsTotal: number
  byCategory: Partial<Record<Category, number>>
  timeline: {
    bucketMinutes: number
    buckets: Array<{ start: string; counts: Partial<Record<Category, number>> }>
  }
  topClients: Array<{
    client: string
    requests: number
    findings: number
    risk: number
    maxSeverity: Severity
    categories: Category[]
    firstSeen: string | null
    lastSeen: string | null
    successes: number
    blocked: number
  }>
  topPaths: Array<{ path: string; requests: number; categories: Category[] }>
  statusMix: Record<string, number>
  /** Attack requests the server answered with 2xx: did anything succeed? Listed first in every view. */
  successfulAttacks: LogFinding[]
  clientTimelines: Array<{ client: string; events: ClientStats['timeline'] }>
  samples: Array<{ rule: string; name: string; category: Category; severity: Severity; evidence: string[] }>
  seconds: number
  linesPerSecond: number
}

const isoOrNull = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString())

/** A log record as the rule engine sees a request. */
export function requestOf(r: LogRecord): RequestView {
  const { path, args } = splitTarget(r.target)
  if (r.body) args.push(...parseQuery(r.body).map(([k, v]): [string, string] => [`body.${k}`, v]))
  return {
    method: r.malformed ? '' : r.method,
    uri: r.target,
    path,
    args,
    userAgent: r.userAgent,
    referer: r.referer,
    malformed: r.malformed,
  }
}

/**
 * Streams log files line by line (gzip by magic bytes), never holding a file in memory: the report keeps bounded
 * aggregates (top clients and paths, samples, per-minute counts of attack traffic), and findings go to `onFinding`.
 * Unparsable lines are counted and sampled, never fatal.
 */
export class LogAnalyzer {
  private readonly engine: RuleEngine
  private readonly thresholds: Thresholds
  private readonly rate: RateCounter
  private readonly brute: BruteForceDetector

  private readonly files: LogReport['files'] = []
  private linesRead = 0
  private linesParsed = 0
  private unparsableCount = 0
  private readonly unparsableSamples: LogReport['unparsable']['samples'] = []
  private attackRequests = 0
  private alerted = 0
  private blocked = 0
  private findingsTotal = 0
  /** Findings dropped because a live waiver accepts them. */
  waived = 0
  private readonly byCategory = new Map<Category, number>()
  private readonly perMinute = new Map<number, Map<Category, number>>()
  private readonly clients = new Map<string, ClientStats>()
  private readonly paths = new Map<string, { requests: number; categories: Set<Category> }>()
  private readonly statusMix = new Map<string, number>()
  private readonly successes: LogFinding[] = []
  private readonly samples = new Map<string, { f: Finding; evidence: string[] }>()
  private readonly started = Date.now()

  constructor(private readonly opts: AnalyzeOptions = {}) {
    this.engine = new RuleEngine()
    this.thresholds = opts.thresholds ?? DEFAULT_THRESHOLDS
    this.rate = new RateCounter(opts.ratePerMinute ?? 600)
    this.brute = new BruteForceDetector(opts.bruteForce ?? DEFAULT_BRUTE_FORCE)
  }

  async analyzeFile(path: string): Promise<void> {
    let size: number
    try {
      const st = statSync(path)
      if (!st.isFile())
        throw new DomainError('INVALID_INPUT', `${path} is not a file. Give the path of a log file.`)
      size = st.size
    } catch (e) {
      if (e instanceof DomainError) throw e
      throw new DomainError(
        'INVALID_INPUT',
        `Cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? 'error'}. Check the path and its permissions.`,
      )
    }
    const name = basename(path)
    const gz = await isGzip(path)
    const raw = createReadStream(path)
    let bytes = 0
    raw.on('data', (c) => (bytes += c.length))
    const input = gz ? raw.pipe(createGunzip()) : raw
    input.setEncoding('utf8')
    const stats = { file: name, linesRead: 0, linesParsed: 0, unparsable: 0 }
    this.files.push(stats)
    const format = this.opts.logFormat ?? 'auto'
    const onLine = (line: string) => {
      stats.linesRead++
      this.linesRead++
      if (line.length === 0) return
      if (line.charCodeAt(line.length - 1) === 13) line = line.slice(0, -1)
      const parsed = line.length > MAX_LINE ? TOO_LONG : parseLogLine(line, format, this.opts.jsonFields)
      if (!parsed.ok) {
        stats.unparsable++
        this.unparsableCount++
        if (this.unparsableSamples.length < MAX_UNPARSABLE_SAMPLES)
          this.unparsableSamples.push({
            file: name,
            line: stats.linesRead,
            reason: parsed.reason,
            text: line.slice(0, 200),
          })
        return
      }
      stats.linesParsed++
      this.linesParsed++
      this.analyzeRecord(name, stats.linesRead, parsed.record)
    }
    let rest = ''
    let nextProgress = PROGRESS_LINES
    try {
      for await (const chunk of input as AsyncIterable<string>) {
        let start = 0
        let nl = chunk.indexOf('\n')
        if (nl >= 0 && rest) {
          onLine(rest + chunk.slice(0, nl))
          rest = ''
          start = nl + 1
          nl = chunk.indexOf('\n', start)
        }
        while (nl >= 0) {
          onLine(chunk.slice(start, nl))
          start = nl + 1
          nl = chunk.indexOf('\n', start)
        }
        // A line without an end is kept only up to MAX_LINE (then it is counted as too long, not buffered on).
        if (rest.length <= MAX_LINE) rest += chunk.slice(start, start + MAX_LINE + 1)
        if (this.linesRead >= nextProgress) {
          nextProgress = this.linesRead + PROGRESS_LINES
          if (this.opts.signal?.aborted) throw new DomainError('CANCELLED', 'Cancelled.')
          await this.opts.onProgress?.({ file: name, lines: this.linesRead, bytes, totalBytes: size })
        }
      }
      if (rest) onLine(rest)
    } catch (e) {
      if (e instanceof DomainError) throw e
      throw new DomainError(
        'INVALID_INPUT',
        `Cannot read ${name}: ${(e as Error).message}. Check that the file is a complete log (or .gz); the lines before were analyzed.`,
      )
    } finally {
      raw.destroy()
    }
    await this.opts.onProgress?.({ file: name, lines: this.linesRead, bytes, totalBytes: size })
  }

  private analyzeRecord(file: string, line: number, r: LogRecord): void {
    const req = requestOf(r)
    const findings = this.engine.inspect(req)
    const at = r.time ?? 0
    if (r.time !== null) {
      const rate = this.rate.check(r.client, at)
      if (rate) findings.push(rate)
      if ((r.status === 401 || r.status === 403) && LOGIN_PATH.test(req.path.toLowerCase())) {
        this.brute.failure(r.client, r.user, at)
        findings.push(...this.brute.assess(r.client, r.user, at))
      }
    }
    if (findings.length === 0) return
    if (this.opts.allowListed) {
      const allow = this.opts.allowListed
      const kept = findings.filter((f) => !allow({ rule: f.rule, client: r.client, path: req.path }))
      this.waived += findings.length - kept.length
      findings.splice(0, findings.length, ...kept)
      if (findings.length === 0) return
    }
    const risk = riskOf(findings, null)
    const decision = decide(findings, risk, this.thresholds)
    if (decision === 'allow') return
    this.attackRequests++
    if (decision === 'block') this.blocked++
    else this.alerted++
    const path = normalizePath(req.path).text.slice(0, 200)
    const time = isoOrNull(r.time)
    const status = r.status === null ? 'none' : `${Math.floor(r.status / 100)}xx`
    this.statusMix.set(status, (this.statusMix.get(status) ?? 0) + 1)
    const success = r.status !== null && r.status >= 200 && r.status < 300

    const minute = r.time === null ? -1 : Math.floor(r.time / 60_000)
    let perCat = this.perMinute.get(minute)
    if (!perCat) this.perMinute.set(minute, (perCat = new Map()))

    const c = this.clientStats(r.client)
    if (c) {
      c.requests++
      c.findings += findings.length
      c.risk += risk
      if (success) c.successes++
      if (decision === 'block') c.blocked++
      if (r.time !== null) {
        c.firstSeen = c.firstSeen === null ? r.time : Math.min(c.firstSeen, r.time)
        c.lastSeen = c.lastSeen === null ? r.time : Math.max(c.lastSeen, r.time)
      }
      if (c.timeline.length < TIMELINE_EVENTS)
        c.timeline.push({
          time,
          file,
          line,
          method: r.method,
          path,
          status: r.status,
          rules: findings.map((f) => f.rule),
          decision,
        })
    }
    let p = this.paths.get(path)
    if (!p && this.paths.size < MAX_PATHS) this.paths.set(path, (p = { requests: 0, categories: new Set() }))
    if (p) p.requests++

    for (const f of findings) {
      this.findingsTotal++
      this.byCategory.set(f.category, (this.byCategory.get(f.category) ?? 0) + 1)
      perCat.set(f.category, (perCat.get(f.category) ?? 0) + 1)
      p?.categories.add(f.category)
      if (c) {
        c.categories.add(f.category)
        if (severityRank(f.severity) > severityRank(c.maxSeverity)) c.maxSeverity = f.severity
      }
      let s = this.samples.get(f.rule)
      if (!s) this.samples.set(f.rule, (s = { f, evidence: [] }))
      if (s.evidence.length < SAMPLES_PER_RULE && !s.evidence.includes(f.evidence))
        s.evidence.push(f.evidence)
      const lf: LogFinding = {
        file,
        line,
        client: r.client,
        user: r.user,
        time,
        method: r.method,
        path,
        status: r.status,
        category: f.category,
        rule: f.rule,
        name: f.name,
        severity: f.severity,
        confidence: f.confidence,
        decision,
        risk,
        location: f.location,
        evidence: f.evidence,
      }
      if (success && this.successes.length < MAX_SUCCESS_SAMPLES) this.successes.push(lf)
      this.opts.onFinding?.(lf)
    }
  }

  private clientStats(client: string): ClientStats | null {
    let c = this.clients.get(client)
    if (!c && this.clients.size < MAX_CLIENTS) {
      c = {
        client,
        requests: 0,
        findings: 0,
        risk: 0,
        maxSeverity: 'low',
        categories: new Set(),
        firstSeen: null,
        lastSeen: null,
        successes: 0,
        blocked: 0,
        timeline: [],
      }
      this.clients.set(client, c)
    }
    return c ?? null
  }

  report(): LogReport {
    const seconds = Math.max(0.001, (Date.now() - this.started) / 1000)
    const minutes = [...this.perMinute.keys()].filter((m) => m >= 0).sort((a, b) => a - b)
    const span = minutes.length ? (minutes[minutes.length - 1] ?? 0) - (minutes[0] ?? 0) + 1 : 1
    const bucketMinutes = [1, 5, 15, 60, 360, 1440, 10080].find((b) => span / b <= 120) ?? 43200
    const buckets = new Map<number, Map<Category, number>>()
    for (const m of minutes) {
      const start = Math.floor(m / bucketMinutes) * bucketMinutes
      const into = buckets.get(start) ?? new Map<Category, number>()
      for (const [cat, n] of this.perMinute.get(m) ?? []) into.set(cat, (into.get(cat) ?? 0) + n)
      buckets.set(start, into)
    }
    const clients = [...this.clients.values()]
      .sort((a, b) => b.successes - a.successes || b.risk - a.risk)
      .slice(0, TOP)
    return {
      ruleset: RULESET_VERSION,
      generatedAt: new Date().toISOString(),
      thresholds: this.thresholds,
      files: this.files,
      linesRead: this.linesRead,
      linesParsed: this.linesParsed,
      unparsable: { count: this.unparsableCount, samples: this.unparsableSamples },
      attackRequests: this.attackRequests,
      alerted: this.alerted,
      blocked: this.blocked,
      findingsTotal: this.findingsTotal,
      byCategory: Object.fromEntries(this.byCategory),
      timeline: {
        bucketMinutes,
        buckets: [...buckets].map(([start, counts]) => ({
          start: new Date(start * 60_000).toISOString(),
          counts: Object.fromEntries(counts),
        })),
      },
      topClients: clients.map((c) => ({
        client: c.client,
        requests: c.requests,
        findings: c.findings,
        risk: c.risk,
        maxSeverity: c.maxSeverity,
        categories: [...c.categories],
        firstSeen: isoOrNull(c.firstSeen),
        lastSeen: isoOrNull(c.lastSeen),
        successes: c.successes,
        blocked: c.blocked,
      })),
      topPaths: [...this.paths]
        .sort((a, b) => b[1].requests - a[1].requests)
        .slice(0, TOP)
        .map(([path, p]) => ({ path, requests: p.requests, categories: [...p.categories] })),
      statusMix: Object.fromEntries([...this.statusMix].sort()),
      successfulAttacks: this.successes,
      clientTimelines: clients.slice(0, 10).map((c) => ({ client: c.client, events: c.timeline })),
      samples: [...this.samples.values()]
        .sort(
          (a, b) =>
            severityRank(b.f.severity) - severityRank(a.f.severity) || a.f.rule.localeCompare(b.f.rule),
        )
        .map(({ f, evidence }) => ({
          rule: f.rule,
          name: f.name,
          category: f.category,
          severity: f.severity,
          evidence,
        })),
      seconds: Math.round(seconds * 1000) / 1000,
      linesPerSecond: Math.round(this.linesRead / seconds),
    }
  }
}

async function isGzip(path: string): Promise<boolean> {
  const { open } = await import('node:fs/promises')
  const fh = await open(path, 'r')
  try {
    const head = Buffer.alloc(2)
    const { bytesRead } = await fh.read(head, 0, 2, 0)
    return bytesRead === 2 && head[0] === 0x1f && head[1] === 0x8b
  } finally {
    await fh.close()
  }
}

/** Analyze files in order into one report. */
export async function analyzeLogs(files: readonly string[], opts: AnalyzeOptions = {}): Promise<LogReport> {
  if (files.length === 0) throw new DomainError('INVALID_INPUT', 'Give at least one log file to analyze.')
  const a = new LogAnalyzer(opts)
  for (const f of files) await a.analyzeFile(f)
  return a.report()
}
