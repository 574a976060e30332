import { describe, expect, it } from 'vitest'
import { login, MENUS, menuKeys, openApp, openSignedIn, withHostAndBrowser } from './fixtures'

/** What each desk sees: the menu and the dashboard's groups follow the user's roles. */
const CASES = [
  { username: 'admin', displayName: '系统管理员', menu: MENUS.admin, groups: ['administration', 'sync'] },
  { username: 'reviewer', displayName: '卫健委审核员', menu: MENUS.reviewer, groups: ['applications', 'corrections', 'revocations'] },
  {
    username: 'clerk',
    displayName: '考试院备案员',
    menu: MENUS.clerk,
    groups: ['applications', 'corrections', 'filing', 'revocations', 'sync'],
  },
  { username: 'sealer', displayName: '市人社局印章管理员', menu: MENUS.sealing, groups: ['signing'] },
]

describe('signing in as each role through the web host', () => {
  const app = withHostAndBrowser({ demo: true })

  for (const role of CASES) {
    it(`${role.username}: right menu and dashboard, refused outside the role, logs out`, async () => {
      const { page, errors } = await openSignedIn(app.browser, app.host.url, role.username)
      await expect.poll(() => page.getByTestId('current-user').textContent()).toContain(role.displayName)
      expect(await menuKeys(page)).toEqual(role.menu)

      // The cards come with the dashboard's own request, after the page itself: wait for them.
      const groups = () =>
        page
          .locator('[data-testid^="dashboard-group-"]')
          .evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-testid')!.replace('dashboard-group-', '')).sort())
      await expect.poll(groups).toEqual(role.groups)

      // A service call outside the role is refused by core, whatever the menu shows.
      const users = await page.evaluate(() => window.api.users.list({}))
      if (role.username === 'admin') expect(users).toMatchObject({ ok: true })
      else expect(users).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })

      // Typing an admin route by hand does not open it either.
      if (role.username !== 'admin') {
        await page.goto(`${app.host.origin}/#/admin/users`)
        await page.getByTestId('dashboard').waitFor()
        expect(await page.getByTestId('user-table').count()).toBe(0)
      }

      await page.getByTestId('logout-button').click()
      await page.locator('.logout-confirm').click()
      await page.getByTestId('login-submit').waitFor()
      expect(await page.evaluate(() => window.api.dashboard.summary({}))).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } })
      expect(errors.filter((error) => /Content Security Policy|CSP violation|Refused/.test(error))).toEqual([])
      await page.context().close()
    })
  }

  it('a wrong password shows a clear message and signs nobody in', async () => {
    const { page } = await openApp(app.browser, app.host.url)
    await login(page, 'admin', 'not-the-password-1')
    await expect.poll(() => page.getByTestId('login-error').textContent()).toContain('用户名或密码错误')
    expect(await page.evaluate(() => window.api.auth.me({}))).toEqual({ ok: true, value: null })
    await page.context().close()
  })

  it('without the per-start token the page gets no data', async () => {
    const context = await app.browser.newContext()
    const page = await context.newPage()
    await page.goto(`${app.host.origin}/`)
    const status = await page.evaluate(() => window.api.auth.status({}))
    expect(status).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } })
    await context.close()
  })

  it('switches the interface to English and back', async () => {
    const { page } = await openSignedIn(app.browser, app.host.url, 'admin')
    await page.getByTestId('locale-switch').click()
    await expect.poll(() => page.getByTestId('menu-users').textContent()).toMatch(/Users/)
    await page.getByTestId('locale-switch').click()
    await expect.poll(() => page.getByTestId('menu-users').textContent()).toContain('用户')
    await page.context().close()
  })
})
