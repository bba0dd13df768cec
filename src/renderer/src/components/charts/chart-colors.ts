import { SEVERITY_COLOR, type Severity } from '../../lib/severity'

/** SVG fill for a severity, from the one severity map: Mantine's filled shade follows the theme. */
export const severityFill = (s: Severity): string => `var(--mantine-color-${SEVERITY_COLOR[s]}-filled)`

/**
 * Colours for categories (event types, attack categories). Deliberately none of the severity colours, so a
 * category never reads as a severity.
 */
const CATEGORY_COLORS = ['indigo', 'teal', 'grape', 'cyan', 'pink', 'lime', 'violet', 'green'] as const

export const categoryFill = (index: number): string => {
  const name = CATEGORY_COLORS[index % CATEGORY_COLORS.length] ?? 'indigo'
  return `var(--mantine-color-${name}-${index >= CATEGORY_COLORS.length ? 4 : 6})`
}
