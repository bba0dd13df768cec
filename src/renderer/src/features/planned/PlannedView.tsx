import { EmptyState, List, Paper, Text } from '@mantine/core'
import type { LucideIcon } from 'lucide-react'
import { ViewHeader } from '../../components/ViewHeader'

export interface PlannedViewSpec {
  title: string
  icon: LucideIcon
  purpose: string
  will: readonly string[]
  issue: number
}

/** A view whose engine is not built yet: says what it will do and which issue delivers it. */
export function PlannedView({ spec }: { spec: PlannedViewSpec }) {
  const Icon = spec.icon
  return (
    <>
      <ViewHeader title={spec.title} description={spec.purpose} />
      <Paper withBorder p="xl" radius="md">
        <EmptyState
          icon={<Icon size={28} aria-hidden />}
          withIndicatorBackground
          title={`${spec.title} is not built yet`}
          description={
            <>Issue #{spec.issue} delivers this view. Until then nothing here reads or changes any data.</>
          }
        >
          <Text size="sm" fw={500} mt="md" mb={4}>
            What it will do
          </Text>
          <List size="sm" spacing={4} ta="left" maw={560} mx="auto">
            {spec.will.map((line) => (
              <List.Item key={line}>{line}</List.Item>
            ))}
          </List>
        </EmptyState>
      </Paper>
    </>
  )
}
