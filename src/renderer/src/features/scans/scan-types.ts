import type { CallOutput } from '../../../../shared/contract'

export type ScanDetail = CallOutput<'scans.get'>
export type Finding = ScanDetail['findings'][number]
export type ScanSeverity = Finding['severity']
export type FindingKind = Finding['kind']
export type FindingStatus = Finding['status']
export type RemediationAction = CallOutput<'scans.remediation'>['actions'][number]
export type HistoryRow = CallOutput<'scans.list'>['scans'][number]
export type Waiver = CallOutput<'waivers.list'>['waivers'][number]

export const SCAN_SEVERITIES: readonly ScanSeverity[] = ['critical', 'high', 'medium', 'low']
export const KINDS: readonly FindingKind[] = ['dependency', 'secret', 'config']
export const STATUSES: readonly FindingStatus[] = ['new', 'open', 'accepted']

export const KIND_LABEL: Record<FindingKind, string> = {
  dependency: 'Dependency',
  secret: 'Secret',
  config: 'Configuration',
}

export const isOneOf = <T extends string>(list: readonly T[], v: string | null): v is T =>
  v !== null && (list as readonly string[]).includes(v)

/** Where a finding is: `package@version` for a dependency, `file:line` for a secret or a setting. */
export function locationOf(f: Finding): string {
  if (f.kind === 'dependency') return `${f.package ?? '?'}@${f.version ?? '?'}`
  return f.line !== undefined ? `${f.file ?? '?'}:${f.line}` : (f.file ?? '')
}
