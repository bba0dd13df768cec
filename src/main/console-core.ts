import { join } from 'node:path'
import { DomainError } from './domain-error'
import { openDatabase, type Db } from './db/connection'
import { constantTimeEqual, deriveKey, hmacSha256, randomBytes } from './crypto/primitives'
import { AuditArchiver } from './engines/audit/audit-archive'
import { AuditLog } from './engines/audit/audit-log'
import { CheckpointSigner } from './engines/audit/checkpoint-signer'
import { AuthService } from './engines/auth/auth.service'
import { MfaService } from './engines/auth/mfa.service'
import { PasswordHasher } from './engines/auth/password-hasher'
import { RbacService } from './engines/rbac/rbac.service'
import { SettingsStore } from './engines/settings/settings.store'
import { UsersService } from './engines/users/users.service'
import { JobRunner } from './engines/jobs/job-runner'
import { ThreatService } from './engines/threats/threats.service'
import { VaultService } from './engines/vault/vault.service'
import { ScannerService } from './engines/scanner/scanner.service'
import { WaiverService } from './engines/waivers/waivers'
import { ComplianceService } from './engines/compliance/compliance.service'
import { createHandlers } from './ipc/handlers'
import { createPipeline, type Invoke } from './ipc/pipeline'
import { RateLimiter } from './ipc/rate-limiter'
import type { KeyStore } from './keystore/keystore'
import { keystoreHint } from './keystore/select-keystore'
import { systemClock, type Clock } from './platform/clock'
import { dataFiles, ensureDataDir } from './platform/data-dir'
import { stderrLogger, type Logger } from './platform/logger'

export interface ConsoleOptions {
  dataDir: string
  keyStore: KeyStore
  clock?: Clock
  logger?: Logger
  /** better-sqlite3 addon for another ABI (Electron). */
  nativeBinding?: string
  hasher?: PasswordHasher
}

/** Everything one host (desktop app, browser mode, CLI) runs: the engines over one database, and the pipeline. */
export interface ConsoleCore {
  dataDir: string
  db: Db
  clock: Clock
  keyStore: KeyStore
  masterKey: Uint8Array
  auth: AuthService
  users: UsersService
  mfa: MfaService
  rbac: RbacService
  settings: SettingsStore
  audit: AuditLog
  compliance: ComplianceService
  jobs: JobRunner
  threats: ThreatService
  vault: VaultService
  scanner: ScannerService
  waivers: WaiverService
  invoke: Invoke
  close(): void
}

const KEY_CHECK = 'master_key_check'
const keyCheck = (master: Uint8Array): string =>
  hmacSha256(deriveKey(master, 'key-check'), 'qq-verse-console').toString('hex')

/**
 * Load the data dir's master key from the keystore, or create it on first run. The database keeps an HMAC
 * check value of the key, so a missing or foreign keychain entry is named as such instead of failing later.
 */
async function loadMasterKey(db: Db, dataDir: string, keyStore: KeyStore): Promise<Uint8Array> {
  const stored = db.prepare(`SELECT value FROM meta WHERE key = ?`).get(KEY_CHECK) as
    { value: string } | undefined
  let master = await keyStore.get('master-key')
  if (!stored) {
    if (!master) {
      master = randomBytes(32)
      await keyStore.set('master-key', master)
    }
    db.prepare(`INSERT INTO meta (key, value) VALUES (?, ?)`).run(KEY_CHECK, keyCheck(master))
    return master
  }
  if (!master) {
    throw new DomainError(
      'UNAVAILABLE',
      `This data dir's master key is not in ${keyStore.description}. Nothing was changed. Restore the keychain entry (service "qq-verse-console"), or use a new data dir.${keystoreHint(dataDir, keyStore)}`,
    )
  }
  if (!constantTimeEqual(Buffer.from(keyCheck(master), 'hex'), Buffer.from(stored.value, 'hex'))) {
    throw new DomainError(
      'UNAVAILABLE',
      `The master key in ${keyStore.description} does not belong to this data dir. Nothing was changed.${keystoreHint(dataDir, keyStore)}`,
    )
  }
  return master
}

export async function openConsole(opts: ConsoleOptions): Promise<ConsoleCore> {
  const clock = opts.clock ?? systemClock
  const logger = opts.logger ?? stderrLogger
  ensureDataDir(opts.dataDir)
  const db = openDatabase(dataFiles(opts.dataDir).database, { nativeBinding: opts.nativeBinding })
  try {
    const masterKey = await loadMasterKey(db, opts.dataDir, opts.keyStore)
    const audit = new AuditLog(
      db,
      clock,
      CheckpointSigner.loadOrCreate(db, masterKey),
      dataFiles(opts.dataDir).auditCheckpoint,
      { nativeBinding: opts.nativeBinding },
    )
    // Retention (when set): archives on an unreferenced timer, so only long-running hosts ever run it.
    const retention = new AuditArchiver(db, clock, audit, join(opts.dataDir, 'audit-archives'))
    retention.startSchedule()
    const settings = new SettingsStore(db, clock)
    const rbac = new RbacService(db, clock, settings, audit)
    const mfa = new MfaService(db, clock, masterKey)
    const auth = new AuthService(db, clock, settings, rbac, mfa, opts.hasher)
    const users = new UsersService(db, clock, auth, rbac, mfa)
    const jobs = new JobRunner(clock)
    const compliance = new ComplianceService(db, clock, audit, users)
    jobs.onInternalError = (kind, e) => logger.error(`job ${kind} failed`, e)
    const waivers = new WaiverService(db, clock)
    // Allow-listing a client, a rule or a path is a waiver of the 'threats' domain (reason, owner, expiry, audited).
    const threats = new ThreatService(db, clock, audit, {
      allowListed: (f) =>
        waivers.matches('threats', { ruleId: f.rule, client: f.client, path: f.path }) !== null,
    })
    const vault = new VaultService(db, clock, rbac, audit, masterKey, opts.dataDir)
    const scanner = new ScannerService(db, clock, waivers)
    const handlers = createHandlers({
      vault,
      scanner,
      waivers,
      threats,
      db,
      compliance,
      auth,
      users,
      mfa,
      rbac,
      settings,
      audit,
      jobs,
      clock,
      dataDir: opts.dataDir,
    })
    const invoke = createPipeline({
      auth,
      rbac,
      audit,
      rateLimiter: new RateLimiter(clock),
      clock,
      logger,
      handlers,
      threats,
    })
    return {
      dataDir: opts.dataDir,
      db,
      clock,
      keyStore: opts.keyStore,
      masterKey,
      auth,
      users,
      mfa,
      rbac,
      settings,
      audit,
      compliance,
      jobs,
      threats,
      scanner,
      waivers,
      vault,
      invoke,
      close: () => {
        if (!db.open) return // closing twice (e.g. two quit events) is harmless
        retention.stopSchedule()
        threats.flush()
        // A signed checkpoint at every close, so even a short CLI command leaves the outside checkpoint current.
        try {
          audit.checkpoint()
        } finally {
          db.close()
        }
      },
    }
  } catch (e) {
    db.close()
    throw e
  }
}
