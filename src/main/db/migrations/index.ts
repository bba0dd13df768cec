import type { Migration } from '../migration'
import { m0001Init } from './0001-init'
import { m0002Identity } from './0002-identity'
import { m0003Audit } from './0003-audit'
import { m0006Threats } from './0006-threats'

/** Forward-only, in order. Add a new file per change; never edit a released one. */
export const MIGRATIONS: readonly Migration[] = [m0001Init, m0002Identity, m0003Audit, m0006Threats]
