// The `qqsec age` commands as one prebuilt JavaScript file (out/cli/qqsec-age.mjs), so they start without the
// TypeScript loader: tsx's loader thread costs ~0.25 s per start, as much as encrypting 300 MiB.
//
// - `node scripts/age-cli-bundle.mjs` builds it (run by `npm ci` through "prepare", and by `npm run build`);
// - `freshAgeBundle()` (used by bin/qqsec) returns its path only while every source it was built from is unchanged
//   (the same SHA-256 as at build time), so an edited checkout never runs stale code: bin/qqsec then
//   runs the sources through tsx as it does for every other command.
import { createHash } from 'node:crypto'
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const paths = (root) => {
  const outDir = join(root, 'out', 'cli')
  return { outDir, bundle: join(outDir, 'qqsec-age.mjs'), manifest: join(outDir, 'qqsec-age.inputs.json') }
}

// By content, not modification time: a copied or freshly checked-out tree keeps a valid bundle, an edited source
// never runs stale. Hashing the ~56 inputs (~1 MB) costs ~3 ms per start.
const stamp = (path) => createHash('sha256').update(readFileSync(path)).digest('base64')

/** The bundle's file URL when it matches the sources it was built from; null otherwise (missing, stale, unreadable). */
export function freshAgeBundle(root = projectRoot) {
  const { bundle, manifest } = paths(root)
  try {
    const m = JSON.parse(readFileSync(manifest, 'utf8'))
    if (m.format !== 2 || stamp(bundle) !== m.bundle) return null
    for (const [rel, s] of Object.entries(m.inputs)) if (stamp(join(root, rel)) !== s) return null
    return pathToFileURL(bundle).href
  } catch {
    return null
  }
}

const writeAtomic = (path, text) => {
  const tmp = `${path}.${process.pid}.tmp`
  const fd = openSync(tmp, 'w', 0o644)
  try {
    writeSync(fd, text)
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
  renameSync(tmp, path)
}

export async function buildAgeBundle(root = projectRoot) {
  const { outDir, bundle, manifest } = paths(root)
  const { build } = await import('esbuild')
  mkdirSync(outDir, { recursive: true })
  const result = await build({
    absWorkingDir: root,
    entryPoints: ['src/cli/age-cli.ts'],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // commander and @noble/* are bundled too: modules reached only through a dynamic import stay lazily evaluated,
    // so `age keygen` never evaluates ML-KEM and `age encrypt` to an X25519 recipient evaluates only what it uses.
    write: false,
    outfile: bundle,
    metafile: true,
    legalComments: 'inline',
    // commander is CommonJS: its require() of Node built-ins needs a real require in an ES module.
    banner: {
      js: "import { createRequire as __qqsecRequire } from 'node:module'; const require = __qqsecRequire(import.meta.url);",
    },
    logLevel: 'warning',
  })
  const [file] = result.outputFiles
  writeAtomic(bundle, file.text)
  const inputs = {}
  for (const rel of Object.keys(result.metafile.inputs).sort()) inputs[rel] = stamp(join(root, rel))
  // The manifest goes last: a bundle without a matching manifest is never used.
  writeAtomic(manifest, JSON.stringify({ format: 2, bundle: stamp(bundle), inputs }, null, 1) + '\n')
  return { bundle: relative(root, bundle), inputs: Object.keys(inputs).length, bytes: file.contents.length }
}

// `--optional` (npm's "prepare"): a failed build only warns — bin/qqsec then runs the sources through tsx.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  buildAgeBundle().then(
    (r) =>
      console.log(
        `age CLI bundle: ${r.bundle} (${(r.bytes / 1024).toFixed(0)} KiB from ${r.inputs} sources)`,
      ),
    (e) => {
      console.error(`age CLI bundle: build failed: ${e && e.message ? e.message : e}`)
      process.exit(process.argv.includes('--optional') ? 0 : 1)
    },
  )
}
