/** Local time for people, with the UTC value beside it. */
export const localTime = (isoTime: string): string => `${new Date(isoTime).toLocaleString()} (${isoTime})`

/** A plain aligned table for terminals. */
export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd()
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n') + '\n'
}

/**
 * RFC 4180 CSV with every field quoted. A field that a spreadsheet would run as a formula (=, +, -, @, tab, CR)
 * gets a leading apostrophe (OWASP CSV injection).
 */
export function csv(headers: string[], rows: string[][]): string {
  const q = (v: string) => `"${(/^[=+\-@\t\r]/.test(v) ? `'${v}` : v).replace(/"/g, '""')}"`
  return [headers, ...rows].map((r) => r.map(q).join(',')).join('\r\n') + '\r\n'
}
