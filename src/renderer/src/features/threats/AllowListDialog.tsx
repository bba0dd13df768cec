import { Alert, Button, Group, Modal, Radio, Stack, Text } from '@mantine/core'
import { useState, type FormEvent } from 'react'
import type { CallError } from '../../../../shared/result'
import { ErrorAlert } from '../../components/ErrorAlert'
import { useWaiverTerms, WaiverTermsFields } from '../../components/WaiverTerms'
import { callApi } from '../../store/call'
import type { ThreatView } from './ThreatDrawer'

interface Choice {
  key: string
  kind: 'client' | 'rule'
  value: string
  label: string
}

/** The threat's client first, then each distinct rule among its findings. */
function choicesOf(t: ThreatView): Choice[] {
  const out: Choice[] = [
    { key: 'client', kind: 'client', value: t.client, label: `Requests from the client ${t.client}` },
  ]
  const rules = new Set<string>()
  for (const f of t.findings) {
    if (rules.has(f.rule)) continue
    rules.add(f.rule)
    out.push({ key: `rule:${f.rule}`, kind: 'rule', value: f.rule, label: `The rule ${f.name} (${f.rule})` })
  }
  return out
}

interface Props {
  threat: ThreatView
  opened: boolean
  onClose: () => void
}

/** Allow-list a threat's client or one of its rules: a `threats` waiver, for new requests only. */
export function AllowListDialog({ threat, opened, onClose }: Props) {
  return (
    <Modal opened={opened} onClose={onClose} title="Allow-list" size="lg">
      {opened && <AllowListForm threat={threat} onClose={onClose} />}
    </Modal>
  )
}

function AllowListForm({ threat, onClose }: { threat: ThreatView; onClose: () => void }) {
  const choices = choicesOf(threat)
  const [choice, setChoice] = useState(choices[0]!.key)
  const terms = useWaiverTerms(30)
  const [failure, setFailure] = useState<CallError | null>(null)
  const [busy, setBusy] = useState(false)
  const [done, setDone] = useState<string | null>(null)

  const picked = choices.find((c) => c.key === choice) ?? choices[0]!

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    if (!terms.validate()) return
    setBusy(true)
    setFailure(null)
    const r = await callApi('waivers.create', {
      domain: 'threats',
      scope: { kind: picked.kind, value: picked.value },
      ...terms.toInput(),
    })
    setBusy(false)
    if (!r.ok) {
      setFailure(r.error)
      return
    }
    const what = r.value.scope.kind === 'client' ? 'The client' : 'The rule'
    setDone(`${what} ${r.value.scope.value} is allow-listed until ${r.value.expiresAt.slice(0, 10)}.`)
  }

  if (done)
    return (
      <Stack gap="sm">
        <Alert color="teal" variant="light" title="Allow-listed" data-testid="allow-list-done">
          <Text size="sm">{done}</Text>
          <Text size="sm">
            It applies to new requests only: existing threats, this one included, stay as they are.
          </Text>
        </Alert>
        <Group justify="flex-end">
          <Button onClick={onClose}>Done</Button>
        </Group>
      </Stack>
    )

  return (
    <form onSubmit={(e) => void submit(e)} noValidate>
      <Stack gap="sm">
        <Text size="sm">
          New requests matching the choice below will not raise threats until the expiry date. Existing
          threats stay as they are. The waiver is kept in the audit trail and can be revoked.
        </Text>
        <Radio.Group label="Allow-list" value={choice} onChange={setChoice}>
          <Stack gap={6} mt={4}>
            {choices.map((c) => (
              <Radio key={c.key} value={c.key} label={c.label} />
            ))}
          </Stack>
        </Radio.Group>
        <WaiverTermsFields terms={terms} reasonHint="Why this is safe to allow" />
        {failure && <ErrorAlert error={failure} title="Not allow-listed" />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={busy}>
            Allow-list
          </Button>
        </Group>
      </Stack>
    </form>
  )
}
