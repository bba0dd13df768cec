import { Badge } from '@mantine/core'

const LOOK = {
  active: { color: 'pink', label: 'Active' },
  acknowledged: { color: 'indigo', label: 'Acknowledged' },
  resolved: { color: 'teal', label: 'Resolved' },
} as const

export function StatusBadge({ status }: { status: keyof typeof LOOK }) {
  return (
    <Badge
      variant="light"
      size="sm"
      radius="sm"
      tt="none"
      color={LOOK[status].color}
      data-threat-status={status}
    >
      {LOOK[status].label}
    </Badge>
  )
}
