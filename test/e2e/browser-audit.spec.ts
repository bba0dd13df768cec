import { readFile } from 'node:fs/promises'
import type { Page } from '@playwright/test'
import { expect, test } from './support/fixtures'
import { firstAdminSignedIn } from './support/identity'
import { shootBothThemes, shootBothThemesInPlace } from './support/screens'

const ADMIN = 'alice'
const ADMIN_PASSWORD = 'Correct-Horse-Battery-9!x'

test.use({ viewport: { width: 1280, height: 800 }, acceptDownloads: true, actionTimeout: 15_000 })

const nav = (page: Page) => page.getByRole('navigation', { name: 'Views' })

test('browser mode: dashboard metrics, audit view (chain, filter, entry, export), compliance report', async ({
  page,
  qqsec,
  consoleLog,
}) => {
  test.setTimeout(300_000)

  await test.step('alice sets up the console', async () => {
    await firstAdminSignedIn(page, qqsec.startUrl, ADMIN, ADMIN_PASSWORD)
  })

  await test.step('the dashboard shows the week in tiles and charts', async () => {
    await nav(page).getByRole('link', { name: 'Dashboard' }).click()
    const metrics = page.getByTestId('metrics')
    await expect(metrics).toBeVisible()
    await expect(metrics.getByTestId('metric-Authentication')).toContainText(/[1-9]/)
    await expect(page.getByTestId('chart-events-by-type').getByRole('img')).toBeVisible()
    await expect(page.getByTestId('chart-risk')).toContainText('Low')
    await shootBothThemes(page, 'audit-00-dashboard')
  })

  await test.step('the audit view opens with the chain intact', async () => {
    await nav(page).getByRole('link', { name: 'Audit' }).click()
    const banner = page.getByTestId('chain-banner')
    await expect(banner).toHaveAttribute('data-chain', 'intact')
    await expect(banner).toContainText('Audit chain intact')
    await expect(page.getByRole('table', { name: 'Audit entries, newest first' })).toBeVisible()
    await shootBothThemes(page, 'audit-01-view')
  })

  await test.step('filter by type: the URL keeps it and every row has that type', async () => {
    await page.getByRole('combobox', { name: 'Type' }).selectOption('authentication')
    await page.getByRole('textbox', { name: 'Actor' }).press('Enter')
    await expect(page).toHaveURL(/#\/audit\?type=authentication/)
    const types = page.locator('[role="row"][data-seq] [role="cell"]:nth-child(3)')
    await expect(types.first()).toBeVisible()
    // The list follows the URL; poll until the rows are the filtered ones.
    await expect.poll(async () => [...new Set(await types.allInnerTexts())]).toEqual(['authentication'])
    // A bookmark restores the same view.
    await page.reload()
    await expect(page.getByRole('combobox', { name: 'Type' })).toHaveValue('authentication')
  })

  await test.step('open an entry; Esc closes it', async () => {
    const first = page.locator('[role="row"][data-seq]').first()
    const seq = await first.getAttribute('data-seq')
    await first.click()
    const drawer = page.getByRole('dialog', { name: `Audit entry #${seq}` })
    await expect(drawer).toBeVisible()
    await expect(drawer.getByTestId('entry-hash')).toHaveText(/^[0-9a-f]{64}$/)
    await expect(drawer).toContainText('Previous hash')
    await shootBothThemesInPlace(page, 'audit-02-entry')
    await page.keyboard.press('Escape')
    await expect(drawer).toBeHidden()
  })

  await test.step('export JSON Lines: the first line is an entry with seq and hash', async () => {
    await page.getByRole('button', { name: 'Export' }).click()
    const downloading = page.waitForEvent('download')
    await page.getByRole('menuitem', { name: 'JSON Lines' }).click()
    const download = await downloading
    expect(download.suggestedFilename()).toMatch(/^qqsec-audit-.*\.jsonl$/)
    const path = await download.path()
    const text = await readFile(path, 'utf8')
    const firstLine = JSON.parse(text.split('\n')[0] ?? '') as { seq?: unknown; hash?: unknown }
    expect(firstLine.seq).toBe(1)
    expect(typeof firstLine.hash).toBe('string')
    await expect(page.getByTestId('export-progress')).toHaveAttribute('data-state', 'done')
    await expect(page.getByTestId('export-progress')).toContainText('1 page(s)')
    await page.getByTestId('export-progress').getByRole('button', { name: 'Close', exact: true }).click()
  })

  await test.step('compliance: run a report and read the rules', async () => {
    await nav(page).getByRole('link', { name: 'Compliance' }).click()
    await expect(page.getByTestId('compliance-empty')).toBeVisible()
    await page.getByRole('combobox', { name: 'Standard' }).selectOption('all')
    await page.getByRole('button', { name: 'Run report' }).click()
    const rules = page.getByRole('table', { name: 'Compliance rules' })
    await expect(rules).toBeVisible()
    expect(await rules.locator('tbody tr').count()).toBeGreaterThan(0)
    await expect(rules.locator('[data-severity]').first()).toBeVisible()
    await shootBothThemes(page, 'audit-03-compliance')
  })

  await test.step('compliance: the evidence bundle downloads and shows its key fingerprint', async () => {
    await page.getByRole('button', { name: 'Export' }).click()
    await page.getByRole('menuitem', { name: 'Evidence bundle…' }).click()
    const dialog = page.getByRole('dialog', { name: 'Evidence bundle' })
    const downloading = page.waitForEvent('download')
    await dialog.getByRole('button', { name: 'Make and download bundle' }).click()
    const download = await downloading
    const bundle = JSON.parse(await readFile(await download.path(), 'utf8')) as { format?: string }
    expect(bundle.format).toBe('qq-verse-evidence-bundle')
    await expect(dialog.getByTestId('bundle-fingerprint')).not.toBeEmpty()
    await shootBothThemesInPlace(page, 'audit-04-bundle')
  })

  expect(consoleLog.cspViolations()).toEqual([])
})
