import { ActionIcon, Badge, Divider, Group, Text, Tooltip, UnstyledButton } from '@mantine/core'
import { Keyboard, Lock, ShieldCheck, UserRound } from 'lucide-react'
import type { SessionView } from '../../../../shared/contract'
import { ThemeToggle } from '../../components/ThemeToggle'
import { hrefFor } from '../../lib/hash-router'
import { useAppStore } from '../../store'
import { SessionCountdown } from './SessionCountdown'
import { SignOutButton } from './SignOutButton'

export function TopBar({ session }: { session: SessionView }) {
  const setShortcutsOpen = useAppStore((s) => s.setShortcutsOpen)
  const lockConsole = useAppStore((s) => s.lockConsole)
  return (
    <Group h="100%" px="md" justify="space-between" wrap="nowrap">
      <Group gap={8} wrap="nowrap">
        <ShieldCheck size={20} aria-hidden />
        <Text fw={600} size="sm">
          QQ-Verse Security Console
        </Text>
      </Group>
      <Group gap="sm" wrap="nowrap">
        <Tooltip label="Your account: password, sessions, two-factor">
          <UnstyledButton
            component="a"
            href={hrefFor('account')}
            data-focus-ring
            data-testid="signed-in-user"
            aria-label={`Your account: ${session.user.name}`}
            px={6}
            py={2}
            style={{ borderRadius: 'var(--mantine-radius-sm)' }}
          >
            <Group gap={6} wrap="nowrap">
              <UserRound size={16} aria-hidden />
              <Text size="sm" fw={500}>
                {session.user.name}
              </Text>
              {session.user.roles.map((r) => (
                <Badge key={r} variant="outline" size="xs" radius="sm" tt="none">
                  {r}
                </Badge>
              ))}
            </Group>
          </UnstyledButton>
        </Tooltip>
        <Divider orientation="vertical" />
        <SessionCountdown session={session} />
        <Divider orientation="vertical" />
        <Tooltip label="Keyboard shortcuts (?)">
          <ActionIcon
            variant="default"
            size="lg"
            aria-label="Keyboard shortcuts"
            onClick={() => setShortcutsOpen(true)}
          >
            <Keyboard size={18} aria-hidden />
          </ActionIcon>
        </Tooltip>
        <ThemeToggle />
        <Tooltip label="Lock: end this session now; sign in again to continue where you are">
          <ActionIcon
            variant="default"
            size="lg"
            aria-label="Lock the console"
            onClick={() => lockConsole('manual')}
          >
            <Lock size={18} aria-hidden />
          </ActionIcon>
        </Tooltip>
        <SignOutButton />
      </Group>
    </Group>
  )
}
