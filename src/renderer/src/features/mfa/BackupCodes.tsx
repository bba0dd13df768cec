import { Alert, Button, Checkbox, Stack, Text } from '@mantine/core'
import { CircleCheck } from 'lucide-react'
import { useState } from 'react'
import { BackupCodeGrid, CopyCodesButton } from './BackupCodeGrid'

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
      <BackupCodeGrid codes={codes} />
      <CopyCodesButton codes={codes} />
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
