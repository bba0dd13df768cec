/** Characters that make a spreadsheet read a cell as a formula (CSV injection), also after a tab or CR. */
const FORMULA_START = /^[=+\-@\t\r]/

/** One CSV field: quoted always, inner quotes doubled, and a leading formula character defused with `'`. */
export function csvField(value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value
  return `"${safe.replace(/"/g, '""')}"`
}

/** RFC 4180 lines (CRLF), every field quoted. */
export function toCsv(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return [header, ...rows].map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n'
}
