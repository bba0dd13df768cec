import { generateSync } from 'otplib'

/** The code an authenticator app would show now for this secret (TOTP, SHA-1, 6 digits, 30 s). */
export const totp = (secret: string): string =>
  generateSync({ secret, epoch: Math.floor(Date.now() / 1000), period: 30, digits: 6 })
