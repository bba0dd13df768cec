import { Group, Kbd, Modal, Table, Text } from '@mantine/core'
import { useAppStore } from '../../store'
import { SHORTCUT_ROUTES } from './routes'

const GENERAL = [
  { keys: ['?'], what: 'Show this list' },
  { keys: ['Esc'], what: 'Close a panel or dialog' },
  { keys: ['Tab'], what: 'Next control; Shift+Tab goes back' },
  { keys: ['Enter'], what: 'Open the focused audit entry or link' },
] as const

export function ShortcutsDialog() {
  const opened = useAppStore((s) => s.shortcutsOpen)
  const setShortcutsOpen = useAppStore((s) => s.setShortcutsOpen)
  return (
    <Modal opened={opened} onClose={() => setShortcutsOpen(false)} title="Keyboard shortcuts" size="md">
      <Table fz="sm" verticalSpacing={4} withRowBorders={false}>
        <Table.Tbody>
          {GENERAL.map((s) => (
            <Table.Tr key={s.what}>
              <Table.Td w={120}>
                <Group gap={4}>
                  {s.keys.map((k) => (
                    <Kbd key={k} size="xs">
                      {k}
                    </Kbd>
                  ))}
                </Group>
              </Table.Td>
              <Table.Td>{s.what}</Table.Td>
            </Table.Tr>
          ))}
          {SHORTCUT_ROUTES.map((r) => (
            <Table.Tr key={r.id}>
              <Table.Td>
                <Group gap={4}>
                  <Kbd size="xs">g</Kbd>
                  <Text span size="xs" c="dimmed">
                    then
                  </Text>
                  <Kbd size="xs">{r.key}</Kbd>
                </Group>
              </Table.Td>
              <Table.Td>Go to {r.label}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Modal>
  )
}
