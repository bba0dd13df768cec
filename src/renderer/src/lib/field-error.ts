import type { z } from 'zod'

/** The first message a shared schema gives for a value, or null: the form says what main would say. */
export function fieldError(schema: z.ZodType, value: unknown): string | null {
  const parsed = schema.safeParse(value)
  return parsed.success ? null : (parsed.error.issues[0]?.message ?? 'Check this field')
}
