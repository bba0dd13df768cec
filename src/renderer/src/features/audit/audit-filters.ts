import { AUDIT_EVENT_TYPES, type AuditEventType, type CallInput } from '../../../../shared/contract'
import { pathWithQuery } from '../../lib/hash-router'

export const RISKS = ['low', 'medium', 'high', 'critical'] as const
export type Risk = (typeof RISKS)[number]

/** The audit view's filters as they live in the URL (`#/audit?type=authentication&risk=high`). */
export interface AuditFilters {
  actor: string
  type: AuditEventType | ''
  client: string
  result: 'success' | 'failure' | ''
  risk: Risk | ''
  /** ISO instants (UTC) in the URL, so a bookmark means the same period in every time zone. */
  from: string
  to: string
  text: string
  /** Start the list at this entry and open it (links from reports). */
  seq: number | null
}

export const EMPTY_FILTERS: AuditFilters = {
  actor: '',
  type: '',
  client: '',
  result: '',
  risk: '',
  from: '',
  to: '',
  text: '',
  seq: null,
}

const oneOf = <T extends string>(list: readonly T[], v: string | null): T | '' =>
  v !== null && (list as readonly string[]).includes(v) ? (v as T) : ''

const isIso = (v: string | null): v is string => v !== null && !Number.isNaN(Date.parse(v))

export function filtersFromQuery(q: URLSearchParams): AuditFilters {
  const seq = Number(q.get('seq'))
  return {
    actor: q.get('actor') ?? '',
    type: oneOf(AUDIT_EVENT_TYPES, q.get('type')),
    client: q.get('client') ?? '',
    result: oneOf(['success', 'failure'] as const, q.get('result')),
    risk: oneOf(RISKS, q.get('risk')),
    from: isIso(q.get('from')) ? (q.get('from') ?? '') : '',
    to: isIso(q.get('to')) ? (q.get('to') ?? '') : '',
    text: q.get('text') ?? '',
    seq: Number.isInteger(seq) && seq > 0 ? seq : null,
  }
}

/** `audit?type=…`: the route of the audit view with these filters (for links from other views too). */
export function auditPath(f: Partial<AuditFilters>): string {
  return pathWithQuery('audit', {
    actor: f.actor,
    type: f.type,
    client: f.client,
    result: f.result,
    risk: f.risk,
    from: f.from,
    to: f.to,
    text: f.text,
    seq: f.seq ? String(f.seq) : null,
  })
}

/** The search call's input for these filters (without paging). */
export function searchInput(f: AuditFilters): CallInput<'audit.search'> {
  const input: CallInput<'audit.search'> = {}
  if (f.actor.trim()) input.actor = f.actor.trim()
  if (f.type) input.type = f.type
  if (f.client.trim()) input.client = f.client.trim()
  if (f.result) input.result = f.result
  if (f.risk) input.risk = f.risk
  if (f.from) input.from = f.from
  if (f.to) input.to = f.to
  if (f.text.trim()) input.text = f.text.trim()
  return input
}

export const hasFilters = (f: AuditFilters): boolean =>
  Boolean(f.actor || f.type || f.client || f.result || f.risk || f.from || f.to || f.text || f.seq)
