import { Badge } from '@mantine/core'
import { SEVERITY_COLOR, SEVERITY_LABEL, type Severity } from '../lib/severity'

/** Severity or risk: colour and word together, never colour alone. */
export function SeverityBadge({ level }: { level: Severity }) {
  return (
    <Badge variant="dot" color={SEVERITY_COLOR[level]} size="sm" radius="sm" tt="none" data-severity={level}>
      {SEVERITY_LABEL[level]}
    </Badge>
  )
}
