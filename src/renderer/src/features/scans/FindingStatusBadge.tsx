import { Badge, Tooltip } from '@mantine/core'
import { localTime } from '../../lib/time'
import type { Finding } from './scan-types'

const SOURCE: Record<NonNullable<Finding['accepted']>['source'], string> = {
  waiver: 'waiver',
  'ignore-file': 'ignore file',
  baseline: 'baseline',
}

/** new / open / accepted (with the waiver, ignore file or baseline behind it on hover). */
export function FindingStatusBadge({ finding }: { finding: Finding }) {
  if (finding.status === 'accepted' && finding.accepted) {
    const a = finding.accepted
    const until = a.expires ? ` until ${localTime(a.expires)}` : ''
    return (
      <Tooltip label={`Accepted by ${SOURCE[a.source]}${until}: ${a.reason}`} multiline maw={360}>
        <Badge
          color="teal"
          variant="light"
          size="sm"
          radius="sm"
          tt="none"
          data-status="accepted"
          tabIndex={0}
        >
          Accepted ({SOURCE[a.source]})
        </Badge>
      </Tooltip>
    )
  }
  return finding.status === 'new' ? (
    <Badge color="grape" variant="light" size="sm" radius="sm" tt="none" data-status="new">
      New
    </Badge>
  ) : (
    <Badge color="gray" variant="light" size="sm" radius="sm" tt="none" data-status="open">
      Open
    </Badge>
  )
}
