import { readFile } from 'node:fs/promises'
import type { Page } from '@playwright/test'
import { expect, test } from './support/fixtures'
import { firstAdminSignedIn, signOut, submitSignIn } from './support/identity'
import { shootBothThemes, shootBothThemesInPlace } from './support/screens'

const ADMIN = 'alice'
const ADMIN_PASSWORD = 'Correct-Horse-Battery-9!x'
const BOB_PASSWORD = 'Blue-Cactus-Parade-71?q'
const CAROL_PASSWORD = 'Quiet-Lantern-Harbor-38#z'
const CAROL_EMAIL = '-carol@example.com'
const CAROL_NEW_PASSWORD = 'Velvet-Orchard-Compass-52$k'
const CSV_HEADER =
  '"account","email","roles","temporary_roles","mfa","last_login_utc","locked","flags","permissions"'

test.use({ viewport: { width: 1280, height: 800 }, acceptDownloads: true, actionTimeout: 15_000 })

const pad = (n: number) => String(n).padStart(2, '0')
/** Tomorrow at this hour, as a `datetime-local` input takes it (the browser runs in this machine's zone). */
const tomorrowLocal = (): string => {
  const d = new Date(Date.now() + 86_400_000)
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:00`
}

const nav = (page: Page) => page.getByRole('navigation', { name: 'Views' })

async function createAccount(
  page: Page,
  name: string,
  password: string,
  options: { email?: string; screenshot?: string } = {},
) {
  await page.getByRole('button', { name: 'Create account' }).click()
  const dialog = page.getByRole('dialog', { name: 'Create an account' })
  await dialog.getByRole('textbox', { name: 'Account name' }).fill(name)
  if (options.email) await dialog.getByRole('textbox', { name: 'E-mail (optional)' }).fill(options.email)
  await dialog.getByRole('textbox', { name: 'Initial password' }).fill(password)
  await expect(dialog.getByTestId('password-verdict')).toContainText('Meets the policy')
  await expect(dialog.getByTestId('consequence')).toContainText(`Create ${name} with the role user.`)
  if (options.screenshot) await shootBothThemesInPlace(page, options.screenshot)
  await dialog.getByRole('button', { name: 'Create account' }).click()
  await expect(dialog).toBeHidden()
  await expect(page.getByRole('table', { name: 'Accounts' }).locator(`[data-user="${name}"]`)).toBeVisible()
}

/** Sign in again on the lock screen with the password, then a backup code when main asks for the second factor. */
async function unlockWithBackupCode(page: Page, backupCode: string) {
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill(ADMIN_PASSWORD)
  await page.getByRole('button', { name: 'Unlock' }).click()
  await expect(page.getByRole('textbox', { name: 'One-time code' })).toBeVisible()
  await page.getByRole('button', { name: 'Use a backup code instead' }).click()
  await page.getByRole('textbox', { name: 'Backup code' }).fill(backupCode)
  await page.getByRole('button', { name: 'Unlock' }).click()
}

test('browser mode: accounts, roles, access review, settings, account page, lock screen, lockout', async ({
  page,
  qqsec,
  consoleLog,
}) => {
  test.setTimeout(360_000)
  let backupCodes: string[] = []

  await test.step('alice sets up the console with two-factor', async () => {
    const enrollment = await firstAdminSignedIn(page, qqsec.startUrl, ADMIN, ADMIN_PASSWORD)
    backupCodes = enrollment.backupCodes
  })

  await test.step('alice creates bob and carol (role user)', async () => {
    await nav(page).getByRole('link', { name: 'Users' }).click()
    await expect(page.getByRole('table', { name: 'Accounts' })).toContainText(ADMIN)
    await createAccount(page, 'bob', BOB_PASSWORD, { screenshot: 'identity-01-create-account' })
    // An address a spreadsheet would read as a formula: the CSV export must defuse it.
    await createAccount(page, 'carol', CAROL_PASSWORD, { email: CAROL_EMAIL })
  })

  const panel = page.getByTestId('user-detail')

  await test.step('bob opens from the keyboard and gets researcher until tomorrow', async () => {
    await page.getByRole('button', { name: 'Details of bob' }).focus()
    await page.keyboard.press('Enter')
    await expect(panel.getByRole('heading', { name: 'bob' })).toBeFocused()
    await expect(panel).toContainText('No live session: bob is not signed in anywhere.')
    await shootBothThemes(page, 'identity-02a-user-detail-new')

    await panel.getByRole('button', { name: 'Grant role' }).click()
    const dialog = page.getByRole('dialog', { name: 'Grant a role to bob' })
    await dialog.getByRole('combobox', { name: 'Role', exact: true }).click()
    await page.getByRole('option', { name: 'researcher' }).click()
    await dialog.getByLabel('Until').fill(tomorrowLocal())
    await dialog.getByRole('textbox', { name: 'Reason' }).fill('Covers the on-call shift tomorrow')
    await expect(dialog.getByTestId('consequence')).toContainText('Grant researcher to bob until')
    await expect(dialog.getByTestId('consequence')).toContainText('quantum:update')
    await shootBothThemesInPlace(page, 'identity-02-grant-role')
    await dialog.getByRole('button', { name: 'Grant researcher' }).click()
    await expect(dialog).toBeHidden()
    await expect(panel.locator('[data-role="researcher"]')).toContainText('until')
  })

  await test.step('bob signs in elsewhere; locking bob says what happens and ends that session', async () => {
    const browser = page.context().browser()
    if (!browser) throw new Error('no browser behind the page')
    const bobContext = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    const bobPage = await bobContext.newPage()
    await bobPage.goto(qqsec.startUrl)
    await submitSignIn(bobPage, 'bob', BOB_PASSWORD)
    await expect(bobPage.getByTestId('signed-in-user')).toContainText('bob')

    await page.getByRole('button', { name: 'Refresh' }).click()
    await expect(panel.getByRole('heading', { name: 'Sessions (1)' })).toBeVisible()
    await panel.getByRole('button', { name: 'Lock', exact: true }).click()
    const dialog = page.getByRole('dialog', { name: 'Lock bob' })
    await expect(dialog.getByTestId('consequence')).toHaveText(
      "Lock bob: bob's session ends now and bob cannot sign in until unlocked.",
    )
    await dialog.getByRole('button', { name: 'Lock bob' }).click()
    await expect(dialog.getByText('Say why (at least 5 characters)')).toBeVisible()
    await dialog.getByRole('textbox', { name: 'Reason' }).fill('Laptop reported stolen')
    await shootBothThemesInPlace(page, 'identity-03-lock-confirm')
    await dialog.getByRole('button', { name: 'Lock bob' }).click()
    await expect(dialog).toBeHidden()
    const bobRow = page.getByRole('table', { name: 'Accounts' }).locator('[data-user="bob"]')
    await expect(bobRow.locator('[data-lock-state="locked"]')).toBeVisible()
    await expect(panel).toContainText('Cannot sign in until an administrator unlocks it')
    await expect(panel.getByRole('heading', { name: 'Sessions (0)' })).toBeVisible()
    await expect(panel.getByRole('button', { name: 'Unlock' })).toBeVisible()
    await shootBothThemes(page, 'identity-04-user-detail')

    // bob's page learns at its next call that the session is gone.
    await bobPage.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Settings' }).click()
    await expect(bobPage.getByText('Your session ended; sign in again.')).toBeVisible()
    await bobContext.close()
  })

  await test.step('Esc closes the panel and focus returns to the row', async () => {
    await panel.getByRole('heading', { name: 'bob' }).focus()
    await page.keyboard.press('Escape')
    await expect(panel).toBeHidden()
    await expect(page.getByRole('button', { name: 'Details of bob' })).toBeFocused()
  })

  await test.step('main refuses to demote the last administrator, and the dialog says so verbatim', async () => {
    await page.getByRole('button', { name: 'Details of alice' }).click()
    await panel.getByRole('button', { name: 'Revoke admin from alice' }).click()
    const dialog = page.getByRole('dialog', { name: 'Revoke admin from alice' })
    await dialog.getByRole('textbox', { name: 'Reason' }).fill('Trying to leave no administrator')
    await dialog.getByRole('button', { name: 'Revoke admin' }).click()
    const refusal = dialog.getByRole('alert')
    await expect(refusal).toContainText('This is the last administrator; it cannot be demoted.')
    await expect(refusal).toContainText('CONFLICT')
    await shootBothThemesInPlace(page, 'identity-04b-last-admin-refused')
    await dialog.getByRole('button', { name: 'Cancel' }).click()
    await expect(dialog).toBeHidden()
    await expect(panel.locator('[data-role="admin"]')).toBeVisible()
    await page.keyboard.press('Escape')
    await expect(panel).toBeHidden()
  })

  await test.step('the access review flags the elevation and exports CSV', async () => {
    await page.getByRole('tab', { name: 'Access review' }).click()
    const review = page.getByRole('table', { name: 'Access review' })
    const bob = review.locator('[data-review-row="bob"]')
    await expect(bob.locator('[data-flag="temporary-elevation"]')).toBeVisible()
    await expect(bob).toContainText('locked')
    await shootBothThemes(page, 'identity-05-access-review')

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ])
    expect(download.suggestedFilename()).toMatch(/^qqsec-access-review-[\dT-]+Z\.csv$/)
    const csv = await readFile(await download.path(), 'utf8')
    const lines = csv.split('\r\n')
    expect(lines[0]).toBe(CSV_HEADER)
    const bobLine = lines.find((l) => l.startsWith('"bob"'))
    expect(bobLine).toContain('researcher until ')
    expect(bobLine).toContain('temporary-elevation')
    expect(lines.find((l) => l.startsWith('"carol"'))).toContain(`"'${CAROL_EMAIL}"`)

    const [json] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export JSON' }).click(),
    ])
    const parsed = JSON.parse(await readFile(await json.path(), 'utf8')) as { rows: { name: string }[] }
    expect(parsed.rows.map((r) => r.name).sort()).toEqual(['alice', 'bob', 'carol'])
  })

  await test.step('roles: built-in ones listed, a custom role created from checkboxes', async () => {
    await page.getByRole('tab', { name: 'Roles' }).click()
    const roles = page.getByRole('table', { name: 'Roles' })
    await expect(roles.locator('[data-role-row="researcher"]')).toContainText('built-in')
    await page.getByRole('button', { name: 'Create role' }).click()
    const dialog = page.getByRole('dialog', { name: 'Create a role' })
    await dialog.getByRole('textbox', { name: 'Name' }).fill('reviewer')
    await dialog.getByRole('textbox', { name: 'Description' }).fill('Reads accounts and the audit trail')
    await dialog.getByRole('checkbox', { name: 'users:read' }).check()
    await dialog.getByRole('checkbox', { name: 'system:monitor' }).check()
    await expect(dialog.getByTestId('consequence')).toContainText(
      'Create the role reviewer with 2 permissions',
    )
    await shootBothThemesInPlace(page, 'identity-06-create-role')
    await dialog.getByRole('button', { name: 'Create role' }).click()
    await expect(dialog).toBeHidden()
    await expect(roles.locator('[data-role-row="reviewer"]')).toContainText('custom')
    await shootBothThemes(page, 'identity-07-roles')
  })

  const lockout = page.getByRole('textbox', { name: 'Lockout length (minutes)' })

  await test.step('settings: a range refusal in main’s words, then lockout 30 → 20 survives a reload', async () => {
    await nav(page).getByRole('link', { name: 'Settings' }).click()
    await expect(lockout).toHaveValue('30')
    await expect(page.getByText(/At least 12 characters, no composition rules/)).toBeVisible()
    await shootBothThemes(page, 'identity-08-settings')

    const conditions = page.getByRole('region', { name: 'Access conditions' })
    await conditions.getByRole('combobox', { name: 'Permission for a new window' }).click()
    await page.getByRole('option', { name: 'system:backup' }).click()
    await conditions.getByRole('button', { name: 'Add window' }).click()
    await conditions.getByRole('combobox', { name: 'Permission for a new restriction' }).click()
    await page.getByRole('option', { name: 'system:configure' }).click()
    await conditions.getByRole('button', { name: 'Add restriction' }).click()
    await expect(page.getByTestId('settings-changes')).toHaveText(
      'Unsaved: time windows, client restrictions.',
    )
    await conditions.scrollIntoViewIfNeeded()
    await shootBothThemes(page, 'identity-08b-access-conditions')
    await page.getByRole('button', { name: 'Discard' }).click()
    await expect(page.getByTestId('settings-changes')).toHaveText('No unsaved changes.')

    await page.getByRole('textbox', { name: 'Failed attempts', exact: true }).fill('50')
    await page.getByRole('button', { name: 'Save changes' }).click()
    const refusal = page.getByRole('alert').filter({ hasText: 'The settings were not saved' })
    await expect(refusal).toContainText('maxFailedAttempts')
    await expect(refusal).toContainText('INVALID_INPUT')
    await page.getByRole('button', { name: 'Discard' }).click()

    await lockout.fill('20')
    await expect(page.getByTestId('settings-changes')).toHaveText('Unsaved: lockout length.')
    await page.getByRole('button', { name: 'Save changes' }).click()
    await expect(page.getByTestId('settings-changes')).toHaveText('No unsaved changes.')
    await page.reload()
    await expect(lockout).toHaveValue('20')
  })

  await test.step('account page: sessions, new backup codes copied and cleared from the clipboard', async () => {
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: qqsec.origin })
    await page.getByTestId('signed-in-user').click()
    await expect(page.getByRole('heading', { name: 'Your account' })).toBeVisible()
    await expect(page.getByRole('table', { name: 'Your sessions' })).toContainText('this session')
    await expect(page.getByTestId('mfa-state')).toHaveText('On')
    await shootBothThemes(page, 'identity-09-account')

    await page.getByRole('button', { name: 'New backup codes' }).click()
    const dialog = page.getByRole('dialog', { name: 'New backup codes' })
    await dialog.getByLabel('Your password').fill(ADMIN_PASSWORD)
    await dialog.getByRole('button', { name: 'Make new codes' }).click()
    await expect(dialog.locator('[data-backup-code]')).toHaveCount(10)
    backupCodes = await dialog.locator('[data-backup-code]').allInnerTexts()
    await dialog.getByRole('button', { name: 'Copy the codes' }).click()
    await expect(dialog.getByTestId('clipboard-status')).toHaveText(
      /Copied\. The clipboard is cleared in \d+ s\./,
    )
    expect(await page.evaluate<string>('navigator.clipboard.readText()')).toBe(backupCodes.join('\n'))
    await shootBothThemesInPlace(page, 'identity-10-backup-codes')
    await dialog.getByRole('button', { name: 'I have stored them' }).click()
    await expect(dialog).toBeHidden()

    await page.getByRole('button', { name: 'Turn off' }).click()
    const off = page.getByRole('dialog', { name: 'Turn off two-factor authentication' })
    await expect(off.getByTestId('consequence')).toContainText('Your roles require two-factor')
    await off.getByLabel('Your password').fill(ADMIN_PASSWORD)
    await off.getByRole('button', { name: 'Turn off two-factor' }).click()
    const refusal = off.getByRole('alert')
    await expect(refusal).toContainText(
      'Your role requires two-factor authentication; it cannot be turned off.',
    )
    await expect(refusal).toContainText('FORBIDDEN')
    await shootBothThemesInPlace(page, 'identity-10b-mfa-off-refused')
    await off.getByRole('button', { name: 'Cancel' }).click()
    await expect(off).toBeHidden()
    await expect(page.getByTestId('mfa-state')).toHaveText('On')
  })

  await test.step('the Lock button locks; signing in again returns to the same place', async () => {
    await page.getByRole('button', { name: 'Lock the console' }).click()
    await expect(page.getByRole('heading', { name: 'Console locked' })).toBeVisible()
    await expect(page.getByTestId('locked-account')).toHaveText(ADMIN)
    await expect(page.getByText('You locked the console at')).toBeVisible()
    await shootBothThemes(page, 'identity-11-lock-screen')
    await unlockWithBackupCode(page, backupCodes[0] ?? '')
    await expect(page.getByRole('heading', { name: 'Your account' })).toBeVisible()
    expect(new URL(page.url()).hash).toBe('#/account')
  })

  await test.step('idle time running out locks the console by itself', async () => {
    await nav(page).getByRole('link', { name: 'Settings' }).click()
    await page.getByRole('textbox', { name: 'Idle timeout (minutes)' }).fill('1')
    await page.getByRole('button', { name: 'Save changes' }).click()
    await expect(page.getByTestId('settings-changes')).toHaveText('No unsaved changes.')
    await expect(page.getByTestId('session-left')).toHaveText(/^[01]:\d\d$/)
    await expect(page.getByRole('heading', { name: 'Console locked' })).toBeVisible({ timeout: 90_000 })
    await expect(page.getByText('Locked after 1 min without activity')).toBeVisible()
    await unlockWithBackupCode(page, backupCodes[1] ?? '')
    await expect(lockout).toHaveValue('20')
    expect(new URL(page.url()).hash).toBe('#/settings')
    await page.getByRole('textbox', { name: 'Idle timeout (minutes)' }).fill('15')
    await page.getByRole('button', { name: 'Save changes' }).click()
    await expect(page.getByTestId('settings-changes')).toHaveText('No unsaved changes.')
  })

  await test.step('carol (role user) does not see accounts, and reads the settings only', async () => {
    await signOut(page)
    await submitSignIn(page, 'carol', CAROL_PASSWORD)
    await expect(page.getByTestId('signed-in-user')).toContainText('carol')
    await nav(page).getByRole('link', { name: 'Users' }).click()
    await expect(page.getByText('needs the permission users:read')).toBeVisible()
    await shootBothThemes(page, 'identity-12-users-not-allowed')
    await nav(page).getByRole('link', { name: 'Settings' }).click()
    await expect(
      page.getByText('Changing these settings needs the permission system:configure'),
    ).toBeVisible()
    await expect(lockout).not.toBeEditable()
    await shootBothThemes(page, 'identity-13-settings-read-only')
    await page.getByTestId('signed-in-user').click()
    const change = page.getByRole('form', { name: 'Change your password' })
    await change.getByRole('textbox', { name: 'Current password', exact: true }).fill(CAROL_PASSWORD)
    await change.getByRole('textbox', { name: 'New password', exact: true }).fill(CAROL_NEW_PASSWORD)
    await change
      .getByRole('textbox', { name: 'Confirm the new password', exact: true })
      .fill(CAROL_NEW_PASSWORD)
    await expect(change.getByTestId('password-verdict')).toContainText('Meets the policy')
    await change.getByRole('button', { name: 'Change password' }).click()
    await expect(change.getByRole('status')).toHaveText('Password changed. No other session was open.')
    await expect(page.getByTestId('mfa-state')).toHaveText('Off')
    await expect(page.getByRole('button', { name: 'Set up an authenticator app' })).toBeVisible()
    await shootBothThemes(page, 'identity-14-account-without-mfa')
  })

  await test.step('carol signs out everywhere', async () => {
    await page.getByRole('button', { name: 'Sign out everywhere' }).click()
    const dialog = page.getByRole('dialog', { name: 'Sign out everywhere' })
    await expect(dialog.getByTestId('consequence')).toContainText("End carol's only session, this one")
    await dialog.getByRole('button', { name: 'Sign out everywhere' }).click()
    await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible()
    await expect(page.getByText('Signed out everywhere: 1 session ended.')).toBeVisible()
  })

  await test.step('five wrong passwords lock carol, and the screen says until when', async () => {
    const password = page.getByRole('textbox', { name: 'Password', exact: true })
    for (let i = 1; i <= 5; i++) {
      await submitSignIn(page, 'carol', `not-carols-password-${i}`)
      // The refused password leaves the field once main has answered.
      await expect(password).toHaveValue('')
      if (i < 5) await expect(page.getByRole('alert')).toContainText('Wrong account name or password.')
    }
    const alert = page.getByRole('alert')
    await expect(alert).toContainText(
      /Account locked until \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC after 5 failed attempts\./,
    )
    await expect(alert).toContainText('LOCKED')
    await shootBothThemes(page, 'identity-15-login-locked')
  })

  await test.step('the page caused no CSP violations', async () => {
    expect(consoleLog.cspViolations(), `console errors: ${consoleLog.errors.join('\n')}`).toEqual([])
  })
})
