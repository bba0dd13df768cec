import { Alert, Button, Checkbox, SimpleGrid, Stack, Text } from '@mantine/core'
import { CircleCheck } from 'lucide-react'
import { useState } from 'react'

interface Props {
  codes: readonly string[]
  onDone: () => void
  busy: boolean
}

/** Shown once, right after MFA is turned on: the single-use codes for when the authenticator is not at hand. */
export function BackupCodes({ codes, onDone, busy }: Props) {
  const [stored, setStored] = useState(false)
  return (
    <Stack gap="sm">
      <Alert color="teal" variant="light" icon={<CircleCheck size={18} aria-hidden />} role="status">
        Two-factor authentication is on.
      </Alert>
      <div>
        <Text size="sm" fw={500}>
          Your backup codes
        </Text>
        <Text size="xs" c="dimmed">
          Each code signs you in once when your authenticator is not at hand. Store them somewhere safe now:
          the console does not show them again.
        </Text>
      </div>
      <SimpleGrid
        cols={2}
        spacing={6}
        verticalSpacing={6}
        component="ol"
        aria-label="Backup codes"
        m={0}
        p={0}
      >
        {codes.map((code) => (
          <Text
            key={code}
            component="li"
            className="qq-mono"
            fz="sm"
            ta="center"
            py={4}
            style={{
              listStyle: 'none',
              border: '1px solid var(--mantine-color-default-border)',
              borderRadius: 4,
            }}
            data-backup-code
          >
            {code}
          </Text>
        ))}
      </SimpleGrid>
      <Checkbox
        label="I have stored these codes"
        checked={stored}
        onChange={(e) => setStored(e.currentTarget.checked)}
      />
      <Button onClick={onDone} disabled={!stored} loading={busy} fullWidth>
        Continue to the console
      </Button>
    </Stack>
  )
}
