import { BUILTIN_ROLES, PERMISSIONS, type Permission } from '../../../shared/permissions'
import type { Access } from '../../../shared/contract'

export interface Decision {
  allowed: boolean
  /** Which grant allowed it, or which check failed: recorded in the audit entry. */
  reason: string
}

/** Effective permissions of a set of roles (unknown roles grant nothing: deny by default). */
export function permissionsFor(roles: readonly string[]): Permission[] {
  const granted = new Set<Permission>()
  for (const role of roles) {
    const grants = (BUILTIN_ROLES as Record<string, readonly Permission[] | undefined>)[role]
    for (const p of grants ?? []) granted.add(p)
  }
  return PERMISSIONS.filter((p) => granted.has(p))
}

export function authorize(roles: readonly string[], access: Access): Decision {
  if (access === 'public') return { allowed: true, reason: 'public call' }
  if (access === 'session') return { allowed: true, reason: 'any signed-in account' }
  for (const role of roles) {
    const grants = (BUILTIN_ROLES as Record<string, readonly Permission[] | undefined>)[role]
    if (grants?.includes(access)) return { allowed: true, reason: `role ${role} grants ${access}` }
  }
  return { allowed: false, reason: `no role of this account grants ${access}` }
}
