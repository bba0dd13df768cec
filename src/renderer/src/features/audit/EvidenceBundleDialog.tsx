import { Alert, Button, Code, Group, Modal, NativeSelect, Stack, Text, TextInput } from '@mantine/core'
import { useState } from 'react'
import type { CallError } from '../../../../shared/result'
import { ErrorAlert } from '../../components/ErrorAlert'
import { downloadText, fileStamp } from '../../lib/download'
import { fromDateTimeLocal, toDateTimeLocal } from '../../lib/time'
import { callApi } from '../../store/call'

export type Standard = 'gdpr' | 'sox' | 'hipaa' | 'all'
export const STANDARDS: { value: Standard; label: string }[] = [
  { value: 'all', label: 'All standards' },
  { value: 'gdpr', label: 'GDPR' },
  { value: 'sox', label: 'SOX' },
  { value: 'hipaa', label: 'HIPAA' },
]

interface Props {
  opened: boolean
  onClose: () => void
  initial?: { standard?: Standard; from?: string; to?: string }
}

const DAY = 86_400_000

/** A signed evidence bundle for a standard and a period, downloaded as one JSON file. */
export function EvidenceBundleDialog({ opened, onClose, initial }: Props) {
  return (
    <Modal opened={opened} onClose={onClose} title="Evidence bundle" size="md">
      {opened && <BundleForm onClose={onClose} initial={initial} />}
    </Modal>
  )
}

function BundleForm({ onClose, initial }: { onClose: () => void; initial: Props['initial'] }) {
  const [standard, setStandard] = useState<Standard>(initial?.standard ?? 'all')
  const [from, setFrom] = useState(() =>
    toDateTimeLocal(initial?.from ? Date.parse(initial.from) : Date.now() - 30 * DAY),
  )
  const [to, setTo] = useState(() =>
    toDateTimeLocal(initial?.to ? Date.parse(initial.to) : Date.now() + 60_000),
  )
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<CallError | null>(null)
  const [done, setDone] = useState<{ entries: number; keyFingerprint: string; file: string } | null>(null)

  const submit = async () => {
    const f = fromDateTimeLocal(from)
    const t = fromDateTimeLocal(to)
    if (!f || !t) {
      setError({ code: 'INVALID_INPUT', message: 'Give a start and an end time.' })
      return
    }
    setBusy(true)
    setError(null)
    const result = await callApi('audit.exportBundle', { standard, from: f, to: t })
    setBusy(false)
    if (!result.ok) {
      setError(result.error)
      return
    }
    const file = `qqsec-evidence-${standard}-${fileStamp(new Date().toISOString())}.json`
    downloadText(file, result.value.bundle, 'application/json')
    setDone({ entries: result.value.entries, keyFingerprint: result.value.keyFingerprint, file })
  }

  return (
    <form
      onSubmit={(e) => {
        e.preventDefault()
        void submit()
      }}
    >
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          The period&apos;s audit entries with the chain and signed checkpoints around them, the compliance
          report and the public key, signed — for an auditor to check without the console.
        </Text>
        <NativeSelect
          label="Standard"
          data={STANDARDS}
          value={standard}
          onChange={(e) => setStandard(e.currentTarget.value as Standard)}
        />
        <Group grow>
          <TextInput
            type="datetime-local"
            label="From (local time)"
            value={from}
            onChange={(e) => setFrom(e.currentTarget.value)}
          />
          <TextInput
            type="datetime-local"
            label="To (local time)"
            value={to}
            onChange={(e) => setTo(e.currentTarget.value)}
          />
        </Group>
        {error && <ErrorAlert error={error} title="No bundle was made" />}
        {done && (
          <Alert color="teal" variant="light" title="Bundle downloaded" data-testid="bundle-done">
            <Text size="sm">
              {done.file}: {done.entries.toLocaleString()} entries.
            </Text>
            <Text size="sm" mt={6}>
              Signing key fingerprint:
            </Text>
            <Code
              block
              style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap' }}
              data-testid="bundle-fingerprint"
            >
              {done.keyFingerprint}
            </Code>
            <Text size="xs" mt={6}>
              Compare it with the output of <Code>qqsec audit key</Code> on the console machine (or a value
              you recorded before): if they match, the bundle was signed by this console&apos;s audit key.
            </Text>
          </Alert>
        )}
        <Group justify="flex-end" gap="xs">
          <Button variant="default" onClick={onClose}>
            {done ? 'Close' : 'Cancel'}
          </Button>
          <Button type="submit" loading={busy}>
            Make and download bundle
          </Button>
        </Group>
      </Stack>
    </form>
  )
}
