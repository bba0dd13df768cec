import { ZxcvbnFactory } from '@zxcvbn-ts/core'
import { adjacencyGraphs, dictionary } from '@zxcvbn-ts/language-common'
import type { PasswordVerdict } from '../../../shared/contract'

/** Password-policy presets as data. The identity issue makes the preset configurable by an admin. */
export interface PasswordPreset {
  id: 'nist' | 'reference'
  label: string
  description: string
  minLength: number
  maxLength: number
  requireClasses: boolean
  minScore: number
}

export const PASSWORD_PRESETS: Record<PasswordPreset['id'], PasswordPreset> = {
  nist: {
    id: 'nist',
    label: 'NIST/ASVS',
    description:
      'At least 12 characters, no composition rules (NIST SP 800-63B, OWASP ASVS 5.0 6.2.5); not a common password; not containing your name or e-mail; strong enough against guessing.',
    minLength: 12,
    maxLength: 1024,
    requireClasses: false,
    minScore: 3,
  },
  reference: {
    id: 'reference',
    label: 'Reference',
    description:
      'The reference design: at least 12 characters with upper-case, lower-case, a digit and a symbol; plus every NIST/ASVS check.',
    minLength: 12,
    maxLength: 1024,
    requireClasses: true,
    minScore: 3,
  },
}

const COMMON = new Set(dictionary['passwords-common'].map((p) => p.toLowerCase()))
let zxcvbn: ZxcvbnFactory | null = null
const strength = (pw: string, userInputs: string[]): number => {
  zxcvbn ??= new ZxcvbnFactory({ dictionary, graphs: adjacencyGraphs })
  // zxcvbn is quadratic in length; past 100 characters the score is 4 by length alone.
  return zxcvbn.check(pw.slice(0, 100), userInputs).score
}

export function evaluatePassword(
  password: string,
  context: { name?: string; email?: string },
  preset: PasswordPreset = PASSWORD_PRESETS.nist,
): PasswordVerdict {
  const failures: PasswordVerdict['failures'] = []
  const chars = [...password].length
  if (chars < preset.minLength) {
    failures.push({
      rule: 'min-length',
      message: `Use at least ${preset.minLength} characters (this has ${chars}).`,
    })
  }
  if (chars > preset.maxLength) {
    failures.push({ rule: 'max-length', message: `Use at most ${preset.maxLength} characters.` })
  }
  if (preset.requireClasses) {
    const missing = [
      [/[A-Z]/, 'an upper-case letter'],
      [/[a-z]/, 'a lower-case letter'],
      [/[0-9]/, 'a digit'],
      [/[^A-Za-z0-9]/, 'a symbol'],
    ]
      .filter(([re]) => !(re as RegExp).test(password))
      .map(([, what]) => what)
    if (missing.length > 0) failures.push({ rule: 'composition', message: `Add ${missing.join(', ')}.` })
  }
  const lower = password.toLowerCase()
  if (COMMON.has(lower))
    failures.push({ rule: 'common', message: 'This is a commonly used password; choose another.' })
  const personal = [context.name, context.email, context.email?.split('@')[0]].filter(
    (v): v is string => typeof v === 'string' && v.length >= 3,
  )
  if (personal.some((p) => lower.includes(p.toLowerCase()))) {
    failures.push({ rule: 'personal', message: 'Do not use your account name or e-mail in the password.' })
  }
  const score = strength(password, personal)
  if (score < preset.minScore) {
    failures.push({
      rule: 'strength',
      message:
        'Too easy to guess (common words, names, dates or keyboard patterns). Add more unrelated words.',
    })
  }
  return { acceptable: failures.length === 0, score, failures, preset: preset.id }
}
