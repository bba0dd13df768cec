import { PERMISSIONS, type Permission } from '../../../shared/permissions'

export interface PermissionGroup {
  domain: string
  permissions: Permission[]
}

/** Permissions by domain (`users:read` → users), in the contract's order. */
export function groupPermissions(perms: readonly Permission[] = PERMISSIONS): PermissionGroup[] {
  const groups: PermissionGroup[] = []
  for (const p of perms) {
    const domain = p.split(':')[0] ?? p
    const group = groups.find((g) => g.domain === domain)
    if (group) group.permissions.push(p)
    else groups.push({ domain, permissions: [p] })
  }
  return groups
}

export const verbOf = (p: Permission): string => p.split(':')[1] ?? p
