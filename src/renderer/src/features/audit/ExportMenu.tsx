import { Button, Group, Menu, Modal, Progress, Stack, Text } from '@mantine/core'
import { ChevronDown, Download } from 'lucide-react'
import { useRef, useState } from 'react'
import type { CallError } from '../../../../shared/result'
import { ErrorAlert } from '../../components/ErrorAlert'
import { downloadText, fileStamp } from '../../lib/download'
import { callApi } from '../../store/call'
import { EvidenceBundleDialog } from './EvidenceBundleDialog'

type Format = 'jsonl' | 'cef' | 'syslog'
const FORMATS: { value: Format; label: string; ext: string; mime: string }[] = [
  { value: 'jsonl', label: 'JSON Lines', ext: 'jsonl', mime: 'application/x-ndjson' },
  { value: 'cef', label: 'CEF (ArcSight)', ext: 'cef', mime: 'text/plain' },
  { value: 'syslog', label: 'Syslog (RFC 5424)', ext: 'log', mime: 'text/plain' },
]
const PAGE = 10_000

interface Progress {
  format: (typeof FORMATS)[number]
  pages: number
  entries: number
  state: 'running' | 'done' | 'cancelled' | 'failed'
  error: CallError | null
  file: string | null
  startedAt: number
}

/** Export the audit log (the period of the filter, if any) page by page, then the evidence bundle dialog. */
export function ExportMenu({ from, to }: { from: string; to: string }) {
  const [progress, setProgress] = useState<Progress | null>(null)
  const [bundleOpen, setBundleOpen] = useState(false)
  const cancelled = useRef(false)

  const run = async (format: (typeof FORMATS)[number]) => {
    cancelled.current = false
    const startedAt = Date.now()
    let p: Progress = { format, pages: 0, entries: 0, state: 'running', error: null, file: null, startedAt }
    setProgress(p)
    const parts: string[] = []
    let afterSeq = 0
    for (;;) {
      const result = await callApi('audit.export', {
        format: format.value,
        afterSeq,
        limit: PAGE,
        ...(from ? { from } : {}),
        ...(to ? { to } : {}),
      })
      if (cancelled.current) {
        setProgress({ ...p, state: 'cancelled' })
        return
      }
      if (!result.ok) {
        setProgress({ ...p, state: 'failed', error: result.error })
        return
      }
      parts.push(result.value.text)
      p = { ...p, pages: p.pages + 1, entries: p.entries + result.value.entries }
      setProgress(p)
      if (!result.value.hasMore || result.value.entries === 0) break
      afterSeq = result.value.lastSeq
    }
    const file = `qqsec-audit-${fileStamp(new Date().toISOString())}.${format.ext}`
    downloadText(file, parts.join(''), format.mime)
    setProgress({ ...p, state: 'done', file })
  }

  const seconds = progress ? Math.max(0.1, (Date.now() - progress.startedAt) / 1000) : 1
  return (
    <>
      <Menu position="bottom-end" withinPortal>
        <Menu.Target>
          <Button
            size="xs"
            variant="default"
            leftSection={<Download size={14} aria-hidden />}
            rightSection={<ChevronDown size={14} aria-hidden />}
          >
            Export
          </Button>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Label>{from || to ? 'Entries in the filter’s period' : 'The whole audit log'}</Menu.Label>
          {FORMATS.map((f) => (
            <Menu.Item key={f.value} onClick={() => void run(f)}>
              {f.label}
            </Menu.Item>
          ))}
          <Menu.Divider />
          <Menu.Item onClick={() => setBundleOpen(true)}>Evidence bundle…</Menu.Item>
        </Menu.Dropdown>
      </Menu>
      <Modal
        opened={progress !== null}
        onClose={() => {
          if (progress?.state === 'running') cancelled.current = true
          setProgress(null)
        }}
        title={progress ? `Export as ${progress.format.label}` : 'Export'}
        size="md"
      >
        {progress && (
          <Stack gap="sm" data-testid="export-progress" data-state={progress.state}>
            <Progress
              value={100}
              animated={progress.state === 'running'}
              striped={progress.state === 'running'}
              color={progress.state === 'failed' ? 'red' : progress.state === 'done' ? 'teal' : undefined}
              aria-label="Export progress"
            />
            <Text size="sm" aria-live="polite">
              {progress.pages} page(s), {progress.entries.toLocaleString()} entries
              {progress.state === 'running' &&
                ` · ${Math.round(progress.entries / seconds).toLocaleString()} entries/s`}
              {progress.state === 'done' && ` — saved as ${progress.file ?? ''}`}
              {progress.state === 'cancelled' && ' — cancelled, nothing was saved'}
            </Text>
            {progress.error && <ErrorAlert error={progress.error} title="The export stopped" />}
            <Group justify="flex-end">
              {progress.state === 'running' ? (
                <Button variant="default" onClick={() => (cancelled.current = true)}>
                  Cancel
                </Button>
              ) : (
                <Button variant="default" onClick={() => setProgress(null)}>
                  Close
                </Button>
              )}
            </Group>
          </Stack>
        )}
      </Modal>
      <EvidenceBundleDialog
        opened={bundleOpen}
        onClose={() => setBundleOpen(false)}
        initial={{ ...(from ? { from } : {}), ...(to ? { to } : {}) }}
      />
    </>
  )
}
