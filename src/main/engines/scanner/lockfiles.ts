import { existsSync, readFileSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { parse as parseYaml } from 'yaml'
import { DomainError } from '../../domain-error'

/** One installed package read from a lockfile. */
export interface LockedPackage {
  name: string
  version: string
  /** Git commit for git dependencies (no version ranges apply then). */
  commit: string | null
  /** Only reachable through development dependencies. */
  dev: boolean
  /** Shortest chain of package names from a top-level dependency to this one (ends with `name`). */
  path: string[]
}

export type LockfileKind = 'package-lock' | 'npm-shrinkwrap' | 'yarn-v1' | 'yarn-berry' | 'pnpm'

export const LOCKFILE_NAMES = ['package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock', 'pnpm-lock.yaml']

interface Node {
  name: string
  version: string
  commit: string | null
  /** Dev flag stated by the lockfile itself, when it states one. */
  devHint: boolean | null
  deps: string[]
}

interface Graph {
  nodes: Map<string, Node>
  roots: { id: string; dev: boolean }[]
}

const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null)
const COMMIT = /(?:#|commit=|\/)([0-9a-f]{40})(?:$|[^0-9a-f])/

const bad = (file: string, what: string): DomainError =>
  new DomainError(
    'INVALID_INPUT',
    `${file} could not be read as ${what}. Regenerate it with the package manager.`,
  )

/** Breadth-first from the top-level dependencies: shortest path, and dev = not reachable from a prod root. */
function resolveGraph(g: Graph): LockedPackage[] {
  const path = new Map<string, string[]>()
  const prod = new Set<string>()
  const walk = (starts: { id: string }[], mark: (id: string) => boolean) => {
    const queue: string[] = []
    for (const r of starts) if (g.nodes.has(r.id) && mark(r.id)) queue.push(r.id)
    for (let i = 0; i < queue.length; i++) {
      const id = queue[i]!
      for (const d of g.nodes.get(id)!.deps) if (g.nodes.has(d) && mark(d)) queue.push(d)
    }
  }
  // prod reachability
  walk(
    g.roots.filter((r) => !r.dev),
    (id) => (prod.has(id) ? false : (prod.add(id), true)),
  )
  // shortest paths from any root (prod roots first so a prod path wins ties)
  const ordered = [...g.roots.filter((r) => !r.dev), ...g.roots.filter((r) => r.dev)]
  const queue: string[] = []
  for (const r of ordered)
    if (g.nodes.has(r.id) && !path.has(r.id)) {
      path.set(r.id, [g.nodes.get(r.id)!.name])
      queue.push(r.id)
    }
  for (let i = 0; i < queue.length; i++) {
    const id = queue[i]!
    const p = path.get(id)!
    for (const d of g.nodes.get(id)!.deps) {
      const n = g.nodes.get(d)
      if (n && !path.has(d)) {
        path.set(d, [...p, n.name])
        queue.push(d)
      }
    }
  }
  const hasRoots = g.roots.length > 0
  // One entry per name@version (nested copies of the same version are one package to fix): dev only when
  // every copy is dev; the shortest path wins.
  const out = new Map<string, LockedPackage>()
  for (const [id, n] of g.nodes) {
    const p: LockedPackage = {
      name: n.name,
      version: n.version,
      commit: n.commit,
      // not reachable at all (roots unknown): counted as production, the safer reading
      dev: n.devHint ?? (hasRoots && path.has(id) ? !prod.has(id) : false),
      path: path.get(id) ?? [n.name],
    }
    const key = `${p.name}@${p.version}#${p.commit ?? ''}`
    const prev = out.get(key)
    if (!prev) out.set(key, p)
    else {
      prev.dev = prev.dev && p.dev
      if (p.path.length < prev.path.length) prev.path = p.path
    }
  }
  return [...out.values()]
}

function readPackageJson(dir: string): { deps: string[]; devDeps: string[] } | null {
  const p = join(dir, 'package.json')
  if (!existsSync(p)) return null
  try {
    const j = JSON.parse(readFileSync(p, 'utf8')) as unknown
    if (!isObj(j)) return null
    const keys = (v: unknown) => (isObj(v) ? Object.keys(v) : [])
    return {
      deps: [...keys(j['dependencies']), ...keys(j['optionalDependencies']), ...keys(j['peerDependencies'])],
      devDeps: keys(j['devDependencies']),
    }
  } catch {
    return null
  }
}

/* ---------------- npm: package-lock.json / npm-shrinkwrap.json ---------------- */

const npmAliasVersion = (v: string): { name: string; version: string } | null => {
  const m = /^npm:((?:@[^/]+\/)?[^@]+)@(.+)$/.exec(v)
  return m ? { name: m[1]!, version: m[2]! } : null
}

const npmVersion = (raw: string): { version: string; commit: string | null } => {
  const c = COMMIT.exec(raw)
  if (/^(git|github:|git\+|https?:|file:)/.test(raw) || raw.includes('://')) {
    return { version: '', commit: c && raw.startsWith('file:') === false ? c[1]! : null }
  }
  return { version: raw, commit: null }
}

function npmV2(j: Record<string, unknown>): Graph {
  const pkgs = j['packages'] as Record<string, unknown>
  const nodes = new Map<string, Node>()
  const links = new Map<string, string>()
  for (const [loc, e] of Object.entries(pkgs)) {
    if (!isObj(e) || loc === '') continue
    if (e['link'] === true) {
      const target = str(e['resolved'])
      if (target) links.set(loc, target)
      continue
    }
    const segs = loc.split('node_modules/')
    const nameFromPath = loc.includes('node_modules/')
      ? segs[segs.length - 1]!.replace(/\/$/, '')
      : basename(loc)
    const rawVersion = str(e['version']) ?? ''
    const alias = npmAliasVersion(rawVersion)
    const { version, commit } = npmVersion(alias?.version ?? rawVersion)
    const resolvedCommit =
      commit ?? (str(e['resolved']) ? (COMMIT.exec(str(e['resolved'])!)?.[1] ?? null) : null)
    const deps = [
      ...Object.keys(isObj(e['dependencies']) ? e['dependencies'] : {}),
      ...Object.keys(isObj(e['optionalDependencies']) ? e['optionalDependencies'] : {}),
      ...Object.keys(isObj(e['peerDependencies']) ? e['peerDependencies'] : {}),
    ]
    const dev = e['dev'] === true || e['devOptional'] === true
    nodes.set(loc, {
      name: str(e['name']) ?? alias?.name ?? nameFromPath,
      version,
      commit: version === '' ? resolvedCommit : null,
      devHint: dev,
      deps,
    })
  }
  // resolve each dependency name the way Node does: nearest node_modules upwards
  const resolveFrom = (loc: string, dep: string): string | null => {
    let base = loc
    for (;;) {
      const cand = base === '' ? `node_modules/${dep}` : `${base}/node_modules/${dep}`
      if (nodes.has(cand)) return cand
      const link = links.get(cand)
      if (link !== undefined) return link
      if (base === '') return null
      const i = base.lastIndexOf('/node_modules/')
      base = i < 0 ? '' : base.slice(0, i)
    }
  }
  for (const [loc, n] of nodes) n.deps = n.deps.flatMap((d) => resolveFrom(loc, d) ?? [])
  const roots: Graph['roots'] = []
  const addRoots = (loc: string, e: unknown) => {
    if (!isObj(e)) return
    for (const [field, dev] of [
      ['dependencies', false],
      ['optionalDependencies', false],
      ['peerDependencies', false],
      ['devDependencies', true],
    ] as const) {
      for (const d of Object.keys(isObj(e[field]) ? e[field] : {})) {
        const r = resolveFrom(loc, d)
        if (r) roots.push({ id: r, dev })
      }
    }
  }
  addRoots('', pkgs[''])
  // a workspace is a root of its own: paths through it start with the workspace's name
  for (const loc of Object.keys(pkgs))
    if (loc !== '' && !loc.includes('node_modules/') && nodes.has(loc)) roots.push({ id: loc, dev: false })
  return { nodes, roots }
}

function npmV1(j: Record<string, unknown>, dir: string): Graph {
  const nodes = new Map<string, Node>()
  const walk = (deps: unknown, parent: string) => {
    if (!isObj(deps)) return
    for (const [name, e] of Object.entries(deps)) {
      if (!isObj(e)) continue
      const loc = parent === '' ? `node_modules/${name}` : `${parent}/node_modules/${name}`
      const raw = str(e['version']) ?? ''
      const alias = npmAliasVersion(raw)
      const { version, commit } = npmVersion(alias?.version ?? raw)
      nodes.set(loc, {
        name: alias?.name ?? name,
        version,
        commit: version === '' ? (commit ?? COMMIT.exec(str(e['resolved']) ?? '')?.[1] ?? null) : null,
        devHint: e['dev'] === true,
        deps: Object.keys(isObj(e['requires']) ? e['requires'] : {}),
      })
      walk(e['dependencies'], loc)
    }
  }
  walk(j['dependencies'], '')
  const resolveFrom = (loc: string, dep: string): string | null => {
    let base = loc
    for (;;) {
      const cand = base === '' ? `node_modules/${dep}` : `${base}/node_modules/${dep}`
      if (nodes.has(cand)) return cand
      if (base === '') return null
      const i = base.lastIndexOf('/node_modules/')
      base = i < 0 ? '' : base.slice(0, i)
    }
  }
  for (const [loc, n] of nodes) n.deps = n.deps.flatMap((d) => resolveFrom(loc, d) ?? [])
  const pj = readPackageJson(dir)
  const roots: Graph['roots'] = pj
    ? [
        ...pj.deps.flatMap((d) =>
          nodes.has(`node_modules/${d}`) ? [{ id: `node_modules/${d}`, dev: false }] : [],
        ),
        ...pj.devDeps.flatMap((d) =>
          nodes.has(`node_modules/${d}`) ? [{ id: `node_modules/${d}`, dev: true }] : [],
        ),
      ]
    : [...nodes.keys()]
        .filter((k) => !k.slice(13).includes('node_modules/'))
        .map((id) => ({ id, dev: false }))
  return { nodes, roots }
}

export function parseNpmLock(text: string, file: string): LockedPackage[] {
  let j: unknown
  try {
    j = JSON.parse(text)
  } catch {
    throw bad(file, 'JSON')
  }
  if (!isObj(j)) throw bad(file, 'a package-lock object')
  const g = isObj(j['packages']) ? npmV2(j) : npmV1(j, dirname(file))
  return resolveGraph(g)
}

/* ---------------- yarn.lock v1 ---------------- */

const unquote = (s: string): string => s.trim().replace(/^"(.*)"$/, '$1')

/** "name@range" → name (scoped names keep their leading @). */
const specName = (spec: string): string => {
  const i = spec.indexOf('@', 1)
  return i < 0 ? spec : spec.slice(0, i)
}

function yarnV1(text: string, dir: string): Graph {
  const nodes = new Map<string, Node>()
  const bySpec = new Map<string, string>()
  let current: {
    id: string
    specs: string[]
    fields: Map<string, string>
    deps: Map<string, string>
  } | null = null
  let inDeps = false
  const flush = () => {
    if (!current) return
    const first = current.specs[0]!
    let name = specName(first)
    const rest = first.slice(name.length + 1)
    const alias = /^npm:((?:@[^/@]+\/)?[^@]+)@/.exec(rest)
    if (alias) name = alias[1]!
    const resolved = current.fields.get('resolved') ?? ''
    const version = current.fields.get('version') ?? ''
    const c = COMMIT.exec(resolved) ?? COMMIT.exec(rest)
    nodes.set(current.id, {
      name,
      version,
      commit: c && !/registry\.(yarnpkg|npmjs)/.test(resolved) ? c[1]! : null,
      devHint: null,
      deps: [...current.deps.entries()].map(([n, r]) => `${n}@${r}`),
    })
    for (const s of current.specs) bySpec.set(s, current.id)
    current = null
  }
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue
    const indent = line.length - line.trimStart().length
    if (indent === 0) {
      flush()
      const head = line.trim().replace(/:$/, '')
      const specs = head.split(/,\s*/).map(unquote)
      current = { id: specs[0]!, specs, fields: new Map(), deps: new Map() }
      inDeps = false
      continue
    }
    if (!current) continue
    const t = line.trim()
    if (indent === 2) {
      inDeps = /^(dependencies|optionalDependencies):$/.test(t)
      if (!t.endsWith(':')) {
        const m = /^("?[^\s"]+"?)\s+(.*)$/.exec(t)
        if (m) current.fields.set(unquote(m[1]!), unquote(m[2]!))
      }
    } else if (indent >= 4 && inDeps) {
      const m = /^("?[^\s"]+"?)\s+(.*)$/.exec(t)
      if (m) current.deps.set(unquote(m[1]!), unquote(m[2]!))
    }
  }
  flush()
  for (const n of nodes.values()) n.deps = n.deps.flatMap((s) => bySpec.get(s) ?? [])
  return { nodes, roots: yarnRoots(dir, (name, range) => bySpec.get(`${name}@${range}`) ?? null) }
}

