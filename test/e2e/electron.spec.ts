import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { _electron, expect, test, type ElectronApplication, type Page } from '@playwright/test'
import { CALL_NAMES } from '../../src/shared/contract'

/**
 * The desktop window's security properties, end to end. Skips with one line where the Electron binary is not
 * installed (it cannot be downloaded on every machine); browser mode covers the renderer there.
 */
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const EXECUTABLE: Partial<Record<NodeJS.Platform, string>> = {
  darwin: 'Electron.app/Contents/MacOS/Electron',
  win32: 'electron.exe',
}

/** Found as scripts/start.mjs finds it; not through require('electron'), which starts a download. */
function electronBinary(): string | null {
  const pathFile = join(root, 'node_modules', 'electron', 'path.txt')
  const executable = existsSync(pathFile)
    ? readFileSync(pathFile, 'utf8').trim()
    : (EXECUTABLE[process.platform] ?? 'electron')
  const dist = process.env.ELECTRON_OVERRIDE_DIST_PATH || join(root, 'node_modules', 'electron', 'dist')
  const path = join(dist, executable)
  return existsSync(path) ? path : null
}

const SKIP_REASON =
  'Electron binary not installed on this machine — desktop window not tested (browser mode covers the renderer)'

/**
 * The page's globals, typed for this file (the Node tsconfig has no DOM lib). Callbacks given to
 * page.evaluate run in the page, so each one names `globalThis` itself rather than calling a helper from here.
 */
interface PageGlobals {
  qqsec?: Record<string, unknown>
  location: { href: string }
  open(url: string): unknown
}

function desktopWindowTests(executablePath: string): void {
  let app: ElectronApplication
  let page: Page
  let dataDir: string

  test.beforeAll(async () => {
    const mainBundle = join(root, 'out', 'main', 'index.js')
    expect(existsSync(mainBundle), 'run `npm run build` first').toBe(true)
    expect(
      existsSync(join(root, 'build', 'electron-native', 'better_sqlite3.node')),
      'run `node scripts/build-electron-sqlite.mjs` first',
    ).toBe(true)
    dataDir = mkdtempSync(join(tmpdir(), 'qqsec-electron-e2e-'))
    const inherited = Object.entries(process.env).filter(
      (entry): entry is [string, string] => entry[1] !== undefined && entry[0] !== 'ELECTRON_RUN_AS_NODE',
    )
    const env = {
      ...Object.fromEntries(inherited),
      QQSEC_DATA_DIR: dataDir,
      QQSEC_KEYSTORE: 'file',
      QQSEC_KEYSTORE_PASSPHRASE: 'electron-e2e-passphrase',
    }
    app = await _electron.launch({ executablePath, args: [mainBundle], env })
    // Links the page opens go to the OS browser; record them instead of starting one.
    await app.evaluate(({ shell }) => {
      const opened: string[] = []
      Object.assign(globalThis, { __opened: opened })
      shell.openExternal = async (url: string) => void opened.push(url)
    })
    page = await app.firstWindow()
  })

  test.afterAll(async () => {
    await app?.close()
    rmSync(dataDir, { recursive: true, force: true })
  })

  test('loads the console from the app:// origin and shows first-run setup', async () => {
    expect(page.url()).toMatch(/^app:\/\/console\//)
    await expect(page.getByText('Create the first administrator').first()).toBeVisible()
  })

  test("exposes exactly the contract's calls and no Node", async () => {
    const names = await page.evaluate(() =>
      Object.keys((globalThis as unknown as PageGlobals).qqsec ?? {}).sort(),
    )
    expect(names).toEqual([...CALL_NAMES].sort())
    expect(await page.evaluate(() => [typeof require, typeof process])).toEqual(['undefined', 'undefined'])
  })

  test('blocks navigation away from the app', async () => {
    const before = page.url()
    await page.evaluate(() => {
      ;(globalThis as unknown as PageGlobals).location.href = 'https://example.com/'
    })
    await page.waitForTimeout(500)
    expect(page.url()).toBe(before)
  })

  test('opens no window; an https link goes to the OS browser, other schemes nowhere', async () => {
    expect(
      await page.evaluate(() => (globalThis as unknown as PageGlobals).open('https://example.com/docs')),
    ).toBeNull()
    expect(
      await page.evaluate(() => (globalThis as unknown as PageGlobals).open('file:///etc/passwd')),
    ).toBeNull()
    expect(app.windows()).toHaveLength(1)
    const opened = await app.evaluate(() => (globalThis as unknown as { __opened: string[] }).__opened)
    expect(opened).toEqual(['https://example.com/docs'])
  })
}

const binary = electronBinary()
if (binary) {
  desktopWindowTests(binary)
} else {
  // One test titled with the reason, so the list reporter prints the reason as the single skipped line.
  test(SKIP_REASON, () => test.skip(true, SKIP_REASON))
}
