import { isIndefinite, localTime, utcTime } from '../lib/time'

/** Local time to read, UTC on hover. */
export function LocalTime({ iso }: { iso: string }) {
  return (
    <time dateTime={iso} title={utcTime(iso)}>
      {localTime(iso)}
    </time>
  )
}

/** The end of a lock: a time, or "until unlocked" when an administrator locked it without an end. */
export function LockEnd({ iso }: { iso: string }) {
  if (isIndefinite(iso)) return <span>until an administrator unlocks it</span>
  return (
    <span>
      until <LocalTime iso={iso} />
    </span>
  )
}
