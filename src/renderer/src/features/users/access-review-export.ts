import type { AccessReviewRowView } from '../../../../shared/contract'
import { toCsv } from '../../lib/csv'

export const ACCESS_REVIEW_CSV_HEADER = [
  'account',
  'email',
  'roles',
  'temporary_roles',
  'mfa',
  'last_login_utc',
  'locked',
  'flags',
  'permissions',
] as const

/** One line per account; lists joined with "; ", times in UTC (ISO 8601), every field quoted and defused. */
export function accessReviewCsv(rows: readonly AccessReviewRowView[]): string {
  return toCsv(
    ACCESS_REVIEW_CSV_HEADER,
    rows.map((r) => [
      r.name,
      r.email ?? '',
      r.roles.join('; '),
      r.elevations.map((e) => `${e.role} until ${e.expiresAt}`).join('; '),
      r.mfaEnabled ? 'on' : 'off',
      r.lastLoginAt ?? 'never',
      r.locked ? 'yes' : 'no',
      r.flags.join('; '),
      r.permissions.join('; '),
    ]),
  )
}

export function accessReviewJson(generatedAt: string, rows: readonly AccessReviewRowView[]): string {
  return `${JSON.stringify({ kind: 'qqsec-access-review', generatedAt, rows }, null, 2)}\n`
}
