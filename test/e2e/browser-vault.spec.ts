import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from './support/fixtures'
import { firstAdminSignedIn } from './support/identity'
import { shootBothThemes } from './support/screens'
import { writeNpyState } from './support/vault-state'

const ADMIN = 'alice'
const STRONG = 'Correct-Horse-Battery-9!x'

test.use({ viewport: { width: 1280, height: 800 } })
test.setTimeout(180_000)

test('vault: import a .npy state from the page, see its chart, export it byte for byte', async ({
  page,
  qqsec,
  consoleLog,
}) => {
  const dir = await mkdtemp(join(tmpdir(), 'qqsec-e2e-vault-'))
  try {
    const original = await writeNpyState(dir)
    await firstAdminSignedIn(page, qqsec.startUrl, ADMIN, STRONG)

    await test.step('the vault starts empty and says what to do first', async () => {
      await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Vault' }).click()
      await expect(page.getByRole('heading', { name: 'Vault', level: 2 })).toBeVisible()
      await expect(page.getByTestId('vault-empty')).toContainText('The vault is empty')
      await shootBothThemes(page, 'vault-01-empty')
    })

    await test.step('a picked file is imported as a job and opens with its chart', async () => {
      await page.getByRole('button', { name: 'Import state' }).click()
      const dialog = page.getByRole('dialog', { name: 'Import a state' })
      await dialog.locator('input[type="file"]').setInputFiles(original)
      await dialog.getByRole('textbox', { name: 'Name' }).fill('Bell mix')
      await dialog.getByRole('button', { name: 'Import', exact: true }).click()
      await expect(dialog.getByText('3 qubits, stored encrypted')).toBeVisible()
      await dialog.getByRole('button', { name: 'Close', exact: true }).click()
      await expect(page.getByTestId('vault-table')).toContainText('Bell mix')
      const detail = page.getByTestId('vault-detail')
      await expect(detail).toContainText('3 qubits')
      const chart = detail.getByRole('img', { name: /Top 4 basis states by probability/ })
      await expect(chart).toBeVisible()
      await expect(chart).toContainText('|011⟩')
      await expect(chart).toContainText('25.00 %')
      await shootBothThemes(page, 'vault-02-detail')
    })

    await test.step('verify checks the state as a job', async () => {
      await page.getByTestId('vault-detail').getByRole('button', { name: 'Verify' }).click()
      await expect(page.getByTestId('vault-verify-result')).toContainText('Verified: 1 of 1 intact')
    })

    await test.step('export gives back the very same bytes', async () => {
      await page.getByTestId('vault-detail').getByRole('button', { name: 'Export' }).click()
      const download = page.waitForEvent('download')
      await page.getByRole('menuitem', { name: 'NumPy .npy' }).click()
      const file = await download
      expect(file.suggestedFilename()).toBe('Bell_mix.npy')
      const saved = join(dir, 'exported.npy')
      await file.saveAs(saved)
      expect(Buffer.compare(await readFile(saved), await readFile(original))).toBe(0)
    })

    await test.step('rotate keys says what will happen before it runs', async () => {
      await page.getByRole('button', { name: 'Rotate keys…' }).click()
      const dialog = page.getByRole('dialog', { name: 'Rotate the vault keys' })
      await expect(dialog).toContainText('is rewrapped to it')
      await page.keyboard.press('Escape')
      await expect(dialog).toHaveCount(0)
    })

    expect(consoleLog.cspViolations()).toEqual([])
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
})
