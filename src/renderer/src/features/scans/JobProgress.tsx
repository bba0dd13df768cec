import { Button, Group, Paper, Progress, Stack, Text } from '@mantine/core'
import { CircleStop } from 'lucide-react'
import type { JobView } from '../../../../shared/contract'
import { duration } from '../../lib/time'

const count = (n: number, unit: string): string =>
  unit === 'bytes' ? formatBytes(n) : `${Math.round(n).toLocaleString()} ${unit}`

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`
  if (n < 1024 * 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MiB`
  return `${(n / 1024 / 1024 / 1024).toFixed(2)} GiB`
}

interface Props {
  job: JobView
  /** "Scanning /srv/app" — what the job is doing, in the user's words. */
  label: string
  cancelling: boolean
  onCancel: () => void
  now: number
}

/** A running job: bar with done/total, rate, elapsed time and current item, and a Cancel button. */
export function JobProgress({ job, label, cancelling, onCancel, now }: Props) {
  const { done, total, unit, current, rate } = job.progress
  const pct = total && total > 0 ? Math.min(100, (done / total) * 100) : null
  const elapsed = now - new Date(job.startedAt).getTime()
  // A scan lists the folder first (unit "files found", no total yet), then scans file by file.
  const listing = total === null && unit === 'files found'
  const counts =
    total !== null
      ? `${count(done, unit)} of ${count(total, unit)}`
      : listing
        ? `Listing the folder: ${count(done, unit)} so far`
        : `${count(done, unit)} (counting ${unit}…)`
  const perSecond = unit === 'bytes' ? `${formatBytes(rate)}/s` : `${rate.toFixed(1)} ${unit}/s`
  return (
    <Paper withBorder p="sm" data-testid="job-progress" aria-live="polite">
      <Stack gap={6}>
        <Group justify="space-between" wrap="nowrap">
          <Text size="sm" fw={600}>
            {label}
          </Text>
          <Button
            size="compact-sm"
            variant="default"
            color="red"
            leftSection={<CircleStop size={14} aria-hidden />}
            onClick={onCancel}
            loading={cancelling}
          >
            Cancel
          </Button>
        </Group>
        <Progress
          value={pct ?? 100}
          animated={pct === null}
          striped={pct === null}
          size="md"
          aria-label={`${label}: ${pct === null ? (listing ? 'listing files' : 'counting') : `${Math.floor(pct)} %`}`}
        />
        <Group gap="md" wrap="nowrap">
          <Text size="xs" data-testid="job-counts">
            {counts}
            {pct !== null && ` (${Math.floor(pct)} %)`}
          </Text>
          <Text size="xs" c="dimmed">
            {perSecond}
          </Text>
          <Text size="xs" c="dimmed">
            {duration(elapsed)} elapsed
          </Text>
        </Group>
        <Text size="xs" c="dimmed" className="qq-mono" truncate="start" title={current ?? undefined}>
          {current !== null && listing ? `${current}/` : (current ?? ' ')}
        </Text>
      </Stack>
    </Paper>
  )
}
