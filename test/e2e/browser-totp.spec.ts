import { expect, test } from './support/fixtures'
import { firstAdminSignedIn, signOut, submitSignIn } from './support/identity'
import { totp } from './support/totp'

const ADMIN = 'alice'
const PASSWORD = 'Correct-Horse-Battery-9!x'

/** Waits until the authenticator shows a code of a new 30-second step (a used step is refused as a replay). */
async function nextStep(): Promise<void> {
  const ms = 30_000 - (Date.now() % 30_000) + 500
  await new Promise((r) => setTimeout(r, ms))
}

test('sign in again with a fresh authenticator code after signing out; a reused code is refused', async ({
  page,
  qqsec,
  consoleLog,
}) => {
  test.setTimeout(120_000)
  const { secret } = await firstAdminSignedIn(page, qqsec.startUrl, ADMIN, PASSWORD)
  await signOut(page)

  await nextStep()
  const code = totp(secret)
  await submitSignIn(page, ADMIN, PASSWORD)
  await page.getByRole('textbox', { name: 'One-time code' }).fill(code)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await expect(page.getByTestId('signed-in-user')).toContainText(ADMIN)
  await signOut(page)

  // The same code again, within its 30 seconds: refused as already used.
  await submitSignIn(page, ADMIN, PASSWORD)
  await page.getByRole('textbox', { name: 'One-time code' }).fill(code)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await expect(page.getByRole('alert')).toContainText('Wrong or already used code.')
  expect(consoleLog.cspViolations()).toEqual([])
})
