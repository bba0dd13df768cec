import type { Db } from '../../db/connection'
import type { Clock } from '../../platform/clock'
import { iso } from '../../platform/clock'
import type { AuditLog } from '../audit/audit-log'
import {
  anomalyOf,
  BruteForceDetector,
  DEFAULT_BRUTE_FORCE,
  emptyProfile,
  learn,
  RateCounter,
  SlidingWindow,
  type BruteForceOptions,
  type Profile,
} from './behaviour'
import { RuleEngine } from './rule-engine'
import { decide, DEFAULT_THRESHOLDS, riskOf, type Thresholds } from './scoring'
import { ThreatStore, type StoredFinding } from './threat-store'
import type { AllowListed, Decision, Finding } from './threat-types'

/** Fields whose values are never analyzed into evidence (and so never stored or logged). */
export const SECRET_FIELDS: ReadonlySet<string> = new Set([
  'password',
  'confirmPassword',
  'currentPassword',
  'newPassword',
  'otp',
  'backupCode',
  'secret',
  'token',
  'passphrase',
])

/**
 * Fields that carry file bytes (base64 of a state being imported or uploaded): data, not instructions. Matching
 * attack rules against them finds noise, costs ~10 ms per 256 KiB, and would copy pieces of the data into evidence.
 */
export const OPAQUE_FIELDS: ReadonlySet<string> = new Set(['content'])

export interface ThreatServiceOptions {
  thresholds?: Thresholds
  /** Console calls per client per minute before a rate finding. */
  ratePerMinute?: number
  bruteForce?: BruteForceOptions
  /** Authorization denials per client in the brute-force window before a probing finding. */
  forbiddenPerClient?: number
  /** Findings a live waiver accepts (client, rule, or the call name as path) are dropped before scoring. */
  allowListed?: AllowListed
}

export interface ThreatNotice {
  id: string
  decision: Decision
  client: string
  user: string | null
  /** The names of the rules that matched. */
  summary: string
  risk: number
}

export interface InspectResult {
  decision: Decision
  risk: number
  findings: Finding[]
  /** 0–1, or null: `profile` says why. */
  anomaly: number | null
  profile: 'none' | 'learning' | 'ready'
  threatId: string | null
  /** For a block: what happened and what to do, safe to show. */
  message: string
}

const MAX_STRINGS = 200
const MAX_DEPTH = 6
const PROFILE_FLUSH_EVERY = 25
/** One new thing alone (a new call, or a new client) is normal; two departures together are worth an alert. */
const ANOMALY_ALERT = 0.5

const codeOf = (details: string): unknown => {
  try {
    return (JSON.parse(details) as { code?: unknown }).code
  } catch {
    return null
  }
}

