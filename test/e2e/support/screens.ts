import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { expect, type Page } from '@playwright/test'

const SCREENS_DIR = join('test-results', 'screens')

type Scheme = 'dark' | 'light'

const currentScheme = async (page: Page): Promise<Scheme> =>
  (await page.locator('html').getAttribute('data-mantine-color-scheme')) === 'light' ? 'light' : 'dark'

/** Flip the theme the way a user does: with the toggle in the page. */
export async function switchTheme(page: Page, to: Scheme): Promise<void> {
  if ((await currentScheme(page)) === to) return
  await page.getByRole('button', { name: `Switch to ${to} theme` }).click()
  await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', to)
  // The toggle keeps focus and a tooltip after the click; move both out of the picture.
  await page.mouse.move(1, 799)
  await page.evaluate('document.activeElement instanceof HTMLElement && document.activeElement.blur()')
  await expect(page.getByRole('tooltip')).toHaveCount(0)
}

/**
 * Out of the picture before each shot: the pointer (and the tooltip under it) and transient notifications,
 * which belong to the action before and would cover the screen being shown.
 */
async function clearTransients(page: Page): Promise<void> {
  await page.mouse.move(1, 799)
  const toasts = page.locator('.mantine-Notifications-root').getByRole('button', { name: 'Dismiss' })
  // All at once, as a user's clicks would: each closes with an animation that a stability wait would chase.
  await toasts.evaluateAll((buttons) => buttons.forEach((b) => b instanceof HTMLElement && b.click()))
  await expect(page.locator('.mantine-Notification-root')).toHaveCount(0, { timeout: 10_000 })
  await expect(page.getByRole('tooltip')).toHaveCount(0)
}

interface Overlay {
  open: () => Promise<void>
  close: () => Promise<void>
}

/**
 * One screenshot per theme at the current viewport. When a dialog or drawer is open the toggle is behind it,
 * so `overlay` closes it for the switch and opens it again for the picture.
 */
export async function shootBothThemes(page: Page, name: string, overlay?: Overlay): Promise<void> {
  await mkdir(SCREENS_DIR, { recursive: true })
  const start = await currentScheme(page)
  const order: Scheme[] = start === 'dark' ? ['dark', 'light'] : ['light', 'dark']
  for (const [i, scheme] of order.entries()) {
    if (i > 0) {
      await overlay?.close()
      await switchTheme(page, scheme)
      await overlay?.open()
    }
    await clearTransients(page)
    await page.screenshot({ path: join(SCREENS_DIR, `${name}-${scheme}.png`), animations: 'disabled' })
  }
  await overlay?.close()
  await switchTheme(page, start)
  await overlay?.open()
}

/**
 * For a dialog whose filled-in fields closing would lose: the colour scheme attribute is flipped under the open
 * dialog (Mantine's styles follow it) for the second picture, then put back. The toggle is behind the dialog.
 */
export async function shootBothThemesInPlace(page: Page, name: string): Promise<void> {
  await mkdir(SCREENS_DIR, { recursive: true })
  const start = await currentScheme(page)
  const other: Scheme = start === 'dark' ? 'light' : 'dark'
  const html = page.locator('html')
  await clearTransients(page)
  await page.screenshot({ path: join(SCREENS_DIR, `${name}-${start}.png`), animations: 'disabled' })
  await html.evaluate((el, scheme) => el.setAttribute('data-mantine-color-scheme', scheme), other)
  await page.screenshot({ path: join(SCREENS_DIR, `${name}-${other}.png`), animations: 'disabled' })
  await html.evaluate((el, scheme) => el.setAttribute('data-mantine-color-scheme', scheme), start)
  await expect(html).toHaveAttribute('data-mantine-color-scheme', start)
}
