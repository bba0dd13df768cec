import { Button, Menu } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { ChevronDown, Download } from 'lucide-react'
import { useState } from 'react'
import { downloadText } from '../../lib/download'
import { callApi } from '../../store/call'

const FORMATS = [
  { value: 'html', label: 'HTML report (one self-contained file)' },
  { value: 'sarif', label: 'SARIF 2.1.0 (code-scanning tools)' },
  { value: 'cyclonedx', label: 'CycloneDX 1.5 (SBOM with vulnerabilities)' },
  { value: 'json', label: 'JSON (the full report)' },
  { value: 'table', label: 'Text table' },
] as const

/** Downloads the scan in any format main renders: a Blob behind an object URL, revoked after the click. */
export function ExportMenu({ scanId }: { scanId: string | null }) {
  const [busy, setBusy] = useState(false)
  const run = async (format: (typeof FORMATS)[number]['value']) => {
    if (!scanId) return
    setBusy(true)
    const r = await callApi('scans.export', { scanId, format })
    setBusy(false)
    if (!r.ok) {
      notifications.show({
        color: 'red',
        title: 'The export failed',
        message: `${r.error.message} (${r.error.code})`,
      })
      return
    }
    downloadText(r.value.fileName, r.value.text, r.value.mediaType)
  }
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <Button
          size="xs"
          variant="default"
          leftSection={<Download size={14} aria-hidden />}
          rightSection={<ChevronDown size={14} aria-hidden />}
          disabled={!scanId}
          loading={busy}
        >
          Export
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>Download this scan as</Menu.Label>
        {FORMATS.map((f) => (
          <Menu.Item key={f.value} onClick={() => void run(f.value)}>
            {f.label}
          </Menu.Item>
        ))}
      </Menu.Dropdown>
    </Menu>
  )
}
