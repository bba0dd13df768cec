import { mkdir, mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/**
 * A tiny npm project for the scans spec: axios 0.21.0 in a package-lock v3 (GHSA-4w2v-q235-vp99, fixed in 0.21.1),
 * an Electron window with nodeIntegration on, and enough plain source files that the scan's progress is visible.
 */
export async function writeScanProject(fillerFiles = 4000): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'qqsec-e2e-project-'))
  await writeFile(
    join(root, 'package.json'),
    JSON.stringify({ name: 'e2e-app', version: '1.0.0', dependencies: { axios: '0.21.0' } }, null, 2),
  )
  await writeFile(
    join(root, 'package-lock.json'),
    JSON.stringify(
      {
        name: 'e2e-app',
        version: '1.0.0',
        lockfileVersion: 3,
        requires: true,
        packages: {
          '': { name: 'e2e-app', version: '1.0.0', dependencies: { axios: '0.21.0' } },
          'node_modules/axios': {
            version: '0.21.0',
            resolved: 'https://registry.npmjs.org/axios/-/axios-0.21.0.tgz',
            integrity:
              'sha512-fmkJBknJKoZwem3/IKSSLpkdNXZeBu5Q7GA/aRsr2btgrptmSCxi2oFjZHqGdK9DoTil9PIHlPIZw2EcRJXRvw==',
          },
        },
      },
      null,
      2,
    ),
  )
  await writeFile(
    join(root, 'main.js'),
    [
      "const { app, BrowserWindow } = require('electron')",
      'app.whenReady().then(() => {',
      '  const win = new BrowserWindow({ webPreferences: { nodeIntegration: true } })',
      "  win.loadFile('index.html')",
      '})',
      '',
    ].join('\n'),
  )
  const src = join(root, 'src')
  await mkdir(src)
  for (let i = 0; i < fillerFiles; i++)
    await writeFile(
      join(src, `module-${i}.js`),
      `export const value${i} = ${i} // ${'plain text '.repeat(40)}\n`,
    )
  return root
}
