import {
  Button,
  Group,
  Paper,
  ScrollArea,
  Select,
  Table,
  Text,
  TextInput,
  UnstyledButton,
} from '@mantine/core'
import { useDebouncedCallback } from '@mantine/hooks'
import { FilterX, Search } from 'lucide-react'
import { useState } from 'react'
import { SeverityBadge } from '../../components/SeverityBadge'
import { SEVERITY_LABEL } from '../../lib/severity'
import { FindingStatusBadge } from './FindingStatusBadge'
import {
  KIND_LABEL,
  KINDS,
  locationOf,
  SCAN_SEVERITIES,
  STATUSES,
  type Finding,
  type FindingKind,
  type FindingStatus,
  type ScanSeverity,
} from './scan-types'

export interface FindingFilters {
  kind: FindingKind | null
  severity: ScanSeverity | null
  status: FindingStatus | null
  text: string
}

export const NO_FILTERS: FindingFilters = { kind: null, severity: null, status: null, text: '' }

const STATUS_LABEL: Record<FindingStatus, string> = { new: 'New', open: 'Open', accepted: 'Accepted' }

interface FilterProps {
  filters: FindingFilters
  onChange: (next: FindingFilters) => void
}

/** Kind, severity, status and text: each change goes to the address, so the view can be bookmarked. */
export function FindingFiltersBar({ filters, onChange }: FilterProps) {
  const [text, setText] = useState(filters.text)
  const [shownText, setShownText] = useState(filters.text)
  // The address changed under us (Back, a bookmark): show its text.
  if (filters.text !== shownText) {
    setShownText(filters.text)
    setText(filters.text)
  }
  const pushText = useDebouncedCallback((value: string) => onChange({ ...filters, text: value }), 300)
  const active = filters.kind || filters.severity || filters.status || filters.text
  return (
    <Group gap="xs" mb="xs" wrap="wrap" role="search" aria-label="Filter the findings">
      <Select
        size="xs"
        w={150}
        aria-label="Kind"
        placeholder="Any kind"
        clearable
        data={KINDS.map((k) => ({ value: k, label: KIND_LABEL[k] }))}
        value={filters.kind}
        onChange={(v) => onChange({ ...filters, kind: (v as FindingKind | null) ?? null })}
      />
      <Select
        size="xs"
        w={140}
        aria-label="Severity"
        placeholder="Any severity"
        clearable
        data={SCAN_SEVERITIES.map((s) => ({ value: s, label: SEVERITY_LABEL[s] }))}
        value={filters.severity}
        onChange={(v) => onChange({ ...filters, severity: (v as ScanSeverity | null) ?? null })}
      />
      <Select
        size="xs"
        w={140}
        aria-label="Status"
        placeholder="Any status"
        clearable
        data={STATUSES.map((s) => ({ value: s, label: STATUS_LABEL[s] }))}
        value={filters.status}
        onChange={(v) => onChange({ ...filters, status: (v as FindingStatus | null) ?? null })}
      />
      <TextInput
        size="xs"
        w={260}
        aria-label="Search the findings"
        placeholder="Package, advisory id, file, title…"
        leftSection={<Search size={14} aria-hidden />}
        value={text}
        onChange={(e) => {
          setText(e.currentTarget.value)
          pushText(e.currentTarget.value)
        }}
      />
      {active && (
        <Button
          size="compact-xs"
          variant="subtle"
          leftSection={<FilterX size={14} aria-hidden />}
          onClick={() => {
            setText('')
            onChange(NO_FILTERS)
          }}
        >
          Clear filters
        </Button>
      )}
    </Group>
  )
}

interface TableProps {
  findings: Finding[]
  matched: number
  onOpen: (fingerprint: string) => void
}

/** Severity (colour and word), kind, title, where, status. The title opens the detail (Enter works too). */
export function FindingsTable({ findings, matched, onOpen }: TableProps) {
  return (
    <Paper withBorder>
      <ScrollArea.Autosize mah="calc(100vh - 420px)" type="auto">
        <Table
          fz="sm"
          verticalSpacing={4}
          highlightOnHover
          stickyHeader
          aria-label="Findings of this scan"
          data-testid="findings-table"
        >
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={100}>Severity</Table.Th>
              <Table.Th w={120}>Kind</Table.Th>
              <Table.Th>Title</Table.Th>
              <Table.Th>Where</Table.Th>
              <Table.Th w={170}>Status</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {findings.map((f) => (
              <Table.Tr
                key={f.fingerprint}
                data-fingerprint={f.fingerprint}
                onClick={() => onOpen(f.fingerprint)}
                style={{ cursor: 'pointer' }}
              >
                <Table.Td>
                  <SeverityBadge level={f.severity} />
                </Table.Td>
                <Table.Td>{KIND_LABEL[f.kind]}</Table.Td>
                <Table.Td>
                  <UnstyledButton
                    fz="sm"
                    fw={500}
                    onClick={(e) => {
                      e.stopPropagation()
                      onOpen(f.fingerprint)
                    }}
                  >
                    {f.title}
                  </UnstyledButton>
                </Table.Td>
                <Table.Td>
                  <Text size="xs" className="qq-mono" truncate maw={320} title={locationOf(f)}>
                    {locationOf(f)}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <FindingStatusBadge finding={f} />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollArea.Autosize>
      {matched > findings.length && (
        <Text size="xs" c="dimmed" p="xs">
          Showing the first {findings.length} of {matched} matching findings; narrow the filters to see the
          rest.
        </Text>
      )}
    </Paper>
  )
}
