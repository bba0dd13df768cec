import { z } from 'zod'

/**
 * Argon2id parameters as a value object with allowed ranges (after Bitwarden's KdfConfig): a keystore file
 * whose parameters fall below the floor is refused rather than used, so a tampered file cannot downgrade it.
 * Floor: OWASP's argon2id minimum (19 MiB, t=2, p=1). Default is well above it; deriving the keystore key
 * happens once per process start.
 */
export const KDF_FLOOR = { memoryKiB: 19_456, iterations: 2, parallelism: 1 } as const
export const KDF_DEFAULT = { memoryKiB: 65_536, iterations: 3, parallelism: 1 } as const

export const kdfParamsSchema = z.strictObject({
  algorithm: z.literal('argon2id'),
  memoryKiB: z
    .number()
    .int()
    .min(KDF_FLOOR.memoryKiB)
    .max(4 * 1024 * 1024),
  iterations: z.number().int().min(KDF_FLOOR.iterations).max(100),
  parallelism: z.number().int().min(KDF_FLOOR.parallelism).max(16),
  salt: z.string().regex(/^[A-Za-z0-9+/]{22,}={0,2}$/, 'salt must be base64 of at least 16 bytes'),
})

export type KdfParams = z.infer<typeof kdfParamsSchema>
