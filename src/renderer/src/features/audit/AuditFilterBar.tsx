import { ActionIcon, Button, Group, NativeSelect, TextInput } from '@mantine/core'
import { Search, X } from 'lucide-react'
import { useState } from 'react'
import { AUDIT_EVENT_TYPES, type AuditEventType } from '../../../../shared/contract'
import { navigate } from '../../lib/hash-router'
import { fromDateTimeLocal, toDateTimeLocal } from '../../lib/time'
import { auditPath, EMPTY_FILTERS, hasFilters, RISKS, type AuditFilters, type Risk } from './audit-filters'

const isoToLocal = (iso: string): string => (iso ? toDateTimeLocal(Date.parse(iso)) : '')

/** The filters as a form: Enter (or Apply) puts them in the URL, which the list follows. */
export function AuditFilterBar({ filters }: { filters: AuditFilters }) {
  const [draft, setDraft] = useState({
    ...filters,
    from: isoToLocal(filters.from),
    to: isoToLocal(filters.to),
  })
  const [shown, setShown] = useState(filters)
  if (shown !== filters && JSON.stringify(shown) !== JSON.stringify(filters)) {
    setShown(filters)
    setDraft({ ...filters, from: isoToLocal(filters.from), to: isoToLocal(filters.to) })
  }
  const set = <K extends keyof AuditFilters>(k: K, v: AuditFilters[K] | string) =>
    setDraft((d) => ({ ...d, [k]: v }))

  const apply = () =>
    navigate(
      auditPath({
        ...draft,
        from: fromDateTimeLocal(draft.from) ?? '',
        to: fromDateTimeLocal(draft.to) ?? '',
        seq: null,
      }),
    )

  return (
    <form
      onSubmit={(e) => {
        e.preventDefault()
        apply()
      }}
      aria-label="Audit filters"
    >
      <Group gap={6} align="flex-end" wrap="nowrap" mb="xs">
        <TextInput
          size="xs"
          w={80}
          label="Actor"
          value={draft.actor}
          onChange={(e) => set('actor', e.currentTarget.value)}
        />
        <NativeSelect
          size="xs"
          w={134}
          label="Type"
          value={draft.type}
          onChange={(e) => set('type', e.currentTarget.value as AuditEventType | '')}
          data={[{ value: '', label: 'Any type' }, ...AUDIT_EVENT_TYPES.map((t) => ({ value: t, label: t }))]}
        />
        <TextInput
          size="xs"
          w={92}
          label="Client"
          value={draft.client}
          onChange={(e) => set('client', e.currentTarget.value)}
        />
        <NativeSelect
          size="xs"
          w={86}
          label="Result"
          value={draft.result}
          onChange={(e) => set('result', e.currentTarget.value as AuditFilters['result'])}
          data={[
            { value: '', label: 'Any' },
            { value: 'success', label: 'Success' },
            { value: 'failure', label: 'Failure' },
          ]}
        />
        <NativeSelect
          size="xs"
          w={86}
          label="Risk"
          value={draft.risk}
          onChange={(e) => set('risk', e.currentTarget.value as Risk | '')}
          data={[{ value: '', label: 'Any' }, ...RISKS.map((r) => ({ value: r, label: r }))]}
        />
        <TextInput
          size="xs"
          w={164}
          type="datetime-local"
          label="From"
          value={draft.from}
          onChange={(e) => set('from', e.currentTarget.value)}
        />
        <TextInput
          size="xs"
          w={164}
          type="datetime-local"
          label="To"
          value={draft.to}
          onChange={(e) => set('to', e.currentTarget.value)}
        />
        <TextInput
          size="xs"
          miw={80}
          style={{ flex: 1 }}
          label="Words"
          placeholder="in details"
          value={draft.text}
          onChange={(e) => set('text', e.currentTarget.value)}
        />
        <Button size="xs" type="submit" leftSection={<Search size={14} aria-hidden />}>
          Apply
        </Button>
        {hasFilters(filters) && (
          <ActionIcon
            size={30}
            variant="subtle"
            aria-label="Clear the filters"
            title="Clear the filters"
            onClick={() => navigate(auditPath(EMPTY_FILTERS))}
          >
            <X size={16} aria-hidden />
          </ActionIcon>
        )}
      </Group>
    </form>
  )
}
