import { Alert, Group, List, Paper, SimpleGrid, Stack, Text } from '@mantine/core'
import type { ReactNode } from 'react'
import { TriangleAlert } from 'lucide-react'
import { LocalTime } from '../../components/LocalTime'
import { SeverityBadge } from '../../components/SeverityBadge'
import type { Severity } from '../../lib/severity'
import { SEVERITY_COLOR } from '../../lib/severity'
import { plural } from '../../lib/words'
import { SCAN_SEVERITIES, type ScanDetail } from './scan-types'

/** The band a risk score falls in, with the same five colours as every severity. */
export function riskLevel(score: number): Severity {
  if (score >= 75) return 'critical'
  if (score >= 50) return 'high'
  if (score >= 25) return 'medium'
  if (score > 0) return 'low'
  return 'info'
}

function Tile({ label, value, hint }: { label: string; value: ReactNode; hint?: string }) {
  return (
    <Paper withBorder p="xs">
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="lg" fw={700} lh={1.3}>
        {value}
      </Text>
      {hint && (
        <Text size="xs" c="dimmed">
          {hint}
        </Text>
      )}
    </Paper>
  )
}

/** One scan at a glance: risk score, open findings by severity, what changed since the last scan, warnings. */
export function ScanSummary({ scan }: { scan: ScanDetail }) {
  const level = riskLevel(scan.riskScore)
  const { bySeverity, files, packages } = scan.summary
  const t = scan.tracking
  return (
    <Stack gap="xs" data-testid="scan-summary">
      <Group gap="xs" wrap="nowrap">
        <Text size="sm" className="qq-mono" truncate title={scan.root}>
          {scan.root}
        </Text>
        <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
          finished <LocalTime iso={scan.finishedAt} /> · {plural(files, 'file')} ·{' '}
          {plural(packages, 'package')}
          {scan.advisoryDb ? ` · ${scan.advisoryDb.count.toLocaleString()} advisories` : ''}
        </Text>
      </Group>
      <SimpleGrid cols={{ base: 3, md: 6 }} spacing="xs">
        <Paper withBorder p="xs" data-testid="risk-score">
          <Text size="xs" c="dimmed">
            Risk score
          </Text>
          <Group gap={6} align="baseline">
            <Text size="lg" fw={700} lh={1.3} c={`${SEVERITY_COLOR[level]}.6`}>
              {scan.riskScore}
            </Text>
            <Text size="xs" c="dimmed">
              of 100
            </Text>
          </Group>
          <SeverityBadge level={level} />
          <Text size="xs" c="dimmed" mt={2} data-testid="risk-score-basis">
            {t.accepted > 0
              ? `open findings only; ${scan.riskScoreWithAccepted} counting the ${t.accepted} accepted`
              : 'open findings; none accepted'}
          </Text>
        </Paper>
        <Paper withBorder p="xs" data-testid="open-by-severity">
          <Text size="xs" c="dimmed">
            Open by severity
          </Text>
          <Stack gap={2} mt={2}>
            {SCAN_SEVERITIES.map((s) => (
              <Group key={s} justify="space-between" gap={4} wrap="nowrap">
                <SeverityBadge level={s} />
                <Text size="xs" fw={600}>
                  {bySeverity[s]}
                </Text>
              </Group>
            ))}
          </Stack>
        </Paper>
        <Tile
          label="New"
          value={t.new}
          hint={t.previousScanId ? 'since the last scan' : 'first scan of this folder'}
        />
        <Tile label="Still open" value={t.open} hint="seen in the last scan too" />
        <Tile label="Fixed" value={t.fixed.length} hint="gone since the last scan" />
        <Tile
          label="Accepted"
          value={t.accepted}
          hint="by waivers as they stand now, ignore file or baseline"
        />
      </SimpleGrid>
      {scan.warnings.length > 0 && (
        <Alert
          color="orange"
          variant="light"
          icon={<TriangleAlert size={18} aria-hidden />}
          title={`${scan.warnings.length} warning${scan.warnings.length === 1 ? '' : 's'}: the result may be incomplete`}
          data-testid="scan-warnings"
        >
          <List size="sm" spacing={2}>
            {scan.warnings.map((w) => (
              <List.Item key={w}>{w}</List.Item>
            ))}
          </List>
        </Alert>
      )}
    </Stack>
  )
}
