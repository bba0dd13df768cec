import { Alert, Button, Group, Text } from '@mantine/core'
import { CircleAlert } from 'lucide-react'
import type { CallError } from '../../../shared/result'

interface Props {
  error: CallError
  title?: string
  onRetry?: () => void
}

/** What happened (the server's own words), the error code in small text, and a retry where it makes sense. */
export function ErrorAlert({ error, title, onRetry }: Props) {
  return (
    <Alert
      role="alert"
      color="red"
      variant="light"
      title={title}
      icon={<CircleAlert size={18} aria-hidden />}
    >
      <Text size="sm">{error.message}</Text>
      <Group justify="space-between" mt={6} gap="xs">
        <Text size="xs" opacity={0.8} className="qq-mono" data-error-code>
          {error.code}
        </Text>
        {onRetry && (
          <Button size="compact-xs" variant="subtle" color="red" onClick={onRetry}>
            Try again
          </Button>
        )}
      </Group>
    </Alert>
  )
}
