import { Box, Center, Group, Paper, Stack, Text, Title } from '@mantine/core'
import { ShieldCheck } from 'lucide-react'
import type { ReactNode } from 'react'
import { ThemeToggle } from '../../components/ThemeToggle'
import { transport } from '../../lib/api'

/** The frame around Setup and Login: product name, one card, the theme toggle. */
export function AuthLayout({
  title,
  subtitle,
  children,
}: {
  title: string
  subtitle: string
  children: ReactNode
}) {
  return (
    <Box mih="100vh" bg="var(--mantine-color-body)">
      <Group justify="space-between" px="lg" py="sm">
        <Group gap={8}>
          <ShieldCheck size={20} aria-hidden />
          <Text fw={600} size="sm">
            QQ-Verse Security Console
          </Text>
        </Group>
        <ThemeToggle />
      </Group>
      <Center pt="4vh" px="md">
        <Paper withBorder p="xl" w={460} radius="md" component="main">
          <Stack gap="md">
            <div>
              <Title order={1} size="h3">
                {title}
              </Title>
              <Text size="sm" c="dimmed" mt={4}>
                {subtitle}
              </Text>
            </div>
            {children}
          </Stack>
        </Paper>
      </Center>
      <Text ta="center" size="xs" c="dimmed" mt="lg">
        {transport === 'browser' ? 'Browser mode on this computer only (loopback)' : 'Desktop app'}
      </Text>
    </Box>
  )
}
