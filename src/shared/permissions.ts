/** Permissions and built-in roles of the product's reference design, as data. */
export const PERMISSIONS = [
  'quantum:read',
  'quantum:create',
  'quantum:update',
  'quantum:delete',
  'quantum:synchronize',
  'consciousness:read',
  'consciousness:create',
  'consciousness:send',
  'consciousness:manage',
  'users:read',
  'users:create',
  'users:update',
  'users:delete',
  'system:monitor',
  'system:configure',
  'system:backup',
] as const

export type Permission = (typeof PERMISSIONS)[number]

const USER_GRANTS: readonly Permission[] = [
  'quantum:read',
  'quantum:create',
  'consciousness:read',
  'consciousness:create',
  'consciousness:send',
]
const RESEARCHER_GRANTS: readonly Permission[] = [
  ...USER_GRANTS,
  'quantum:update',
  'quantum:synchronize',
  'consciousness:manage',
]

export const BUILTIN_ROLES: Readonly<Record<'user' | 'researcher' | 'admin', readonly Permission[]>> = {
  user: USER_GRANTS,
  researcher: RESEARCHER_GRANTS,
  admin: PERMISSIONS,
}

export type BuiltinRole = keyof typeof BUILTIN_ROLES

export const isPermission = (value: string): value is Permission =>
  (PERMISSIONS as readonly string[]).includes(value)
