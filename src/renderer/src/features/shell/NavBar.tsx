import { Kbd, NavLink, Stack } from '@mantine/core'
import { hrefFor } from '../../lib/hash-router'
import { ROUTES, type RouteId } from './routes'

export function NavBar({ active }: { active: RouteId }) {
  return (
    <Stack component="nav" aria-label="Views" gap={2} p="xs">
      {ROUTES.map((r) => {
        const Icon = r.icon
        return (
          <NavLink
            key={r.id}
            component="a"
            href={hrefFor(r.id)}
            label={r.label}
            active={r.id === active}
            aria-current={r.id === active ? 'page' : undefined}
            leftSection={<Icon size={16} aria-hidden />}
            rightSection={
              <Kbd size="xs" aria-hidden style={{ opacity: 0.6 }}>
                g {r.key}
              </Kbd>
            }
            variant="light"
          />
        )
      })}
    </Stack>
  )
}
