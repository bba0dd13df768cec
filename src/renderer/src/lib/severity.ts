/**
 * The one severity scale and its colours, used by every view, chart and report: always colour and word.
 * Mantine colour names, so both themes get their own contrast-checked shade.
 */
export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const

export type Severity = (typeof SEVERITIES)[number]

export const SEVERITY_COLOR: Readonly<Record<Severity, string>> = {
  critical: 'red',
  high: 'orange',
  medium: 'yellow',
  low: 'blue',
  info: 'gray',
}

export const SEVERITY_LABEL: Readonly<Record<Severity, string>> = {
  critical: 'Critical',
  high: 'High',
  medium: 'Medium',
  low: 'Low',
  info: 'Info',
}
