import { compareVersions, parseVersion } from './semver'
import { severityRank, type Finding } from './findings'
import type { Severity } from './osv'

export interface RemediationAction {
  id: string
  kind: 'upgrade' | 'replace' | 'rotate-secret' | 'remove-secret' | 'change-setting'
  title: string
  severity: Severity
  effort: 'low' | 'medium' | 'high'
  /** Fingerprints of the findings this action resolves. */
  resolves: string[]
  /** Actions to do first. */
  dependsOn: string[]
  detail: string
}

const maxSeverity = (fs: Finding[]): Severity =>
  fs.reduce<Severity>((m, f) => (severityRank(f.severity) > severityRank(m) ? f.severity : m), 'low')

function bumpEffort(from: string, to: string): 'low' | 'medium' | 'high' {
  const a = parseVersion(from)
  const b = parseVersion(to)
  if (!a || !b) return 'medium'
  if (a.core[0] !== b.core[0]) return 'high'
  if (a.core[1] !== b.core[1]) return 'medium'
  return 'low'
}

/**
 * Turn findings into prioritized actions: one upgrade per package version covering all its advisories (the lowest
 * version that fixes every one), rotate-then-remove for each secret, one change per setting. Highest severity
 * first, then the most findings resolved.
 */
export function remediationPlan(findings: readonly Finding[]): RemediationAction[] {
  const open = findings.filter((f) => f.status !== 'accepted')
  const actions: RemediationAction[] = []
  const byPkg = new Map<string, Finding[]>()
  for (const f of open) {
    if (f.kind !== 'dependency') continue
    const k = `${f.lockfile}\u0000${f.package}\u0000${f.version}`
    byPkg.set(k, [...(byPkg.get(k) ?? []), f])
  }
  for (const fs of byPkg.values()) {
    const first = fs[0]!
    if (first.kind !== 'dependency') continue
    const unfixed = fs.filter((f) => f.kind === 'dependency' && f.fixedVersions.length === 0)
    const needs = fs.flatMap((f) =>
      f.kind === 'dependency' && f.fixedVersions.length > 0 ? [f.fixedVersions[0]!] : [],
    )
    const target = needs.sort(compareVersions).at(-1)
    const via =
      first.path.length > 1 ? ` (pulled in by ${first.path[0]}: upgrade it, or add an override)` : ''
    if (target) {
      const fixed = fs.filter((f) => !unfixed.includes(f))
      actions.push({
        id: `upgrade:${first.lockfile}:${first.package}@${first.version}`,
        kind: 'upgrade',
        title: `Upgrade ${first.package} ${first.version} to ≥ ${target}: fixes ${fixed.length} ${fixed.length === 1 ? 'advisory' : 'advisories'}`,
        severity: maxSeverity(fixed),
        effort: bumpEffort(first.version, target),
        resolves: fixed.map((f) => f.fingerprint),
        dependsOn: [],
        detail: `${first.lockfile}${via}; ${fixed.map((f) => (f.kind === 'dependency' ? f.ids[0] : '')).join(', ')}`,
      })
    }
    if (unfixed.length > 0)
      actions.push({
        id: `replace:${first.lockfile}:${first.package}@${first.version}`,
        kind: 'replace',
        title: `Replace or remove ${first.package}: no fixed version for ${unfixed.length} ${unfixed.length === 1 ? 'advisory' : 'advisories'}`,
        severity: maxSeverity(unfixed),
        effort: 'high',
        resolves: unfixed.map((f) => f.fingerprint),
        dependsOn: [],
        detail: `${first.lockfile}${via}; ${unfixed.map((f) => (f.kind === 'dependency' ? f.ids[0] : '')).join(', ')}`,
      })
  }
  for (const f of open) {
    if (f.kind === 'secret') {
      const rotate = `rotate:${f.fingerprint}`
      actions.push({
        id: rotate,
        kind: 'rotate-secret',
        title: `Rotate the ${f.title} found in ${f.file}:${f.line}`,
        severity: f.severity,
        effort: 'medium',
        resolves: [f.fingerprint],
        dependsOn: [],
        detail: 'Revoke it where it was issued and issue a new one; treat the old one as leaked.',
      })
      actions.push({
        id: `remove:${f.fingerprint}`,
        kind: 'remove-secret',
        title: `Remove the secret from ${f.file}:${f.line} and read it from the environment or the vault`,
        severity: f.severity,
        effort: 'low',
        resolves: [f.fingerprint],
        dependsOn: [rotate],
        detail: 'Removing it without rotating leaves the leaked value valid (it stays in version history).',
      })
    } else if (f.kind === 'config') {
      actions.push({
        id: `change:${f.fingerprint}`,
        kind: 'change-setting',
        title: `${f.fix} (${f.file}:${f.line})`,
        severity: f.severity,
        effort: 'low',
        resolves: [f.fingerprint],
        dependsOn: [],
        detail: f.title,
      })
    }
  }
  return actions.sort(
    (a, b) => severityRank(b.severity) - severityRank(a.severity) || b.resolves.length - a.resolves.length,
  )
}
