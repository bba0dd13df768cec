import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from '@playwright/test'
import { expect, test } from './support/fixtures'
import { firstAdminSignedIn } from './support/identity'
import { shootBothThemes, shootBothThemesInPlace } from './support/screens'

const ADMIN = 'alice'
const ADMIN_PASSWORD = 'Correct-Horse-Battery-9!x'
const ATTACKER = '203.0.113.9'

test.use({ viewport: { width: 1280, height: 800 }, actionTimeout: 15_000 })

const nav = (page: Page) => page.getByRole('navigation', { name: 'Views' })

const line = (client: string, minute: number, request: string, status: number) =>
  `${client} - - [04/Dec/2026:10:${String(minute).padStart(2, '0')}:01 +0000] "${request}" ${status} 512 "-" "Mozilla/5.0 (X11; Linux x86_64)"`

/** A few ordinary requests and three attacks (SQL injection answered 200, a traversal, an XSS). */
const ACCESS_LOG = [
  line('198.51.100.4', 0, 'GET / HTTP/1.1', 200),
  line('198.51.100.4', 1, 'GET /about.html HTTP/1.1', 200),
  line('198.51.100.7', 2, 'GET /style.css HTTP/1.1', 304),
  line(ATTACKER, 3, 'GET /index.php?id=1%27%20UNION%20SELECT%20password%20FROM%20users-- HTTP/1.1', 200),
  line(ATTACKER, 5, 'GET /download?file=../../../../etc/passwd HTTP/1.1', 404),
  line(ATTACKER, 7, 'GET /search?q=%3Cscript%3Ealert(1)%3C/script%3E HTTP/1.1', 200),
  line('198.51.100.7', 9, 'GET /contact HTTP/1.1', 200),
].join('\n')

test('browser mode: analyze a log from the Threats view, read the report, acknowledge the threat', async ({
  page,
  qqsec,
  consoleLog,
}) => {
  test.setTimeout(300_000)
  const dir = await mkdtemp(join(tmpdir(), 'qqsec-e2e-log-'))
  const logPath = join(dir, 'access.log')
  await writeFile(logPath, `${ACCESS_LOG}\n`)

  try {
    await test.step('alice sets up the console; no threats yet', async () => {
      await firstAdminSignedIn(page, qqsec.startUrl, ADMIN, ADMIN_PASSWORD)
      await nav(page).getByRole('link', { name: 'Threats' }).click()
      await expect(page.getByTestId('threats-empty')).toBeVisible()
      await shootBothThemes(page, 'threats-00-empty')
    })

    await test.step('analyze the log: progress, then the summary', async () => {
      await page.getByRole('button', { name: 'Analyze a log…' }).click()
      const dialog = page.getByRole('dialog', { name: 'Analyze a log' })
      await expect(dialog).toContainText('paths on the machine running')
      await dialog.getByRole('textbox', { name: /Log files/ }).fill(logPath)
      await dialog.getByRole('combobox', { name: 'Log format' }).selectOption('combined')
      await shootBothThemesInPlace(page, 'threats-01-analyze')
      await dialog.getByRole('button', { name: 'Analyze' }).click()
      await expect(dialog.getByTestId('analysis-job')).toHaveAttribute('data-state', 'done', {
        timeout: 60_000,
      })
      await expect(dialog.getByTestId('analysis-summary')).toContainText('7 lines read')
      await shootBothThemesInPlace(page, 'threats-02-analysis-done')
      await dialog.getByRole('button', { name: 'Show the report' }).click()
      await expect(dialog).toBeHidden()
    })

    await test.step('the report: 2xx attacks first, the chart, top clients, evidence', async () => {
      const report = page.getByTestId('log-report')
      await expect(report).toBeVisible()
      await expect(page).toHaveURL(/analysis=/)
      await expect(report.getByRole('alert')).toContainText('answered with 2xx')
      await expect(report.getByTestId('chart-attacks-over-time').getByRole('img')).toBeVisible()
      await expect(report.getByTestId('chart-top-clients')).toContainText(ATTACKER)
      await expect(report).toContainText('UNION')
      await shootBothThemes(page, 'threats-03-report')
    })

    await test.step('the threat from the attacker opens with its findings and is acknowledged', async () => {
      await page.getByRole('button', { name: 'Close the report' }).click()
      const row = page.getByRole('table', { name: 'Threats' }).locator(`[data-threat="${ATTACKER}"]`)
      await expect(row).toBeVisible()
      await expect(row.locator('[data-threat-status="active"]')).toBeVisible()
      await shootBothThemes(page, 'threats-04-list')
      await page.getByRole('button', { name: `Details of the threat from ${ATTACKER}` }).click()
      const detail = page.getByTestId('threat-detail')
      await expect(detail).toHaveAttribute('data-status', 'active')
      const findings = detail.getByRole('table', { name: 'Findings' })
      await expect(findings).toContainText('SQL injection')
      await shootBothThemesInPlace(page, 'threats-05-detail')
      await detail.getByRole('button', { name: 'Acknowledge' }).click()
      await expect(detail).toHaveAttribute('data-status', 'acknowledged')
      await expect(detail.getByRole('button', { name: 'Acknowledge' })).toHaveCount(0)
      await detail
        .getByRole('textbox', { name: 'Note' })
        .fill('Blocked at the proxy; checking the users table.')
      await detail.getByRole('button', { name: 'Add note' }).click()
      await expect(detail).toContainText('Blocked at the proxy')
      await page.keyboard.press('Escape')
      await expect(detail).toBeHidden()
      await expect(row.locator('[data-threat-status="acknowledged"]')).toBeVisible()
    })

    await test.step("allow-list the attacker's client from the drawer", async () => {
      await page.getByRole('button', { name: `Details of the threat from ${ATTACKER}` }).click()
      const detail = page.getByTestId('threat-detail')
      await detail.getByRole('button', { name: 'Allow-list…' }).click()
      const dialog = page.getByRole('dialog', { name: 'Allow-list' })
      await expect(dialog.getByRole('radio', { name: new RegExp(ATTACKER) })).toBeChecked()
      await expect(dialog.getByRole('textbox', { name: 'Owner' })).toHaveValue(ADMIN)
      await dialog.getByRole('textbox', { name: 'Reason' }).fill('Our own penetration test host.')
      await dialog.getByRole('button', { name: 'Allow-list', exact: true }).click()
      const done = dialog.getByTestId('allow-list-done')
      await expect(done).toContainText(`The client ${ATTACKER} is allow-listed until`)
      await expect(done).toContainText('existing threats')
      await dialog.getByRole('button', { name: 'Done' }).click()
      await expect(dialog).toBeHidden()
    })
  } finally {
    await rm(dir, { recursive: true, force: true })
  }

  expect(consoleLog.cspViolations()).toEqual([])
})
