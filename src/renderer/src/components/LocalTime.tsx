import { localTime, utcTime } from '../lib/time'

/** Local time to read, UTC on hover. */
export function LocalTime({ iso }: { iso: string }) {
  return (
    <time dateTime={iso} title={utcTime(iso)}>
      {localTime(iso)}
    </time>
  )
}
