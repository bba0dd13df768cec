import { existsSync, readdirSync } from 'node:fs'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from './support/fixtures'
import { firstAdminSignedIn } from './support/identity'
import { shootBothThemes, shootBothThemesInPlace } from './support/screens'
import { npyHeader } from './support/vault-state'

const ADMIN = 'alice'
const STRONG = 'Correct-Horse-Battery-9!x'

test.use({ viewport: { width: 1280, height: 800 } })
test.setTimeout(240_000)

/**
 * A complex128 .npy as NumPy writes it: half the probability on |…011⟩, the rest spread evenly over every other
 * basis state, so the chart's top entry is known (50.00 %).
 */
function bigState(qubits: number): Buffer {
  const len = 2 ** qubits
  const data = Buffer.alloc(len * 16)
  const rest = Math.sqrt(0.5 / (len - 1))
  for (let i = 0; i < len; i++) {
    // alternate signs and put the rest in the imaginary part every third amplitude: varied bytes throughout
    if (i === 3) data.writeDoubleLE(Math.SQRT1_2, i * 16)
    else data.writeDoubleLE(i % 3 === 0 ? 0 : i % 2 ? rest : -rest, i * 16)
    if (i !== 3 && i % 3 === 0) data.writeDoubleLE(rest, i * 16 + 8)
  }
  return Buffer.concat([npyHeader(len), data])
}

const stagedIn = (dataDir: string): string[] => {
  const d = join(dataDir, 'vault', 'uploads')
  return existsSync(d) ? readdirSync(d) : []
}

test('vault: a 2 MiB state dropped on the view is uploaded in chunks, imported, charted and exported byte for byte', async ({
  page,
  qqsec,
  consoleLog,
}) => {
  const dir = await mkdtemp(join(tmpdir(), 'qqsec-e2e-vault-up-'))
  try {
    const bytes = bigState(17)
    expect(bytes.length).toBeGreaterThan(2 * 2 ** 20)
    const original = join(dir, 'big-state.npy')
    await writeFile(original, bytes)
    await firstAdminSignedIn(page, qqsec.startUrl, ADMIN, STRONG)
    await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Vault' }).click()
    await expect(page.getByTestId('vault-empty')).toContainText('or drop its file here')

    await test.step('dropping the file on the vault view opens the import dialog with it picked', async () => {
      const transfer = await page.evaluateHandle(
        ({ b64, name }) => {
          const bin = atob(b64)
          const u8 = new Uint8Array(bin.length)
          for (let i = 0; i < bin.length; i++) u8[i] = bin.charCodeAt(i)
          const dt = new DataTransfer()
          dt.items.add(new File([u8], name, { type: 'application/octet-stream' }))
          return dt
        },
        { b64: bytes.toString('base64'), name: 'big-state.npy' },
      )
      const view = page.getByTestId('vault-view')
      await view.dispatchEvent('dragenter', { dataTransfer: transfer })
      await view.dispatchEvent('dragover', { dataTransfer: transfer })
      await expect(page.getByTestId('vault-drop-overlay')).toBeVisible()
      await view.dispatchEvent('drop', { dataTransfer: transfer })
      const dialog = page.getByRole('dialog', { name: 'Import a state' })
      await expect(dialog).toBeVisible()
      await expect(dialog.getByText('big-state.npy', { exact: true })).toBeVisible()
      await expect(dialog).not.toContainText('180 KiB')
      await shootBothThemesInPlace(page, 'vault-upload-01-dropped')
    })

    await test.step('it is sent in chunks, imported as a job and opens with its chart', async () => {
      const dialog = page.getByRole('dialog', { name: 'Import a state' })
      await dialog.getByRole('textbox', { name: 'Name' }).fill('Big ramp')
      await dialog.getByRole('button', { name: 'Import', exact: true }).click()
      await expect(dialog.getByText('17 qubits, stored encrypted')).toBeVisible({ timeout: 60_000 })
      expect(stagedIn(qqsec.dataDir)).toEqual([])
      await dialog.getByRole('button', { name: 'Close', exact: true }).click()
      const detail = page.getByTestId('vault-detail')
      await expect(detail).toContainText('17 qubits')
      const chart = detail.getByRole('img', { name: /basis states by probability/ })
      await expect(chart).toBeVisible()
      await expect(chart).toContainText('|00000000000000011⟩')
      await expect(chart).toContainText('50.00 %')
      await shootBothThemes(page, 'vault-upload-02-imported')
    })

    await test.step('export gives back the very same 2 MiB', async () => {
      await page.getByTestId('vault-detail').getByRole('button', { name: 'Export' }).click()
      const download = page.waitForEvent('download')
      await page.getByRole('menuitem', { name: 'NumPy .npy' }).click()
      const file = await download
      const saved = join(dir, 'exported.npy')
      await file.saveAs(saved)
      expect(Buffer.compare(await readFile(saved), bytes)).toBe(0)
    })
    expect(consoleLog.cspViolations()).toEqual([])
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
})

test('vault: cancelling a large upload stops it and deletes what was staged', async ({ page, qqsec }) => {
  const dir = await mkdtemp(join(tmpdir(), 'qqsec-e2e-vault-cancel-'))
  try {
    const path = join(dir, 'large.npy')
    await writeFile(path, bigState(22)) // 64 MiB: hundreds of chunks
    await firstAdminSignedIn(page, qqsec.startUrl, ADMIN, STRONG)
    await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Vault' }).click()
    await page.getByRole('button', { name: 'Import state' }).click()
    const dialog = page.getByRole('dialog', { name: 'Import a state' })
    await dialog.locator('input[type="file"]').setInputFiles(path)
    await dialog.getByRole('button', { name: 'Import', exact: true }).click()
    const progress = dialog.getByTestId('upload-progress')
    await expect(progress).toBeVisible()
    await expect(dialog.getByTestId('upload-counts')).toContainText(/of 64\.0 MiB sent/)
    await expect
      .poll(() => stagedIn(qqsec.dataDir).length, { message: 'a staged file while the upload runs' })
      .toBe(1)
    await page.screenshot({
      path: 'test-results/screens/vault-upload-03-progress-dark.png',
      animations: 'disabled',
    })
    await dialog.getByRole('button', { name: 'Cancel upload' }).click()
    await expect(dialog.getByTestId('upload-cancelled')).toContainText('Nothing was stored')
    await shootBothThemesInPlace(page, 'vault-upload-04-cancelled')
    await expect(progress).toHaveCount(0)
    await expect.poll(() => stagedIn(qqsec.dataDir)).toEqual([])
    await dialog.getByRole('button', { name: 'Cancel', exact: true }).click()
    await expect(page.getByTestId('vault-empty')).toContainText('The vault is empty')
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
})
