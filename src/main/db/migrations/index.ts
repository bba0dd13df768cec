import type { Migration } from '../migration'
import { m0001Init } from './0001-init'
import { m0002Identity } from './0002-identity'
import { m0003Audit } from './0003-audit'
import { m0004Threats } from './0004-threats'
import { m0005Scanner } from './0005-scanner'
import { m0006Vault } from './0006-vault'
import { m0007AuditRetention } from './0007-audit-retention'
import { m0008AuditIndexes } from './0008-audit-indexes'
import { m0009AuditTreeHeads } from './0009-audit-tree-heads'

/** Forward-only, in order. Add a new file per change; never edit a released one. */
export const MIGRATIONS: readonly Migration[] = [
  m0001Init,
  m0002Identity,
  m0003Audit,
  m0004Threats,
  m0005Scanner,
  m0006Vault,
  m0007AuditRetention,
  m0008AuditIndexes,
  m0009AuditTreeHeads,
]
