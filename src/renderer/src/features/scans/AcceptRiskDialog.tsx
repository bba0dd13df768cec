import { Button, Group, Modal, Select, Stack, Text, TextInput } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { useState, type FormEvent } from 'react'
import { contract } from '../../../../shared/contract'
import type { CallError } from '../../../../shared/result'
import { ErrorAlert } from '../../components/ErrorAlert'
import { useWaiverTerms, WaiverTermsFields } from '../../components/WaiverTerms'
import { fieldError } from '../../lib/field-error'
import { callApi } from '../../store/call'
import type { Finding, Waiver } from './scan-types'

type ScopeKind = Waiver['scope']['kind']

const input = contract['waivers.create'].input.shape
const SCOPE_LABEL: Partial<Record<ScopeKind, string>> = {
  advisory: 'This advisory (any package it names)',
  package: 'This package at this version',
  fingerprint: 'Exactly this finding',
  rule: 'Every finding of this rule',
  path: 'Every finding in this file',
}

/** The scopes a finding offers, each with the value prefilled from the finding. */
function scopesOf(f: Finding): { kind: ScopeKind; value: string }[] {
  const out: { kind: ScopeKind; value: string }[] = []
  if (f.kind === 'dependency') {
    if (f.ids?.[0]) out.push({ kind: 'advisory', value: f.ids[0] })
    if (f.package && f.version) out.push({ kind: 'package', value: `${f.package}@${f.version}` })
  }
  out.push({ kind: 'fingerprint', value: f.fingerprint })
  out.push({ kind: 'rule', value: f.ruleId })
  if (f.file) out.push({ kind: 'path', value: f.file })
  return out
}

interface Props {
  finding: Finding | null
  onClose: () => void
  onCreated: (w: Waiver) => void
}

/** Accept a finding's risk as a console waiver: scope, reason, owner, approver and expiry. */
export function AcceptRiskDialog({ finding, onClose, onCreated }: Props) {
  return (
    <Modal opened={finding !== null} onClose={onClose} title="Accept this risk" size="lg">
      {finding && <AcceptRiskForm finding={finding} onClose={onClose} onCreated={onCreated} />}
    </Modal>
  )
}

function AcceptRiskForm({ finding, onClose, onCreated }: { finding: Finding } & Omit<Props, 'finding'>) {
  const scopes = scopesOf(finding)
  const [kind, setKind] = useState<ScopeKind>(scopes[0]!.kind)
  const [value, setValue] = useState(scopes[0]!.value)
  const [valueError, setValueError] = useState<string | null>(null)
  const terms = useWaiverTerms(90)
  const [failure, setFailure] = useState<CallError | null>(null)
  const [busy, setBusy] = useState(false)

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    const scopeError = fieldError(input.scope.shape.value, value)
    setValueError(scopeError)
    if (!terms.validate() || scopeError) return
    setBusy(true)
    setFailure(null)
    const r = await callApi('waivers.create', {
      domain: 'scanner',
      scope: { kind, value: value.trim() },
      ...terms.toInput(),
    })
    setBusy(false)
    if (!r.ok) {
      setFailure(r.error)
      return
    }
    notifications.show({
      color: 'teal',
      title: 'Risk accepted',
      message: `Waiver for ${r.value.scope.kind} ${r.value.scope.value} until ${r.value.expiresAt.slice(0, 10)}. It applies at once, to recorded scans as well.`,
      autoClose: 6000,
    })
    onCreated(r.value)
  }

  return (
    <form onSubmit={(e) => void submit(e)} noValidate>
      <Stack gap="sm">
        <Text size="sm">
          The matching findings show as <b>accepted</b> at once, in recorded scans and new ones, until the
          expiry date, then open again. The waiver, its reason and your name are kept in the audit trail;
          anyone with system:configure can revoke it.
        </Text>
        <Select
          label="Scope"
          data={scopes.map((s) => ({ value: s.kind, label: SCOPE_LABEL[s.kind] ?? s.kind }))}
          value={kind}
          allowDeselect={false}
          onChange={(v) => {
            const s = scopes.find((x) => x.kind === v)
            if (s) {
              setKind(s.kind)
              setValue(s.value)
            }
          }}
        />
        <TextInput
          label="Scope value"
          classNames={{ input: 'qq-mono' }}
          value={value}
          onChange={(e) => setValue(e.currentTarget.value)}
          error={valueError}
        />
        <WaiverTermsFields terms={terms} reasonHint="Why this risk is acceptable" />
        {failure && <ErrorAlert error={failure} title="The waiver was not created" />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" color="teal" loading={busy}>
            Accept risk
          </Button>
        </Group>
      </Stack>
    </form>
  )
}
