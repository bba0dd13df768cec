import { expect, test } from './support/fixtures'
import { shootBothThemes } from './support/screens'
import { totp } from './support/totp'

const ADMIN = 'alice'
const STRONG = 'Correct-Horse-Battery-9!x'

test.use({ viewport: { width: 1280, height: 800 } })

test('browser mode: first administrator, sign in, sign out, wrong password, ended session', async ({
  page,
  qqsec,
  consoleLog,
}) => {
  await test.step('the start address opens Setup and the token leaves the address bar', async () => {
    await page.goto(qqsec.startUrl)
    await expect(page.getByRole('heading', { name: 'Create the first administrator' })).toBeVisible()
    expect(page.url()).not.toContain('token=')
    await shootBothThemes(page, '01-setup')
  })

  await test.step('a weak password shows the rules it fails', async () => {
    await page.getByRole('textbox', { name: 'Account name' }).fill(ADMIN)
    await page.getByRole('textbox', { name: 'Password', exact: true }).fill('password1234')
    const verdict = page.getByTestId('password-verdict')
    await expect(verdict).toContainText('Does not meet the policy yet')
    await expect(verdict.locator('[data-rule]').first()).toBeVisible()
    await expect(verdict).toContainText(/commonly used password|Too easy to guess/)
    await page.getByRole('button', { name: 'Create administrator' }).click()
    await expect(
      page.getByText('This password does not meet the policy yet; see the rules below.'),
    ).toBeVisible()
    await shootBothThemes(page, '02-setup-weak-password')
  })

  await test.step('a strong password creates the administrator and leads to Login', async () => {
    await page.getByRole('textbox', { name: 'Password', exact: true }).fill(STRONG)
    await page.getByRole('textbox', { name: 'Confirm password' }).fill(STRONG)
    await expect(page.getByTestId('password-verdict')).toContainText('Meets the policy')
    await page.getByRole('button', { name: 'Create administrator' }).click()
    await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible()
    await expect(page.getByText('Administrator created — sign in')).toBeVisible()
    await shootBothThemes(page, '03-login-after-setup')
  })

  const backupCodes: string[] = []

  await test.step('the first sign-in of an administrator sets up two-factor authentication', async () => {
    await expect(page.getByRole('textbox', { name: 'Account name' })).toHaveValue(ADMIN)
    await page.getByRole('textbox', { name: 'Password', exact: true }).fill(STRONG)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await expect(page.getByRole('heading', { name: 'Set up two-factor authentication' })).toBeVisible()
    await page.getByRole('button', { name: 'Set up an authenticator app' }).click()
    await expect(page.getByRole('img', { name: /QR code/ })).toBeVisible()
    await shootBothThemes(page, '04-mfa-enrollment')
    await page.getByRole('button', { name: /Show the key/ }).click()
    const secret = (await page.getByTestId('mfa-secret').innerText()).replace(/\s/g, '')
    await page.getByRole('textbox', { name: /6-digit code/ }).fill(totp(secret))
    await page.getByRole('button', { name: 'Turn on two-factor authentication' }).click()
    await expect(page.getByText('Two-factor authentication is on.')).toBeVisible()
    backupCodes.push(...(await page.locator('[data-backup-code]').allInnerTexts()))
    expect(backupCodes).toHaveLength(10)
    await shootBothThemes(page, '05-mfa-backup-codes')
    await page.getByRole('checkbox', { name: 'I have stored these codes' }).check()
    await page.getByRole('button', { name: 'Continue to the console' }).click()
  })

  await test.step('then the shell shows the account name', async () => {
    await expect(page.getByTestId('signed-in-user')).toContainText(ADMIN)
    await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible()
    await expect(page.getByRole('heading', { name: `Welcome, ${ADMIN}` })).toBeVisible()
    await expect(page.getByRole('table', { name: 'The 10 newest audit entries' })).toBeVisible()
    await shootBothThemes(page, '06-dashboard')
  })

  await test.step('the shell works from the keyboard with a visible focus ring', async () => {
    await page.keyboard.press('g')
    await page.keyboard.press('a')
    await expect(page.getByRole('heading', { name: 'Audit', level: 2 })).toBeVisible()
    await page.keyboard.press('g')
    await page.keyboard.press('d')
    await expect(page.getByRole('heading', { name: 'Dashboard', level: 2 })).toBeVisible()

    const reached: string[] = []
    for (let i = 0; i < 24; i++) {
      await page.keyboard.press('Tab')
      // null while focus has left the page (Tab past the last control), which is not a control to check.
      const focused = await page.evaluate<{ name: string; outline: string } | null>(`(() => {
        const el = document.activeElement
        if (!el || el === document.body) return null
        const name = (el.getAttribute('aria-label') || el.textContent || '').trim()
        return { name, outline: getComputedStyle(el).outlineStyle }
      })()`)
      if (!focused) continue
      expect(focused.outline, `focus ring on "${focused.name}"`).not.toBe('none')
      reached.push(focused.name)
    }
    for (const name of ['Sign out', 'Keyboard shortcuts', 'Switch to light theme', 'Users', 'Audit']) {
      expect(
        reached.some((r) => r.startsWith(name)),
        `Tab reaches "${name}"`,
      ).toBe(true)
    }
  })

  await test.step('no secret is kept in page storage or readable cookies', async () => {
    const state = await page.context().storageState()
    const localKeys = state.origins.flatMap((o) => o.localStorage.map((item) => item.name))
    expect(localKeys.filter((k) => k !== 'qqsec-color-scheme')).toEqual([])
    expect(await page.evaluate<number>('sessionStorage.length')).toBe(0)
    expect(await page.evaluate<string>('document.cookie')).toBe('')
    expect(state.cookies.map((c) => [c.name, c.httpOnly])).toEqual(
      expect.arrayContaining([['qqsec_session', true]]),
    )
    expect(state.cookies.every((c) => c.httpOnly)).toBe(true)
  })

  await test.step('the other views render', async () => {
    const nav = page.getByRole('navigation', { name: 'Views' })
    await nav.getByRole('link', { name: 'Users' }).click()
    await expect(page.getByRole('table', { name: 'Accounts' })).toContainText(ADMIN)
    await shootBothThemes(page, '07-users')

    await nav.getByRole('link', { name: 'Audit' }).click()
    const audit = page.getByRole('table', { name: 'Audit entries, newest first' })
    await expect(audit).toContainText('auth.login')
    await shootBothThemes(page, '08-audit')

    const drawer = page.getByRole('dialog')
    const openNewestLogin = async () => {
      await audit
        .getByRole('row', { name: /: auth\.login, success/ })
        .first()
        .click()
      await expect(drawer.getByTestId('entry-hash')).toHaveText(/^[0-9a-f]{64}$/)
    }
    const closeDrawer = async () => {
      await page.keyboard.press('Escape')
      await expect(drawer).toBeHidden()
    }
    await openNewestLogin()
    await shootBothThemes(page, '09-audit-entry', { open: openNewestLogin, close: closeDrawer })
    await closeDrawer()

    await nav.getByRole('link', { name: 'Vault' }).click()
    await expect(page.getByRole('heading', { name: 'Vault', level: 2 })).toBeVisible()
    await shootBothThemes(page, '10-vault')

    const shortcuts = page.getByRole('dialog', { name: 'Keyboard shortcuts' })
    const openShortcuts = async () => {
      await page.keyboard.press('?')
      await expect(shortcuts).toBeVisible()
    }
    const closeShortcuts = async () => {
      await page.keyboard.press('Escape')
      await expect(shortcuts).toBeHidden()
    }
    await openShortcuts()
    await shootBothThemes(page, '11-shortcuts', { open: openShortcuts, close: closeShortcuts })
    await closeShortcuts()
  })

  await test.step('signing out returns to Login', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click()
    await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible()
    await expect(page.getByText('Signed out.')).toBeVisible()
  })

  await test.step('a wrong password is refused with the server’s words', async () => {
    await page.getByRole('textbox', { name: 'Account name' }).fill(ADMIN)
    await page.getByRole('textbox', { name: 'Password', exact: true }).fill('not-the-password-at-all')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await expect(page.getByRole('alert')).toContainText('Wrong account name or password.')
    await expect(page.getByRole('alert')).toContainText('BAD_CREDENTIALS')
    await shootBothThemes(page, '12-login-wrong-password')
  })

  await test.step('a session that ends on the server sends the user back to Login', async () => {
    await page.getByRole('textbox', { name: 'Password', exact: true }).fill(STRONG)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await expect(page.getByRole('status')).toContainText('Enter the 6-digit code')
    await expect(page.getByRole('textbox', { name: 'One-time code' })).toBeVisible()
    // The enrollment code's time step is spent (replay refused), so sign in with a backup code.
    await page.getByRole('button', { name: 'Use a backup code instead' }).click()
    await page.getByRole('textbox', { name: 'Backup code' }).fill(backupCodes[0] ?? '')
    await shootBothThemes(page, '13-login-backup-code')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await expect(page.getByTestId('signed-in-user')).toContainText(ADMIN)
    await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Audit' }).click()
    const audit = page.getByRole('table', { name: 'Audit entries, newest first' })
    await expect(audit.locator('[data-severity="medium"]').first()).toContainText('Medium')
    await shootBothThemes(page, '14-audit-with-refusals')
    await page.context().clearCookies({ name: 'qqsec_session' })
    await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Users' }).click()
    await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible()
    await expect(page.getByText('Your session ended; sign in again.')).toBeVisible()
  })

  await test.step('the page caused no CSP violations', async () => {
    expect(consoleLog.cspViolations(), `console errors: ${consoleLog.errors.join('\n')}`).toEqual([])
  })
})
