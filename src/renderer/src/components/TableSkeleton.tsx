import { Skeleton, Stack } from '@mantine/core'

/** Placeholder rows at the height of real ones, so nothing jumps when the data arrives. */
export function TableSkeleton({ rows = 8, label }: { rows?: number; label: string }) {
  return (
    <Stack gap={6} aria-busy="true" aria-label={label}>
      {Array.from({ length: rows }, (_, i) => (
        <Skeleton key={i} height={28} radius="sm" />
      ))}
    </Stack>
  )
}
