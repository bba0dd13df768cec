import { Alert, Code, Text } from '@mantine/core'
import { ShieldOff } from 'lucide-react'
import type { Permission } from '../../../shared/permissions'

/** Said plainly instead of hiding the view: which permission would show it. */
export function MissingPermission({ permission, what }: { permission: Permission; what: string }) {
  return (
    <Alert
      color="gray"
      variant="light"
      icon={<ShieldOff size={18} aria-hidden />}
      title="Not available to your roles"
    >
      <Text size="sm">
        {what} needs the permission <Code>{permission}</Code>, which none of your roles grants. An
        administrator can add a role that does.
      </Text>
    </Alert>
  )
}
