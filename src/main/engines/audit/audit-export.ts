import { hostname } from 'node:os'
import { APP_VERSION } from '../../../shared/version'
import type { AuditRow } from './audit-log'

export type AuditExportFormat = 'jsonl' | 'cef' | 'syslog'

const CEF_SEVERITY: Record<AuditRow['risk'], number> = { low: 3, medium: 5, high: 8, critical: 10 }
/** RFC 5424 severities: informational, notice, warning, critical. */
const SYSLOG_SEVERITY: Record<AuditRow['risk'], number> = { low: 6, medium: 5, high: 4, critical: 2 }
/** Facility 13: log audit. */
const FACILITY = 13

/** One entry as a JSON object (JSON Lines), every field of the chain included so it can be re-verified. */
export const toJsonLine = (r: AuditRow): string =>
  JSON.stringify({ ...r, details: JSON.parse(r.details) as unknown }) + '\n'

const cefHeader = (v: string) =>
  v
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/[\r\n]+/g, ' ')
const cefValue = (v: string) => v.replace(/\\/g, '\\\\').replace(/=/g, '\\=').replace(/\r?\n/g, '\\n')

/** ArcSight Common Event Format. */
export function toCef(r: AuditRow): string {
  const ext: [string, string | null][] = [
    ['rt', String(Date.parse(r.time))],
    ['suser', r.actor],
    ['src', r.client.startsWith('http:') ? r.client.slice(5) : null],
    ['deviceExternalId', r.client],
    ['act', r.action],
    ['outcome', r.result],
    ['cs1Label', 'resource'],
    ['cs1', r.resource],
    ['cs2Label', 'details'],
    ['cs2', r.details],
    ['cs3Label', 'hash'],
    ['cs3', r.hash],
    ['cn1Label', 'seq'],
    ['cn1', String(r.seq)],
  ]
  const extension = ext
    .filter((e): e is [string, string] => e[1] !== null)
    .map(([k, v]) => `${k}=${cefValue(v)}`)
    .join(' ')
  return `CEF:0|QQ-Verse|Security Console|${cefHeader(APP_VERSION)}|${cefHeader(r.action)}|${cefHeader(r.type)}|${CEF_SEVERITY[r.risk]}|${extension}\n`
}

const sdValue = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/]/g, '\\]')
const header = (v: string, max: number) => v.replace(/[^\x21-\x7e]/g, '_').slice(0, max) || '-'

/** RFC 5424 syslog message with the entry's fields as structured data (SD-ID in the private-enterprise form). */
export function toSyslog(r: AuditRow, host = hostname()): string {
  const pri = FACILITY * 8 + SYSLOG_SEVERITY[r.risk]
  const sd = [
    ['seq', String(r.seq)],
    ['type', r.type],
    ['actor', r.actor ?? '-'],
    ['client', r.client],
    ['result', r.result],
    ['risk', r.risk],
    ['resource', r.resource ?? '-'],
    ['hash', r.hash],
  ]
    .map(([k, v]) => `${k}="${sdValue(v!)}"`)
    .join(' ')
  return `<${pri}>1 ${r.time} ${header(host, 255)} qqsec - ${header(r.action, 32)} [audit@32473 ${sd}] ${r.details}\n`
}

export function formatEntry(r: AuditRow, format: AuditExportFormat): string {
  return format === 'jsonl' ? toJsonLine(r) : format === 'cef' ? toCef(r) : toSyslog(r)
}
