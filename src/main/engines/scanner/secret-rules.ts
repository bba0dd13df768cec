import type { Severity } from './osv'

/** A credential format: rules as data (id, what it finds, how sure). Group 1 of `pattern` is the secret. */
export interface SecretRule {
  id: string
  title: string
  severity: Severity
  /** Lower-case words one of which must occur in a file before the pattern is tried (fast pre-filter). */
  keywords: string[]
  pattern: RegExp
  /** Minimum Shannon entropy (bits/char) of the secret; filters placeholders such as "changeme". */
  minEntropy?: number
}

export const SECRET_RULES: readonly SecretRule[] = [
  {
    id: 'aws-access-key-id',
    title: 'AWS access key id',
    severity: 'high',
    keywords: ['akia', 'asia', 'abia', 'acca'],
    pattern: /\b((?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16})\b/g,
    minEntropy: 3,
  },
  {
    id: 'aws-secret-access-key',
    title: 'AWS secret access key',
    severity: 'critical',
    keywords: ['aws'],
    pattern: /aws.{0,24}?(?:secret|private).{0,24}?[=:]\s*["']?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+])/gi,
    minEntropy: 4,
  },
  {
    id: 'github-token',
    title: 'GitHub token',
    severity: 'high',
    keywords: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_', 'github_pat_'],
    pattern: /\b((?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{82})\b/g,
    minEntropy: 3,
  },
  {
    id: 'gitlab-token',
    title: 'GitLab personal access token',
    severity: 'high',
    keywords: ['glpat-'],
    pattern: /\b(glpat-[A-Za-z0-9_-]{20,})\b/g,
    minEntropy: 3,
  },
  {
    id: 'slack-token',
    title: 'Slack token',
    severity: 'high',
    keywords: ['xoxb-', 'xoxp-', 'xoxa-', 'xoxr-', 'xoxs-', 'xoxe-'],
    pattern: /\b(xox[abprse]-[0-9A-Za-z-]{10,250})\b/g,
    minEntropy: 3,
  },
  {
    id: 'slack-webhook',
    title: 'Slack incoming webhook',
    severity: 'medium',
    keywords: ['hooks.slack.com'],
    pattern: /(https:\/\/hooks\.slack\.com\/(?:services|workflows)\/[A-Za-z0-9+/]{40,})/g,
  },
  {
    id: 'discord-webhook',
    title: 'Discord webhook',
    severity: 'medium',
    keywords: ['discord'],
    pattern: /(https:\/\/(?:ptb\.|canary\.)?discord(?:app)?\.com\/api\/webhooks\/\d+\/[\w-]{60,})/g,
  },
  {
    id: 'stripe-secret-key',
    title: 'Stripe secret key',
    severity: 'critical',
    keywords: ['sk_live_', 'rk_live_'],
    pattern: /\b((?:sk|rk)_live_[A-Za-z0-9]{20,})\b/g,
    minEntropy: 3,
  },
  {
    id: 'google-api-key',
    title: 'Google API key',
    severity: 'high',
    keywords: ['aiza'],
    pattern: /\b(AIza[0-9A-Za-z_-]{35})(?![0-9A-Za-z_-])/g,
    minEntropy: 3,
  },
  {
    id: 'npm-token',
    title: 'npm access token',
    severity: 'high',
    keywords: ['npm_'],
    pattern: /\b(npm_[A-Za-z0-9]{36})\b/g,
    minEntropy: 3,
  },
  {
    id: 'private-key',
    title: 'Private key block',
    severity: 'critical',
    keywords: ['private key'],
    pattern:
      /-----BEGIN ((?:RSA |EC |DSA |OPENSSH |PGP |ENCRYPTED )?PRIVATE KEY(?: BLOCK)?)-----[\s\S]{64,}?-----END \1-----/g,
  },
  {
    id: 'jwt',
    title: 'JSON Web Token',
    severity: 'medium',
    keywords: ['eyj'],
    pattern: /\b(eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,})(?![A-Za-z0-9_-])/g,
    minEntropy: 4,
  },
  {
    id: 'connection-string-password',
    title: 'Password in a connection string',
    severity: 'high',
    keywords: ['://'],
    pattern:
      /\b(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|redis|rediss|amqps?|mssql):\/\/[^\s:@/"'`]+:([^\s@/"'`$]{6,})@/g,
    minEntropy: 2.5,
  },
  {
    id: 'generic-secret-assignment',
    title: 'High-entropy value assigned to a secret-named key',
    severity: 'medium',
    keywords: ['pass', 'pwd', 'secret', 'token', 'api_key', 'apikey', 'api-key', 'access_key', 'auth'],
    pattern:
      /(?:passw(?:or)?d|pwd|secret|token|api[_-]?key|access[_-]?key|auth[_-]?key|client[_-]?secret)[\w-]*["']?\s*(?:[:=]|=>)\s*["'`]([^"'`\s]{12,200})["'`]/gi,
    minEntropy: 3.7,
  },
]
