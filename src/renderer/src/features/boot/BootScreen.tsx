import { Center, Loader, Stack, Text } from '@mantine/core'
import { ErrorAlert } from '../../components/ErrorAlert'
import { useAppStore } from '../../store'
import { AuthLayout } from '../auth/AuthLayout'

export function BootScreen() {
  return (
    <Center mih="100vh">
      <Stack align="center" gap="xs" aria-busy="true">
        <Loader size="sm" />
        <Text size="sm" c="dimmed">
          Connecting to the console…
        </Text>
      </Stack>
    </Center>
  )
}

export function BootFailedScreen() {
  const error = useAppStore((s) => s.bootError)
  const boot = useAppStore((s) => s.boot)
  return (
    <AuthLayout
      title="The console is not reachable"
      subtitle="Nothing was changed. Check the console, then try again."
    >
      {error && <ErrorAlert error={error} onRetry={() => void boot()} />}
    </AuthLayout>
  )
}
