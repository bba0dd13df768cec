const pad = (n: number): string => String(n).padStart(2, '0')

/** `2026-12-04 21:30:05` in the viewer's local time: sortable and unambiguous in dense tables. */
export function localTime(iso: string): string {
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`
}

/** `2026-12-04 20:30:05 UTC`, for the title attribute next to every local time. */
export function utcTime(iso: string): string {
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  return `${d.toISOString().slice(0, 19).replace('T', ' ')} UTC`
}

/** `1:05:09` or `14:32`: what a countdown shows. */
export function duration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000))
  const h = Math.floor(total / 3600)
  const m = Math.floor((total % 3600) / 60)
  const s = total % 60
  return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`
}

/** An administrator's lock has no end; main stores it as the last second of the year 9999. */
export function isIndefinite(iso: string): boolean {
  return new Date(iso).getUTCFullYear() >= 9999
}

/** The value a native `<input type="datetime-local">` shows for a time: `2026-12-05T09:30` in local time. */
export function toDateTimeLocal(ms: number): string {
  const d = new Date(ms)
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`
}

/** A `datetime-local` value (local time, no offset) as an ISO instant, or null when it is not a time. */
export function fromDateTimeLocal(value: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(value)) return null
  // Without an offset, the date-time form is read as local time (ECMAScript Date.parse).
  const d = new Date(value)
  return Number.isNaN(d.getTime()) ? null : d.toISOString()
}

/** The viewer's own time zone (IANA name), e.g. `Europe/Berlin`. */
export function localZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone
}
