import { parse, type ParserPlugin } from '@babel/parser'
import { basename, extname } from 'node:path'
import { fingerprintOf, type ConfigFinding } from './findings'
import type { Severity } from './osv'

/** A configuration check: id, severity and what to do, as data. The matching lives in the AST walk below. */
export interface ConfigRule {
  id: string
  severity: Severity
  title: string
  fix: string
}

export const CONFIG_RULES = {
  'electron-node-integration': {
    severity: 'critical',
    title: 'Electron window with nodeIntegration: true',
    fix: 'Set nodeIntegration: false and expose only named functions through a preload script.',
  },
  'electron-context-isolation-off': {
    severity: 'high',
    title: 'Electron window with contextIsolation: false',
    fix: 'Set contextIsolation: true (the default) and use contextBridge in the preload script.',
  },
  'electron-sandbox-off': {
    severity: 'medium',
    title: 'Electron window with sandbox: false',
    fix: 'Set sandbox: true and bundle the preload script so it runs sandboxed.',
  },
  'electron-web-security-off': {
    severity: 'high',
    title: 'Electron window with webSecurity: false',
    fix: 'Remove webSecurity: false; serve content from a custom protocol instead of disabling the same-origin policy.',
  },
  'electron-insecure-content': {
    severity: 'high',
    title: 'Electron window with allowRunningInsecureContent: true',
    fix: 'Remove allowRunningInsecureContent and load every resource over HTTPS or the app protocol.',
  },
  'electron-missing-csp': {
    severity: 'medium',
    title: 'Electron app without a Content-Security-Policy',
    fix: 'Send a Content-Security-Policy header from the app protocol or add a CSP meta tag to every page.',
  },
  'electron-open-external-unchecked': {
    severity: 'medium',
    title: 'shell.openExternal called with input that is not checked',
    fix: 'Parse the URL with new URL() and allow only https: (and mailto:) to known hosts before openExternal.',
  },
  'tls-reject-unauthorized-off': {
    severity: 'high',
    title: 'TLS certificate verification switched off (rejectUnauthorized: false)',
    fix: 'Remove rejectUnauthorized: false; trust a private CA with the ca option instead.',
  },
  'tls-env-verification-off': {
    severity: 'high',
    title: 'NODE_TLS_REJECT_UNAUTHORIZED set to 0',
    fix: 'Do not set NODE_TLS_REJECT_UNAUTHORIZED; configure the CA instead.',
  },
  'tls-old-protocol': {
    severity: 'high',
    title: 'TLS/HTTPS allows a protocol below TLS 1.2',
    fix: "Set minVersion: 'TLSv1.2' (or TLSv1.3) and remove old secureProtocol values.",
  },
  'cors-wildcard-credentials': {
    severity: 'high',
    title: 'CORS allows any origin (*) together with credentials',
    fix: 'List the allowed origins explicitly when credentials are allowed.',
  },
  'server-missing-security-headers': {
    severity: 'low',
    title: 'HTTP server without security headers',
    fix: 'Send Content-Security-Policy, X-Content-Type-Options: nosniff, X-Frame-Options/frame-ancestors and HSTS (e.g. with helmet).',
  },
  'dotenv-committed': {
    severity: 'medium',
    title: '.env file in the project',
    fix: 'Remove the .env file from version control, rotate what it held, and commit a .env.example without values.',
  },
  'weak-password-policy': {
    severity: 'medium',
    title: 'Password policy allows passwords shorter than 12 characters',
    fix: 'Set authentication.passwordPolicy.minLength to at least 12.',
  },
  'mfa-disabled': {
    severity: 'medium',
    title: 'Multi-factor authentication switched off in app configuration',
    fix: 'Set mfaEnabled: true.',
  },
} as const satisfies Record<string, Omit<ConfigRule, 'id'>>

export type ConfigRuleId = keyof typeof CONFIG_RULES

