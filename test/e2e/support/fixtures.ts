import { test as base, type Browser, type ConsoleMessage } from '@playwright/test'
import { startQqsecServer, type RunningServer } from './qqsec-server'

/** Debian's Chromium: Playwright's own browsers cannot be downloaded on these machines. */
const CHROMIUM = process.env.PLAYWRIGHT_CHROMIUM_EXECUTABLE ?? '/usr/bin/chromium'
const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

export interface ConsoleLog {
  errors: string[]
  cspViolations: () => string[]
}

interface WorkerFixtures {
  browser: Browser
}

interface TestFixtures {
  /** A fresh `qqsec serve` with its own empty data dir for each test, so no spec sees another's accounts. */
  qqsec: RunningServer
  consoleLog: ConsoleLog
}

const CSP_WORDS =
  /content security policy|content-security-policy|refused to (load|execute|apply|evaluate|connect)/i

export const test = base.extend<TestFixtures, WorkerFixtures>({
  browser: [
    async ({ playwright }, use) => {
      const browser = await playwright.chromium.launch({
        executablePath: CHROMIUM,
        args: CHROMIUM_ARGS,
        headless: true,
      })
      await use(browser)
      await browser.close()
    },
    { scope: 'worker' },
  ],
  qqsec: [
    // Depends on the browser only so the fixture has the object pattern Playwright requires. Per test, not per
    // worker: one worker runs every spec file in turn, and each starts from a console without accounts.
    async ({ browser: _browser }, use) => {
      const server = await startQqsecServer()
      try {
        await use(server)
      } finally {
        await server.stop()
      }
    },
    { timeout: 300_000 },
  ],
  consoleLog: async ({ page }, use) => {
    const errors: string[] = []
    const record = (msg: ConsoleMessage) => {
      if (msg.type() === 'error') errors.push(msg.text())
    }
    page.on('console', record)
    page.on('pageerror', (e) => errors.push(`uncaught: ${e.message}`))
    await use({ errors, cspViolations: () => errors.filter((e) => CSP_WORDS.test(e)) })
  },
})

export { expect } from '@playwright/test'
