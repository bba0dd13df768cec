import { expect, test } from './support/fixtures'
import { shootBothThemes } from './support/screens'

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

  await test.step('signing in shows the shell with the account name', async () => {
    await expect(page.getByRole('textbox', { name: 'Account name' })).toHaveValue(ADMIN)
    await page.getByRole('textbox', { name: 'Password', exact: true }).fill(STRONG)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await expect(page.getByTestId('signed-in-user')).toContainText(ADMIN)
    await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible()
    await expect(page.getByRole('heading', { name: `Welcome, ${ADMIN}` })).toBeVisible()
    await expect(page.getByRole('table', { name: 'The 10 newest audit entries' })).toBeVisible()
    await shootBothThemes(page, '04-dashboard')
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
    await shootBothThemes(page, '05-users')

    await nav.getByRole('link', { name: 'Audit' }).click()
    const audit = page.getByRole('table', { name: 'Audit entries, newest first' })
    await expect(audit).toContainText('auth.login')
    await shootBothThemes(page, '06-audit')

    const drawer = page.getByRole('dialog')
    const openNewestLogin = async () => {
      await audit
        .getByRole('button', { name: /: auth\.login$/ })
        .first()
        .click()
      await expect(drawer).toContainText('Chain hash')
    }
    const closeDrawer = async () => {
      await page.keyboard.press('Escape')
      await expect(drawer).toBeHidden()
    }
    await openNewestLogin()
    await shootBothThemes(page, '07-audit-entry', { open: openNewestLogin, close: closeDrawer })
    await closeDrawer()

    await nav.getByRole('link', { name: 'Vault' }).click()
    await expect(page.getByText('Issue #4 delivers this view.')).toBeVisible()
    await shootBothThemes(page, '08-vault')

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
    await shootBothThemes(page, '09-shortcuts', { open: openShortcuts, close: closeShortcuts })
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
    await shootBothThemes(page, '10-login-wrong-password')
  })

  await test.step('a session that ends on the server sends the user back to Login', async () => {
    await page.getByRole('textbox', { name: 'Password', exact: true }).fill(STRONG)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await expect(page.getByTestId('signed-in-user')).toContainText(ADMIN)
    await page.context().clearCookies({ name: 'qqsec_session' })
    await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Users' }).click()
    await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible()
    await expect(page.getByText('Your session ended; sign in again.')).toBeVisible()
  })

  await test.step('the page caused no CSP violations', async () => {
    expect(consoleLog.cspViolations(), `console errors: ${consoleLog.errors.join('\n')}`).toEqual([])
  })
})
