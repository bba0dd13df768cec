import type { Page } from '@playwright/test'
import { expect, test } from './support/fixtures'
import { firstAdminSignedIn } from './support/identity'

test.use({ viewport: { width: 1280, height: 800 }, actionTimeout: 15_000 })

const nav = (page: Page) => page.getByRole('navigation', { name: 'Views' })

test('browser mode: archive old audit entries from the Audit view (age, confirmation, progress, result)', async ({
  page,
  qqsec,
  consoleLog,
}) => {
  test.setTimeout(180_000)
  await firstAdminSignedIn(page, qqsec.startUrl, 'alice', 'Correct-Horse-Battery-9!x')
  await nav(page).getByRole('link', { name: 'Audit' }).click()
  await expect(page.getByTestId('chain-banner')).toHaveAttribute('data-chain', 'intact')

  await page.getByTestId('audit-archive').click()
  const dialog = page.getByRole('dialog', { name: 'Archive old audit entries' })
  await expect(dialog).toContainText('Retention is off')
  // Nothing is a year old yet.
  await dialog.getByRole('button', { name: 'Continue…' }).click()
  await expect(dialog).toContainText('No audit entries are older than 365 days')

  const age = dialog.getByRole('textbox', { name: 'Archive entries older than (days)' })
  await age.fill('0')
  await dialog.getByRole('button', { name: 'Continue…' }).click()
  const confirm = dialog.getByTestId('archive-confirm')
  await expect(confirm).toContainText(/Entries 1–\d+/)
  await expect(confirm).toContainText('Search, metrics and compliance reports cover only the live log')
  await dialog.getByTestId('archive-start').click()
  const done = dialog.getByTestId('archive-done')
  await expect(done).toBeVisible()
  await expect(done).toContainText(/audit-archives\/audit-1-\d+-\d{4}-\d{2}-\d{2}\.jsonl\.gz/)
  await dialog.getByRole('button', { name: 'Close', exact: true }).click()

  const banner = page.getByTestId('chain-banner')
  await expect(banner).toHaveAttribute('data-chain', 'intact')
  await expect(banner).toContainText('older ones are archived')
  expect(consoleLog.cspViolations()).toEqual([])
})
