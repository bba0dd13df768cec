import { Group, List, Loader, Progress, Text } from '@mantine/core'
import { Check, X } from 'lucide-react'
import { ErrorAlert } from '../../components/ErrorAlert'
import type { VerdictState } from './use-password-verdict'

const SCORE = [
  { word: 'Very weak', color: 'red' },
  { word: 'Weak', color: 'orange' },
  { word: 'Fair', color: 'yellow' },
  { word: 'Strong', color: 'teal' },
  { word: 'Very strong', color: 'green' },
] as const

/** The policy's verdict on the password being typed: a 0–4 meter and the exact rules it still fails. */
export function PasswordStrength({ state }: { state: VerdictState }) {
  if (state.status === 'idle') {
    return (
      <Text size="xs" c="dimmed">
        At least 12 characters; long passphrases of unrelated words work well.
      </Text>
    )
  }
  if (state.status === 'error')
    return <ErrorAlert error={state.error} title="The password could not be checked" />
  if (state.status === 'checking') {
    return (
      <Group gap={6} aria-live="polite">
        <Loader size={12} />
        <Text size="xs" c="dimmed">
          Checking the password against the policy…
        </Text>
      </Group>
    )
  }
  const { verdict } = state
  const look = SCORE[verdict.score] ?? SCORE[0]
  return (
    <div aria-live="polite" data-testid="password-verdict">
      <Group justify="space-between" gap="xs" mb={4}>
        <Text size="xs" fw={500}>
          Strength: <span data-score={verdict.score}>{look.word}</span> ({verdict.score} of 4)
        </Text>
        <Text size="xs" c={verdict.acceptable ? 'teal' : 'dimmed'}>
          {verdict.acceptable ? 'Meets the policy' : 'Does not meet the policy yet'}
        </Text>
      </Group>
      <Progress
        value={((verdict.score + 1) / 5) * 100}
        color={look.color}
        size="sm"
        aria-label={`Password strength ${verdict.score} of 4: ${look.word}`}
      />
      {verdict.failures.length > 0 ? (
        <List
          size="xs"
          mt={6}
          spacing={2}
          icon={<X size={14} color="var(--mantine-color-red-filled)" aria-hidden />}
        >
          {verdict.failures.map((f) => (
            <List.Item key={f.rule} data-rule={f.rule}>
              {f.message}
            </List.Item>
          ))}
        </List>
      ) : (
        <Group gap={4} mt={6}>
          <Check size={14} color="var(--mantine-color-teal-filled)" aria-hidden />
          <Text size="xs">
            Passes every rule of the {verdict.preset === 'nist' ? 'NIST/ASVS' : verdict.preset} policy.
          </Text>
        </Group>
      )}
    </div>
  )
}
