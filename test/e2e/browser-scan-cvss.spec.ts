import { existsSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from '@playwright/test'
import { expect, test } from './support/fixtures'
import { firstAdminSignedIn } from './support/identity'
import { shootBothThemes } from './support/screens'

const ADMIN = 'alice'
const STRONG = 'Correct-Horse-Battery-9!x'
const ADVISORIES = '/work/shared/fixtures/advisories/ghsa-original'
/** GHSA-qw6h-vgh9-j6wx (express before 4.20.0) carries a CVSS v3.1 vector (5.0) and a v4.0 one (2.3). */
const XSS = 'express vulnerable to XSS via response.redirect()'

test.use({ viewport: { width: 1280, height: 800 } })
test.setTimeout(180_000)

const tab = (page: Page, name: string) => page.getByRole('tab', { name })

/** A one-package project: express 4.19.2 in a package-lock v3. */
async function expressProject(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'qqsec-e2e-cvss-'))
  const deps = { express: '4.19.2' }
  await writeFile(
    join(root, 'package.json'),
    JSON.stringify({ name: 'cvss-app', version: '1.0.0', dependencies: deps }),
  )
  await writeFile(
    join(root, 'package-lock.json'),
    JSON.stringify({
      name: 'cvss-app',
      version: '1.0.0',
      lockfileVersion: 3,
      requires: true,
      packages: {
        '': { name: 'cvss-app', version: '1.0.0', dependencies: deps },
        'node_modules/express': { version: '4.19.2' },
      },
    }),
  )
  return root
}

test('scans: a finding with CVSS v3.1 and v4.0 vectors shows both ratings, v4.0 setting the severity', async ({
  page,
  qqsec,
  consoleLog,
}) => {
  test.skip(!existsSync(ADVISORIES), 'the shared advisory fixtures are not present')
  const project = await expressProject()
  try {
    await firstAdminSignedIn(page, qqsec.startUrl, ADMIN, STRONG)
    await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Scans' }).click()
    await tab(page, 'Advisory database').click()
    await page.getByRole('textbox', { name: 'Import advisories' }).fill(ADVISORIES)
    await page.getByRole('button', { name: 'Import', exact: true }).click()
    await expect(page.getByTestId('advisories-imported')).toContainText('24 files')
    await tab(page, 'Results').click()
    await page.getByRole('textbox', { name: 'Scan a folder' }).fill(project)
    await page.getByRole('button', { name: 'Scan', exact: true }).click()
    await expect(page.getByTestId('scan-done')).toContainText('risk score', { timeout: 120_000 })

    const row = page.getByTestId('findings-table').locator('tr', { hasText: XSS })
    await expect(row).toBeVisible()
    await expect(row).toContainText('Low') // the v4.0 score, 2.3; the v3.1 one (5.0) would be medium
    await row.getByRole('button').first().click()
    const detail = page.getByTestId('finding-detail')
    await expect(detail).toContainText('2.3 (CVSS v4.0, CVSS-B)')
    const ratings = detail.getByTestId('cvss-rating')
    await expect(ratings).toHaveCount(2)
    await expect(ratings.nth(0)).toContainText('CVSS 4.0 (CVSS-B): 2.3 low — used for the severity')
    await expect(ratings.nth(0)).toContainText(
      'CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:P/VC:N/VI:N/VA:N/SC:L/SI:L/SA:L',
    )
    await expect(ratings.nth(1)).toContainText('CVSS 3.1: 5.0 medium')
    await expect(ratings.nth(1)).toContainText('CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:L/A:L')
    await shootBothThemes(page, 'scans-09-cvss-ratings', {
      open: async () => {
        await row.getByRole('button').first().click()
        await expect(detail).toBeVisible()
      },
      close: async () => {
        await page.keyboard.press('Escape')
        await expect(detail).toHaveCount(0)
      },
    })
    expect(consoleLog.cspViolations()).toEqual([])
  } finally {
    await rm(project, { recursive: true, force: true })
  }
})