function yarnRoots(dir: string, find: (name: string, range: string) => string | null): Graph['roots'] {
  const p = join(dir, 'package.json')
  if (!existsSync(p)) return []
  try {
    const j = JSON.parse(readFileSync(p, 'utf8')) as unknown
    if (!isObj(j)) return []
    const out: Graph['roots'] = []
    for (const [field, dev] of [
      ['dependencies', false],
      ['optionalDependencies', false],
      ['devDependencies', true],
    ] as const) {
      const deps = j[field]
      if (!isObj(deps)) continue
      for (const [n, r] of Object.entries(deps)) {
        const id = typeof r === 'string' ? find(n, r) : null
        if (id) out.push({ id, dev })
      }
    }
    return out
  } catch {
    return []
  }
}

/* ---------------- yarn Berry (v2+) ---------------- */

function yarnBerry(doc: Record<string, unknown>, dir: string): Graph {
  const nodes = new Map<string, Node>()
  const bySpec = new Map<string, string>()
  for (const [key, e] of Object.entries(doc)) {
    if (key === '__metadata' || !isObj(e)) continue
    const resolution = str(e['resolution']) ?? key.split(',')[0]!.trim()
    const name = specName(resolution)
    const version = String(e['version'] ?? '')
    const proto = resolution.slice(name.length + 1)
    const c = /^(git|github|https?):|#/.test(proto) ? COMMIT.exec(proto) : null
    nodes.set(key, {
      name,
      version,
      commit: c ? c[1]! : null,
      devHint: null,
      deps: Object.entries(isObj(e['dependencies']) ? e['dependencies'] : {}).map(
        ([n, r]) => `${n}@${String(r)}`,
      ),
    })
    for (const s of key.split(',')) bySpec.set(s.trim(), key)
  }
  const find = (name: string, range: string): string | null =>
    bySpec.get(`${name}@${range}`) ?? bySpec.get(`${name}@npm:${range}`) ?? null
  for (const n of nodes.values())
    n.deps = n.deps.flatMap((s) => {
      const name = specName(s)
      return find(name, s.slice(name.length + 1)) ?? []
    })
  return { nodes, roots: yarnRoots(dir, find) }
}

