import { Button, Group, SimpleGrid, Text } from '@mantine/core'
import { Check, ClipboardCopy, TriangleAlert } from 'lucide-react'
import { useState } from 'react'
import { copySecret } from '../../lib/clipboard'
import { useNow } from '../../lib/use-now'

/** The codes in two columns, each in its own box, for reading off or writing down. */
export function BackupCodeGrid({ codes }: { codes: readonly string[] }) {
  return (
    <SimpleGrid cols={2} spacing={6} verticalSpacing={6} component="ol" aria-label="Backup codes" m={0} p={0}>
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
  )
}

type CopyState =
  { status: 'idle' } | { status: 'copied'; clearsAt: number } | { status: 'refused'; reason: string }

function CopyStatus({ state }: { state: CopyState }) {
  const now = useNow(500)
  if (state.status === 'refused') {
    return (
      <Group gap={6} wrap="nowrap" role="alert">
        <TriangleAlert size={14} color="var(--mantine-color-orange-filled)" aria-hidden />
        <Text size="xs">
          The clipboard refused the codes ({state.reason}). Select them and copy by hand, or write them down.
        </Text>
      </Group>
    )
  }
  if (state.status !== 'copied') return null
  const left = Math.max(0, Math.ceil((state.clearsAt - now) / 1000))
  return (
    <Group gap={6} wrap="nowrap" role="status">
      <Check size={14} color="var(--mantine-color-teal-filled)" aria-hidden />
      <Text size="xs" data-testid="clipboard-status">
        {left > 0 ? `Copied. The clipboard is cleared in ${left} s.` : 'The clipboard has been cleared.'}
      </Text>
    </Group>
  )
}

/** Copies every code at once; the clipboard is emptied again after 30 s, and a refusal is said plainly. */
export function CopyCodesButton({ codes }: { codes: readonly string[] }) {
  const [state, setState] = useState<CopyState>({ status: 'idle' })
  const copy = async () => {
    const result = await copySecret(codes.join('\n'))
    setState(
      result.ok
        ? { status: 'copied', clearsAt: result.clearsAt }
        : { status: 'refused', reason: result.reason },
    )
  }
  return (
    <Group gap="sm" wrap="nowrap">
      <Button
        size="xs"
        variant="default"
        leftSection={<ClipboardCopy size={14} aria-hidden />}
        onClick={() => void copy()}
        style={{ flexShrink: 0 }}
      >
        Copy the codes
      </Button>
      <CopyStatus state={state} />
    </Group>
  )
}
