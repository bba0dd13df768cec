import { Badge } from '@mantine/core'

export function OutcomeBadge({ result }: { result: 'success' | 'failure' }) {
  return (
    <Badge variant="light" color={result === 'success' ? 'teal' : 'red'} size="sm" radius="sm" tt="none">
      {result === 'success' ? 'Success' : 'Failure'}
    </Badge>
  )
}
