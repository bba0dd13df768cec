import { rm } from 'node:fs/promises'
import type { Page } from '@playwright/test'
import { writeScanProject } from './support/scan-project'
import { expect, test } from './support/fixtures'
import { firstAdminSignedIn } from './support/identity'
import { shootBothThemes } from './support/screens'

const ADMIN = 'alice'
const STRONG = 'Correct-Horse-Battery-9!x'
const ADVISORIES = '/work/shared/fixtures/advisories/ghsa-original'
/** GHSA-4w2v-q235-vp99: axios before 0.21.1. */
const SSRF = 'Axios vulnerable to Server-Side Request Forgery'

test.use({ viewport: { width: 1280, height: 800 } })
test.setTimeout(240_000)

const nav = (page: Page) => page.getByRole('navigation', { name: 'Views' })
const tab = (page: Page, name: string) => page.getByRole('tab', { name })

test('scans: import advisories, scan a folder with progress, open a finding, accept its risk', async ({
  page,
  qqsec,
  consoleLog,
}) => {
  const project = await writeScanProject()
  try {
    await firstAdminSignedIn(page, qqsec.startUrl, ADMIN, STRONG)

    await test.step('the Scans view starts empty and says what to do first', async () => {
      await nav(page).getByRole('link', { name: 'Scans' }).click()
      await expect(page.getByRole('heading', { name: 'Scans', level: 2 })).toBeVisible()
      await expect(page.getByTestId('scans-empty')).toContainText('No scan yet')
      await shootBothThemes(page, 'scans-01-empty')
    })

    await test.step('advisories are imported from a folder of OSV records as a job', async () => {
      await tab(page, 'Advisory database').click()
      await expect(page.getByTestId('advisory-status')).toContainText('No advisories yet')
      await page.getByRole('textbox', { name: 'Import advisories' }).fill(ADVISORIES)
      await page.getByRole('button', { name: 'Import', exact: true }).click()
      await expect(page.getByTestId('advisories-imported')).toContainText('24 files')
      await expect(page.getByTestId('advisory-status')).not.toContainText('No advisories yet')
      await shootBothThemes(page, 'scans-02-advisories')
    })

    await test.step('a scan shows its progress, then the summary and the findings', async () => {
      await tab(page, 'Results').click()
      await page.getByRole('textbox', { name: 'Scan a folder' }).fill(project)
      await page.getByRole('button', { name: 'Scan', exact: true }).click()
      const progress = page.getByTestId('job-progress')
      await expect(progress).toBeVisible()
      await expect(progress.getByTestId('job-counts')).toContainText(/files/)
      await expect(progress.getByRole('button', { name: 'Cancel' })).toBeVisible()
      await expect(page.getByTestId('scan-done')).toContainText('risk score', { timeout: 120_000 })
      await expect(page.getByTestId('risk-score')).toBeVisible()
      const table = page.getByTestId('findings-table')
      await expect(table.locator('tr', { hasText: SSRF })).toBeVisible()
      await expect(table.locator('tr', { hasText: SSRF }).locator('[data-status="new"]')).toBeVisible()
      await expect(table.locator('tr', { hasText: 'main.js' }).first()).toBeVisible()
      expect(page.url()).toContain('scan=')
      await shootBothThemes(page, 'scans-03-results')
    })

    await test.step('filters live in the address', async () => {
      await page.getByRole('combobox', { name: 'Kind' }).click()
      await page.getByRole('option', { name: 'Dependency' }).click()
      await expect(page).toHaveURL(/kind=dependency/)
      await expect(page.getByTestId('findings-table').locator('tr', { hasText: 'main.js' })).toHaveCount(0)
      await page.getByRole('button', { name: 'Clear filters' }).click()
      await expect(page).not.toHaveURL(/kind=/)
    })

    await test.step('a finding opens in a drawer with its advisory; Esc closes it', async () => {
      const row = page.getByTestId('findings-table').locator('tr', { hasText: SSRF })
      await row.getByRole('button').first().click()
      const detail = page.getByTestId('finding-detail')
      await expect(detail).toContainText('GHSA-4w2v-q235-vp99')
      await expect(detail).toContainText('0.21.1')
      await expect(detail.getByTestId('advisory-references').locator('a')).toHaveCount(0)
      await page.keyboard.press('Escape')
      await expect(detail).toHaveCount(0)
      await row.getByRole('button').first().click()
      await expect(detail).toBeVisible()
      await shootBothThemes(page, 'scans-04-finding', {
        open: async () => {
          await row.getByRole('button').first().click()
          await expect(detail).toBeVisible()
        },
        close: async () => {
          await page.keyboard.press('Escape')
          await expect(detail).toHaveCount(0)
        },
      })
    })

    await test.step('accepting the risk creates a waiver; the scan shows the finding accepted at once', async () => {
      await page.getByTestId('finding-detail').getByRole('button', { name: 'Accept risk…' }).click()
      const dialog = page.getByRole('dialog', { name: 'Accept this risk' })
      await expect(dialog.getByRole('textbox', { name: 'Scope value' })).toHaveValue('GHSA-4w2v-q235-vp99')
      await dialog.getByRole('button', { name: 'Accept risk' }).click()
      await expect(dialog).toContainText('Say why (at least 5 characters)')
      await dialog
        .getByRole('textbox', { name: 'Reason' })
        .fill('Only talks to our own API over a pinned host')
      const expiry = new Date(Date.now() + 180 * 86_400_000).toISOString().slice(0, 10)
      await dialog.getByLabel('Expires').fill(expiry)
      await dialog.getByRole('button', { name: 'Accept risk' }).click()
      await expect(dialog).toHaveCount(0)
      // the recorded scan is read against the current waivers: no rescan needed
      const row = page.getByTestId('findings-table').locator('tr', { hasText: SSRF })
      await expect(row.locator('[data-status="accepted"]')).toContainText('Accepted (waiver)')
      await expect(page.getByTestId('risk-score-basis')).toContainText('counting the 1 accepted')
      // and a new scan records it accepted
      await page.getByRole('button', { name: 'Scan', exact: true }).click()
      await expect(page.getByTestId('scan-done')).toContainText('1 accepted', { timeout: 120_000 })
      await expect(row.locator('[data-status="accepted"]')).toContainText('Accepted (waiver)')
      await shootBothThemes(page, 'scans-05-accepted')
    })

    await test.step('the plan, the history and the waivers', async () => {
      await tab(page, 'Remediation plan').click()
      await expect(page.getByTestId('remediation')).toBeVisible()
      await shootBothThemes(page, 'scans-06-plan')
      await tab(page, 'History').click()
      await expect(
        page.getByRole('table', { name: 'Recorded scans, newest first' }).locator('tbody tr'),
      ).toHaveCount(2)
      await expect(page.getByRole('img', { name: /Open findings over time/ })).toBeVisible()
      await shootBothThemes(page, 'scans-07-history')
      await tab(page, 'Waivers').click()
      await expect(page.getByTestId('waivers-table')).toContainText('Only talks to our own API')
      await shootBothThemes(page, 'scans-08-waivers')
    })

    await test.step('export downloads the scan as a file', async () => {
      await page.getByRole('button', { name: 'Export' }).click()
      const download = page.waitForEvent('download')
      await page.getByRole('menuitem', { name: /SARIF/ }).click()
      const file = await download
      expect(file.suggestedFilename()).toMatch(/\.sarif$/)
    })

    expect(consoleLog.cspViolations()).toEqual([])
  } finally {
    await rm(project, { recursive: true, force: true })
  }
})