export function parseYarnLock(text: string, file: string): { kind: LockfileKind; packages: LockedPackage[] } {
  const dir = dirname(file)
  if (/^__metadata:/m.test(text)) {
    let doc: unknown
    try {
      doc = parseYaml(text)
    } catch {
      throw bad(file, 'a yarn (Berry) lockfile')
    }
    if (!isObj(doc)) throw bad(file, 'a yarn (Berry) lockfile')
    return { kind: 'yarn-berry', packages: resolveGraph(yarnBerry(doc, dir)) }
  }
  return { kind: 'yarn-v1', packages: resolveGraph(yarnV1(text, dir)) }
}

/* ---------------- pnpm-lock.yaml (v5, v6, v9) ---------------- */

/** A pnpm package key → name and version ("/a/1.0.0_peer", "/@s/a@1.0.0(peer)", "a@1.0.0(peer)"). */
export function pnpmKey(key: string, v5: boolean): { name: string; version: string } | null {
  let k = key.replace(/^\//, '').replace(/\(.*$/, '')
  if (v5) {
    // "/name/1.0.0_peer", "registry.npmjs.org/@s/name/1.0.0": an optional registry host, then name and version
    const m = /^(?:[a-z0-9-]+(?:\.[a-z0-9-]+)+\/)?((?:@[^/]+\/)?[^/@]+)\/(\d[^/_]*)(?:_.*)?$/i.exec(k)
    return m ? { name: m[1]!, version: m[2]! } : null
  }
  k = k.replace(/_.*$/, '')
  const i = k.lastIndexOf('@')
  if (i <= 0) return null
  return { name: k.slice(0, i), version: k.slice(i + 1) }
}

export function parsePnpmLock(text: string, file: string): LockedPackage[] {
  let doc: unknown
  try {
    doc = parseYaml(text)
  } catch {
    throw bad(file, 'YAML')
  }
  if (doc == null) return []
  if (!isObj(doc)) throw bad(file, 'a pnpm lockfile')
  const lv = parseFloat(String(doc['lockfileVersion'] ?? '0'))
  const v5 = lv < 6
  const v9 = lv >= 9
  const packages = isObj(doc['packages']) ? doc['packages'] : {}
  const snapshots = isObj(doc['snapshots']) ? doc['snapshots'] : {}
  const nodes = new Map<string, Node>()
  const idFor = (name: string, ref: string): string => {
    if (ref.startsWith('link:')) return ''
    if (ref.startsWith('/') || (v9 && ref.includes('@', 1) && !/^\d/.test(ref))) return ref.replace(/^\//, '')
    return v5 ? `${name}/${ref}` : `${name}@${ref}`
  }
  const entries = v9 ? (Object.keys(snapshots).length > 0 ? snapshots : packages) : packages
  for (const [key, raw] of Object.entries(entries)) {
    const e = isObj(raw) ? raw : {}
    const meta =
      v9 && isObj(packages[key.replace(/\(.*$/, '')])
        ? (packages[key.replace(/\(.*$/, '')] as Record<string, unknown>)
        : e
    const parsed = pnpmKey(key, v5)
    const name = str(meta['name']) ?? str(e['name']) ?? parsed?.name
    let version = str(meta['version']) ?? str(e['version']) ?? parsed?.version ?? ''
    if (!name) continue
    const res = isObj(meta['resolution']) ? meta['resolution'] : {}
    const commit =
      str(res['commit']) ?? (/github\.com|codeload|git/.test(key) ? (COMMIT.exec(key)?.[1] ?? null) : null)
    if (commit || /^(file|link|https?):/.test(version) || key.includes('://')) {
      if (!/^\d/.test(version)) version = parsed && /^\d/.test(parsed.version) ? parsed.version : ''
    }
    const deps = {
      ...(isObj(e['dependencies']) ? e['dependencies'] : {}),
      ...(isObj(e['optionalDependencies']) ? e['optionalDependencies'] : {}),
    }
    nodes.set(key.replace(/^\//, ''), {
      name,
      version: commit && !/^\d/.test(version) ? '' : version,
      commit,
      devHint: typeof e['dev'] === 'boolean' ? (e['dev'] as boolean) : null,
      deps: Object.entries(deps).map(([n, r]) => idFor(n, String(r))),
    })
  }
  const roots: Graph['roots'] = []
  const importers = isObj(doc['importers']) ? doc['importers'] : { '.': doc }
  for (const imp of Object.values(importers)) {
    if (!isObj(imp)) continue
    for (const [field, dev] of [
      ['dependencies', false],
      ['optionalDependencies', false],
      ['devDependencies', true],
    ] as const) {
      const deps = imp[field]
      if (!isObj(deps)) continue
      for (const [n, r] of Object.entries(deps)) {
        const ref = isObj(r) ? String(r['version'] ?? '') : String(r)
        const id = idFor(n, ref)
        if (id) roots.push({ id, dev })
      }
    }
  }
  return resolveGraph({ nodes, roots })
}

/** Parse one lockfile by its file name. */
export function parseLockfile(file: string, text: string): { kind: LockfileKind; packages: LockedPackage[] } {
  const b = basename(file)
  if (b === 'yarn.lock') return parseYarnLock(text, file)
  if (b === 'pnpm-lock.yaml') return { kind: 'pnpm', packages: parsePnpmLock(text, file) }
  if (b === 'npm-shrinkwrap.json') return { kind: 'npm-shrinkwrap', packages: parseNpmLock(text, file) }
  return { kind: 'package-lock', packages: parseNpmLock(text, file) }
}
