import { z } from 'zod'

/** Field schemas shared by the contract and the renderer's forms, so both reject the same input with the same words. */
export const accountName = z
  .string()
  .trim()
  .min(2, 'Account name needs at least 2 characters')
  .max(64, 'Account name can have at most 64 characters')
  .regex(/^[a-z0-9][a-z0-9._-]*$/, 'Account name: lower-case letters, digits, dot, dash and underscore only')

export const password = z
  .string()
  .min(1, 'Enter a password')
  .max(1024, 'Passwords can have at most 1024 characters')

export const email = z.string().trim().max(254).email('Enter a valid e-mail address')

export const otpCode = z.string().regex(/^\d{6,8}$/, 'A one-time code is 6 to 8 digits')

export const isoTime = z.string().datetime({ offset: true })

export const backupCode = z.string().trim().min(10, 'A backup code has 10 characters').max(16)
