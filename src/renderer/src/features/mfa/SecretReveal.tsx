import { Button, Code, Stack, Text } from '@mantine/core'
import { Eye, EyeOff } from 'lucide-react'
import { useState } from 'react'

const grouped = (secret: string): string => secret.replace(/(.{4})(?=.)/g, '$1 ')

/** The authenticator key, hidden until asked for and hidden again when focus leaves it. */
export function SecretReveal({ secret }: { secret: string }) {
  const [shown, setShown] = useState(false)
  return (
    <Stack gap={4} onBlur={(e) => !e.currentTarget.contains(e.relatedTarget) && setShown(false)}>
      <Button
        variant="subtle"
        size="compact-xs"
        w="fit-content"
        leftSection={shown ? <EyeOff size={14} aria-hidden /> : <Eye size={14} aria-hidden />}
        onClick={() => setShown((v) => !v)}
        aria-expanded={shown}
      >
        {shown ? 'Hide the key' : 'Cannot scan? Show the key to type in'}
      </Button>
      {shown && (
        <>
          <Code block fz="sm" data-testid="mfa-secret" tabIndex={0} data-focus-ring>
            {grouped(secret)}
          </Code>
          <Text size="xs" c="dimmed">
            Time-based (TOTP), 6 digits, every 30 seconds. Spaces do not matter.
          </Text>
        </>
      )}
    </Stack>
  )
}