/** Words one of which must occur before a source file is parsed at all. */
const TRIGGERS =
  /nodeIntegration|contextIsolation|sandbox|webSecurity|allowRunningInsecureContent|openExternal|rejectUnauthorized|NODE_TLS_REJECT_UNAUTHORIZED|minVersion|secureProtocol|Access-Control-Allow|credentials|passwordPolicy|mfaEnabled|BrowserWindow|createServer|express\(/

export const SOURCE_EXT = new Set(['.js', '.cjs', '.mjs', '.jsx', '.ts', '.cts', '.mts', '.tsx'])

interface AstNode {
  type: string
  loc?: { start: { line: number; column: number } } | null
  start?: number | null
  end?: number | null
  [k: string]: unknown
}

const isNode = (v: unknown): v is AstNode =>
  typeof v === 'object' && v !== null && typeof (v as { type?: unknown }).type === 'string'

function keyName(n: AstNode): string | null {
  const k = n['key']
  if (!isNode(k)) return null
  if (k.type === 'Identifier') return k['name'] as string
  if (k.type === 'StringLiteral') return k['value'] as string
  return null
}

const literal = (n: unknown): string | number | boolean | null => {
  if (!isNode(n)) return null
  if (n.type === 'BooleanLiteral' || n.type === 'NumericLiteral' || n.type === 'StringLiteral')
    return n['value'] as string | number | boolean
  return null
}

/** Project-wide facts the per-file checks collect, for the checks that need the whole project. */
export interface ProjectFacts {
  electronWindowAt: { file: string; line: number; column: number } | null
  hasCsp: boolean
  serverAt: { file: string; line: number; column: number } | null
  hasSecurityHeaders: boolean
}

export const emptyFacts = (): ProjectFacts => ({
  electronWindowAt: null,
  hasCsp: false,
  serverAt: null,
  hasSecurityHeaders: false,
})

const OLD_TLS = /^(TLSv1|TLSv1\.1|SSLv3|SSLv2|TLSv1_method|TLSv1_1_method|SSLv3_method|SSLv23_method)$/

function finding(
  file: string,
  id: ConfigRuleId,
  line: number,
  column: number,
  detail: string,
  n = 0,
): ConfigFinding {
  const r = CONFIG_RULES[id]
  return {
    kind: 'config',
    ruleId: id,
    title: r.title,
    severity: r.severity,
    fingerprint: fingerprintOf('config', file, id, detail, String(n)),
    status: 'new',
    accepted: null,
    file,
    line,
    column,
    message: r.title,
    fix: r.fix,
  }
}

/** Checks of one JS/TS source file, on a real syntax tree (a regex would misread comments and strings). */
export function checkSource(file: string, text: string, facts: ProjectFacts): ConfigFinding[] {
  if (/Content-Security-Policy/i.test(text)) facts.hasCsp = true
  if (/helmet|X-Content-Type-Options|Strict-Transport-Security/i.test(text)) facts.hasSecurityHeaders = true
  if (!TRIGGERS.test(text)) return []
  const ext = extname(file).toLowerCase()
  const plugins: ParserPlugin[] = ['jsx', 'decorators-legacy', 'importAttributes']
  if (ext.includes('ts')) plugins.push('typescript')
  let ast: AstNode
  try {
    ast = parse(text, {
      sourceType: 'unambiguous',
      plugins:
        ext === '.ts' || ext === '.mts' || ext === '.cts' ? ['typescript', 'decorators-legacy'] : plugins,
      errorRecovery: true,
    }) as unknown as AstNode
  } catch {
    return []
  }
  const out: ConfigFinding[] = []
  const counts = new Map<string, number>()
  const add = (id: ConfigRuleId, n: AstNode, detail: string) => {
    const loc = n.loc?.start ?? { line: 1, column: 0 }
    const key = `${id}:${detail}`
    const i = counts.get(key) ?? 0
    counts.set(key, i + 1)
    out.push(finding(file, id, loc.line, loc.column + 1, detail, i))
  }
  const src = (n: AstNode): string => text.slice(n.start ?? 0, n.end ?? 0)
  const guarded = new Set<AstNode>()

  const visit = (n: AstNode, fnStack: AstNode[]) => {
    switch (n.type) {
      case 'ObjectProperty': {
        const k = keyName(n)
        const v = literal(n['value'])
        if (k === 'nodeIntegration' && v === true) add('electron-node-integration', n, k)
        else if ((k === 'nodeIntegrationInWorker' || k === 'nodeIntegrationInSubFrames') && v === true)
          add('electron-node-integration', n, k)
        else if (k === 'contextIsolation' && v === false) add('electron-context-isolation-off', n, k)
        else if (k === 'sandbox' && v === false) add('electron-sandbox-off', n, k)
        else if (k === 'webSecurity' && v === false) add('electron-web-security-off', n, k)
        else if (k === 'allowRunningInsecureContent' && v === true) add('electron-insecure-content', n, k)
        else if (k === 'rejectUnauthorized' && v === false) add('tls-reject-unauthorized-off', n, k)
        else if ((k === 'minVersion' || k === 'secureProtocol') && typeof v === 'string' && OLD_TLS.test(v))
          add('tls-old-protocol', n, `${k}=${v}`)
        else if (k === 'mfaEnabled' && v === false) add('mfa-disabled', n, k)
        break
      }
      case 'ObjectExpression': {
        const props = (n['properties'] as unknown[]).filter(isNode)
        const byName = new Map(props.map((p) => [keyName(p), p] as const))
        const origin = byName.get('origin')
        const creds = byName.get('credentials')
        if (origin && creds && literal(origin['value']) === '*' && literal(creds['value']) === true)
          add('cors-wildcard-credentials', n, 'origin')
        const pp = byName.get('passwordPolicy')
        if (pp && isNode(pp['value']) && pp['value'].type === 'ObjectExpression') {
          for (const p of (pp['value']['properties'] as unknown[]).filter(isNode)) {
            const v = literal(p['value'])
            if (keyName(p) === 'minLength' && typeof v === 'number' && v < 12)
              add('weak-password-policy', p, 'minLength')
          }
        }
        break
      }
      case 'AssignmentExpression': {
        const left = n['left']
        if (isNode(left) && /NODE_TLS_REJECT_UNAUTHORIZED/.test(src(left))) {
          const v = literal(n['right'])
          if (v === '0' || v === 0) add('tls-env-verification-off', n, 'env')
        }
        break
      }
      case 'NewExpression':
      case 'CallExpression': {
        const callee = n['callee']
        const name = isNode(callee) ? src(callee) : ''
        if (/(^|\.)BrowserWindow$/.test(name) && n.type === 'NewExpression' && !facts.electronWindowAt)
          facts.electronWindowAt = {
            file,
            line: n.loc?.start.line ?? 1,
            column: (n.loc?.start.column ?? 0) + 1,
          }
        if (/(^|\.)createServer$|^express$/.test(name) && !facts.serverAt)
          facts.serverAt = { file, line: n.loc?.start.line ?? 1, column: (n.loc?.start.column ?? 0) + 1 }
        if (/(^|\.)(guard|safe|allow|check|valid)\w*$/i.test(name))
          for (const a of n['arguments'] as unknown[])
            if (isNode(a) && /Function/.test(a.type)) guarded.add(a)
        if (/(^|\.)shell\.openExternal$/.test(name)) {
          const arg = (n['arguments'] as unknown[])[0]
          const fn = fnStack.at(-1)
          const body = fn ? src(fn) : text
          const argName = isNode(arg) && arg.type === 'Identifier' ? (arg['name'] as string) : null
          const params = fn ? (fn['params'] as unknown[]).filter(isNode).map((p) => p['name']) : []
          const checked =
            /new URL\(|\.protocol\b|isAllowed|allowlist|allowList|startsWith\(\s*['"]https:/.test(body) ||
            // derived through a sanitizer: const x = safeUrl(input)
            (argName !== null &&
              new RegExp(
                `\\b${argName}\\s*=\\s*[\\w.]*(?:url|valid|allow|safe|check|https)\\w*\\(`,
                'i',
              ).test(body)) ||
            // an opener handed to a guard, which decides what reaches it: guardX(app, (url) => shell.openExternal(url))
            (fn !== undefined && guarded.has(fn) && argName !== null && params.includes(argName))
          if (isNode(arg) && arg.type !== 'StringLiteral' && !checked)
            add('electron-open-external-unchecked', n, name)
        }
        if (/(^|\.)(setHeader|header|set)$/.test(name)) {
          const args = (n['arguments'] as unknown[]).map(literal)
          if (
            typeof args[0] === 'string' &&
            /^access-control-allow-origin$/i.test(args[0]) &&
            args[1] === '*' &&
            /Access-Control-Allow-Credentials['"]\s*,\s*['"]?true/i.test(text)
          )
            add('cors-wildcard-credentials', n, 'header')
        }
        break
      }
    }
    const isFn = /Function|Method/.test(n.type)
    const stack = isFn ? [...fnStack, n] : fnStack
    for (const key of Object.keys(n)) {
      if (key === 'loc' || key === 'leadingComments' || key === 'trailingComments' || key === 'extra')
        continue
      const v = n[key]
      if (Array.isArray(v)) {
        for (const c of v) if (isNode(c)) visit(c, stack)
      } else if (isNode(v)) visit(v, stack)
    }
  }
  visit(ast, [])
  return out
}

const ENV_ALLOWED = /\.(example|sample|template|dist|defaults)$/i

/** Checks of a non-source file: committed .env files, JSON/YAML app configuration. */
export function checkOtherFile(
  file: string,
  text: string | null,
  parsed: unknown,
  facts: ProjectFacts,
): ConfigFinding[] {
  const b = basename(file)
  const out: ConfigFinding[] = []
  if ((b === '.env' || b.startsWith('.env.')) && !ENV_ALLOWED.test(b))
    out.push(finding(file, 'dotenv-committed', 1, 1, b))
  if (text && /Content-Security-Policy/i.test(text)) facts.hasCsp = true
  if (parsed && typeof parsed === 'object') {
    const lineOf = (word: string) => {
      if (!text) return 1
      const i = text.indexOf(word)
      return i < 0 ? 1 : text.slice(0, i).split('\n').length
    }
    const walk = (v: unknown, depth: number) => {
      if (depth > 12 || typeof v !== 'object' || v === null) return
      const o = v as Record<string, unknown>
      const pp = o['passwordPolicy']
      if (pp && typeof pp === 'object' && typeof (pp as Record<string, unknown>)['minLength'] === 'number') {
        if (((pp as Record<string, unknown>)['minLength'] as number) < 12)
          out.push(finding(file, 'weak-password-policy', lineOf('minLength'), 1, 'minLength'))
      }
      if (o['mfaEnabled'] === false)
        out.push(finding(file, 'mfa-disabled', lineOf('mfaEnabled'), 1, 'mfaEnabled'))
      for (const c of Object.values(o)) walk(c, depth + 1)
    }
    walk(parsed, 0)
  }
  return out
}

/** The checks that need the whole project: a missing CSP, a server without security headers. */
export function projectChecks(facts: ProjectFacts): ConfigFinding[] {
  const out: ConfigFinding[] = []
  if (facts.electronWindowAt && !facts.hasCsp) {
    const w = facts.electronWindowAt
    out.push(finding(w.file, 'electron-missing-csp', w.line, w.column, 'csp'))
  }
  if (facts.serverAt && !facts.hasSecurityHeaders) {
    const s = facts.serverAt
    out.push(finding(s.file, 'server-missing-security-headers', s.line, s.column, 'headers'))
  }
  return out
}
