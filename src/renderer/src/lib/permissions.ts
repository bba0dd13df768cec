import type { Permission } from '../../../shared/permissions'
import { useAppStore } from '../store'

/** Whether the signed-in account holds a permission (from auth.session): for showing or hiding actions only. */
export function useCan(permission: Permission): boolean {
  return useAppStore((s) => s.session?.permissions.includes(permission) ?? false)
}
