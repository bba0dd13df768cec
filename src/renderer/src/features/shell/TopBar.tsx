import { ActionIcon, Badge, Divider, Group, Text, Tooltip } from '@mantine/core'
import { Keyboard, ShieldCheck, UserRound } from 'lucide-react'
import type { SessionView } from '../../../../shared/contract'
import { ThemeToggle } from '../../components/ThemeToggle'
import { useAppStore } from '../../store'
import { SessionCountdown } from './SessionCountdown'
import { SignOutButton } from './SignOutButton'

export function TopBar({ session }: { session: SessionView }) {
  const setShortcutsOpen = useAppStore((s) => s.setShortcutsOpen)
  return (
    <Group h="100%" px="md" justify="space-between" wrap="nowrap">
      <Group gap={8} wrap="nowrap">
        <ShieldCheck size={20} aria-hidden />
        <Text fw={600} size="sm">
          QQ-Verse Security Console
        </Text>
      </Group>
      <Group gap="sm" wrap="nowrap">
        <Group gap={6} wrap="nowrap" data-testid="signed-in-user">
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
        <SignOutButton />
      </Group>
    </Group>
  )
}