/** Every string in a call's input with its field path, skipping the call's secret and opaque (file content) fields. */
export function inputStrings(input: unknown): Array<[string, string]> {
  const out: Array<[string, string]> = []
  const walk = (v: unknown, path: string, depth: number) => {
    if (out.length >= MAX_STRINGS || depth > MAX_DEPTH) return
    if (typeof v === 'string') out.push([path || 'input', v])
    else if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${path}[${i}]`, depth + 1))
    else if (v !== null && typeof v === 'object') {
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
        // Only the call's own top-level fields: a key a caller names (a label called "password" or "content")
        // is inspected like any other text.
        if (depth === 0 && (SECRET_FIELDS.has(k) || OPAQUE_FIELDS.has(k))) continue
        walk(x, path ? `${path}.${k}` : k, depth + 1)
      }
    }
  }
  walk(input, '', 0)
  return out
}

/**
 * Analyzes every guarded console call before its handler runs (rules on the input's strings, brute force and
 * authorization probing from the audit log, rate per client, behaviour profile per account), raises threats and
 * audits each detection (type 'threat').
 */
export class ThreatService {
  readonly store: ThreatStore
  readonly engine = new RuleEngine()
  readonly thresholds: Thresholds
  private readonly brute: BruteForceDetector
  private readonly forbidden: SlidingWindow
  private readonly rate: RateCounter
  private readonly profiles = new Map<string, Profile>()
  private readonly dirty = new Set<string>()
  private learned = 0
  private auditCursor: number

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
    private readonly opts: ThreatServiceOptions = {},
  ) {
    this.store = new ThreatStore(db, clock)
    this.thresholds = opts.thresholds ?? DEFAULT_THRESHOLDS
    const bf = opts.bruteForce ?? DEFAULT_BRUTE_FORCE
    this.brute = new BruteForceDetector(bf)
    this.forbidden = new SlidingWindow(bf.windowMs)
    this.rate = new RateCounter(opts.ratePerMinute ?? 120)
    // Start the audit feed at the beginning of the current window, so failures from earlier CLI processes count.
    const since = iso(clock.now() - bf.windowMs)
    const first = db.prepare(`SELECT min(seq) AS s FROM audit_log WHERE time >= ?`).get(since) as {
      s: number | null
    }
    const last = db.prepare(`SELECT coalesce(max(seq), 0) AS s FROM audit_log`).get() as { s: number }
    this.auditCursor = first.s === null ? last.s : first.s - 1
  }

  /** Failed sign-ins and authorization denials written to the audit log since the last look. */
  private readAuditFeed(): void {
    const rows = this.db
      .prepare(
        `SELECT seq, time, client, actor, action, details FROM audit_log WHERE seq > ? AND result = 'failure' ORDER BY seq LIMIT 5000`,
      )
      .all(this.auditCursor) as Array<{
      seq: number
      time: string
      client: string
      actor: string | null
      action: string
      details: string
    }>
    for (const r of rows) {
      this.auditCursor = r.seq
      const at = Date.parse(r.time)
      const code = codeOf(r.details)
      if (
        r.action === 'auth.login' &&
        (code === 'BAD_CREDENTIALS' || code === 'LOCKED' || code === 'MFA_REQUIRED')
      )
        this.brute.failure(r.client, r.actor, at)
      else if (code === 'FORBIDDEN') this.forbidden.add(r.client, at)
    }
    const max = this.db.prepare(`SELECT coalesce(max(seq), 0) AS s FROM audit_log`).get() as { s: number }
    if (rows.length < 5000) this.auditCursor = Math.max(this.auditCursor, max.s)
  }

  private profile(subject: string): Profile {
    let p = this.profiles.get(subject)
    if (!p) {
      const raw = this.store.loadProfile(subject)
      p = raw ? (JSON.parse(raw) as Profile) : emptyProfile()
      this.profiles.set(subject, p)
    }
    return p
  }

  /** Told of every alert or block as it happens (desktop notifications in the Electron host). */
  onThreat: ((t: ThreatNotice) => void) | null = null

  inspect(
    caller: { client: string },
    name: string,
    input: unknown,
    session: { userName: string } | null,
    /** bulk: a call of a transfer (upload chunks) — not counted towards the per-client call rate. */
    options: { bulk: boolean } = { bulk: false },
  ): InspectResult {
    const now = this.clock.now()
    this.readAuditFeed()
    const strings = inputStrings(input)
    const findings = this.engine.inspect({
      method: null,
      uri: '',
      path: '',
      args: strings,
      userAgent: null,
      referer: null,
    })

    if (!session) {
      const account = name === 'auth.login' ? (strings.find(([k]) => k === 'name')?.[1] ?? null) : null
      findings.push(...this.brute.assess(caller.client, account, now))
    }
    const denials = this.forbidden.count(caller.client, now)
    if (denials >= (this.opts.forbiddenPerClient ?? 5))
      findings.push({
        rule: 'authz-probing',
        name: 'Repeated authorization denials from one client',
        category: 'behaviour',
        severity: 'medium',
        action: 'alert',
        confidence: 0.6,
        location: 'client',
        evidence: `${denials} denied calls in ${Math.round((this.opts.bruteForce ?? DEFAULT_BRUTE_FORCE).windowMs / 60_000)} min`,
      })
    const rate = options.bulk ? null : this.rate.check(caller.client, now)
    if (rate) findings.push(rate)

    let anomaly: number | null = null
    let profileState: InspectResult['profile'] = 'none'
    if (session) {
      const p = this.profile(session.userName)
      const obs = { hour: new Date(now).getUTCHours(), call: name, client: caller.client }
      const a = anomalyOf(p, obs)
      anomaly = a.score
      profileState = a.score === null ? 'learning' : 'ready'
      if (a.score !== null && a.score >= ANOMALY_ALERT)
        findings.push({
          rule: 'behaviour-anomaly',
          name: 'Departs from the account’s usual behaviour',
          category: 'behaviour',
          severity: a.score >= 0.7 ? 'high' : 'medium',
          action: 'alert',
          confidence: a.score,
          location: 'profile',
          evidence: a.reasons.join('; '),
        })
      learn(p, obs)
      this.dirty.add(session.userName)
      if (++this.learned % PROFILE_FLUSH_EVERY === 0) this.flush()
    }

    if (this.opts.allowListed && findings.length > 0) {
      const allow = this.opts.allowListed
      const kept = findings.filter((f) => !allow({ rule: f.rule, client: caller.client, path: name }))
      findings.splice(0, findings.length, ...kept)
    }
    const risk = riskOf(findings, anomaly !== null && anomaly >= ANOMALY_ALERT ? anomaly : 0)
    const decision = findings.length ? decide(findings, risk, this.thresholds) : 'allow'
    if (decision === 'allow')
      return { decision, risk, findings, anomaly, profile: profileState, threatId: null, message: '' }

    const at = iso(now)
    const stored: StoredFinding[] = findings.map((f) => ({ ...f, at, context: name }))
    const { threat, created } = this.store.record({
      source: 'console',
      client: caller.client,
      user: session?.userName ?? null,
      findings: stored,
      risk,
      decision,
    })
    this.audit.record({
      type: 'threat',
      actor: session?.userName ?? null,
      client: caller.client,
      action: 'threat.detected',
      resource: `threat:${threat.id}`,
      result: decision === 'block' ? 'failure' : 'success',
      risk: decision === 'block' ? 'high' : 'medium',
      details: {
        call: name,
        decision,
        riskScore: risk,
        rules: findings.map((f) => f.rule),
        newThreat: created,
        anomaly,
      },
    })
    const rules = [...new Set(findings.map((f) => f.name))].join('; ')
    try {
      this.onThreat?.({
        id: threat.id,
        decision,
        client: caller.client,
        user: session?.userName ?? null,
        summary: rules,
        risk,
      })
    } catch {
      // a notifier must never break the call it reports on
    }
    return {
      decision,
      risk,
      findings,
      anomaly,
      profile: profileState,
      threatId: threat.id,
      message:
        decision === 'block'
          ? `Refused: this request looks like an attack (${rules}). It was recorded as threat ${threat.id.slice(0, 8)}; if it was legitimate, ask an administrator to review the threat.`
          : '',
    }
  }

  /** Persist learned profiles (also called when the console closes). */
  flush(): void {
    if (!this.dirty.size) return
    const entries: Array<[string, string]> = [...this.dirty].map((s) => [s, JSON.stringify(this.profile(s))])
    this.dirty.clear()
    this.store.saveProfiles(entries)
  }
}
