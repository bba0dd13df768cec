import { expect, type Page } from '@playwright/test'
import { totp } from './totp'

/** The steps every identity spec starts with, as a user takes them in the page. */

/** From the start address: Setup creates the first administrator and leads to Login. */
export async function createFirstAdmin(page: Page, startUrl: string, name: string, password: string) {
  await page.goto(startUrl)
  await expect(page.getByRole('heading', { name: 'Create the first administrator' })).toBeVisible()
  await page.getByRole('textbox', { name: 'Account name' }).fill(name)
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill(password)
  await page.getByRole('textbox', { name: 'Confirm password' }).fill(password)
  await expect(page.getByTestId('password-verdict')).toContainText('Meets the policy')
  await page.getByRole('button', { name: 'Create administrator' }).click()
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible()
}

/** Fills the sign-in form (account name and password) and submits it. */
export async function submitSignIn(page: Page, name: string, password: string) {
  await page.getByRole('textbox', { name: 'Account name' }).fill(name)
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill(password)
  await page.getByRole('button', { name: 'Sign in' }).click()
}

export interface Enrollment {
  secret: string
  backupCodes: string[]
}

/**
 * The first sign-in of an account whose role requires MFA: the enrollment screen, the key shown as text, a
 * code from it, the backup codes. Ends on the enrollment screen's backup codes, before "Continue".
 */
export async function enrollAuthenticator(page: Page): Promise<Enrollment> {
  await expect(page.getByRole('heading', { name: 'Set up two-factor authentication' })).toBeVisible()
  await page.getByRole('button', { name: 'Set up an authenticator app' }).click()
  await expect(page.getByRole('img', { name: /QR code/ })).toBeVisible()
  await page.getByRole('button', { name: /Show the key/ }).click()
  const secret = (await page.getByTestId('mfa-secret').innerText()).replace(/\s/g, '')
  await page.getByRole('textbox', { name: /6-digit code/ }).fill(totp(secret))
  await page.getByRole('button', { name: 'Turn on two-factor authentication' }).click()
  await expect(page.getByText('Two-factor authentication is on.')).toBeVisible()
  const backupCodes = await page.locator('[data-backup-code]').allInnerTexts()
  expect(backupCodes).toHaveLength(10)
  return { secret, backupCodes }
}

/** Leaves the enrollment screen for the console once the codes are stored. */
export async function continueToConsole(page: Page, name: string) {
  await page.getByRole('checkbox', { name: 'I have stored these codes' }).check()
  await page.getByRole('button', { name: 'Continue to the console' }).click()
  await expect(page.getByTestId('signed-in-user')).toContainText(name)
}

/** A new console with its administrator signed in and enrolled: Setup, sign-in, MFA enrollment, shell. */
export async function firstAdminSignedIn(
  page: Page,
  startUrl: string,
  name: string,
  password: string,
): Promise<Enrollment> {
  await createFirstAdmin(page, startUrl, name, password)
  await submitSignIn(page, name, password)
  const enrollment = await enrollAuthenticator(page)
  await continueToConsole(page, name)
  return enrollment
}

export async function signOut(page: Page) {
  await page.getByRole('button', { name: 'Sign out', exact: true }).click()
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible()
}
