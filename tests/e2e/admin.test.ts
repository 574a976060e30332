import { describe, expect, it } from 'vitest'
import { login, MENUS, menuKeys, openApp, withHostAndBrowser } from './fixtures'

describe('first run and administration through the web host', () => {
  const app = withHostAndBrowser({ demo: false })

  it('first run asks for the administrator, then the admin sets up an organisation and a user who must change the one-time password', async () => {
    const { page } = await openApp(app.browser, app.host.url)
    await page.getByTestId('setup-submit').waitFor()
    await page.getByTestId('setup-username').fill('admin')
    await page.getByTestId('setup-display-name').fill('系统管理员')
    await page.getByTestId('setup-password').fill('Admin-pass-2026')
    await page.getByTestId('setup-password-confirm').fill('Admin-pass-2026')
    await page.getByTestId('setup-submit').click()
    await page.getByTestId('dashboard').waitFor()
    expect(await menuKeys(page)).toEqual(MENUS.admin)

    // An organisation with its bureau-assigned code.
    await page.getByTestId('menu-organisations').click()
    await page.getByTestId('org-create').click()
    await page.getByTestId('org-name').fill('上海市卫生系列护理专业高级职称评审委员会')
    await page.getByTestId('org-kind').click()
    await page.locator('.el-select-dropdown__item:visible', { hasText: '评审机构' }).click()
    await page.getByTestId('org-code').fill('WSHL')
    await page.getByTestId('org-save').click()
    await expect.poll(() => page.getByTestId('org-table').textContent()).toContain('WSHL')

    // A reviewer account in it; the one-time password is shown once.
    await page.getByTestId('menu-users').click()
    await page.getByTestId('user-create').click()
    await page.getByTestId('user-username').fill('wang.li')
    await page.getByTestId('user-display-name').fill('王莉')
    await page.getByTestId('user-organisation').click()
    await page.locator('.el-select-dropdown__item:visible', { hasText: '护理专业高级职称评审委员会' }).click()
    await page.getByTestId('user-role-reviewer').click()
    await page.getByTestId('user-save').click()
    const initialPassword = (await page.getByTestId('initial-password').textContent())!.trim()
    expect(initialPassword).toMatch(/^[A-Za-z0-9]{14}$/)
    await page.context().close()

    // The new reviewer signs in and is made to change the password first.
    const second = await openApp(app.browser, app.host.url)
    await login(second.page, 'wang.li', initialPassword)
    await second.page.getByTestId('password-current').fill(initialPassword)
    await second.page.getByTestId('password-new').fill('Reviewer-pass-2026')
    await second.page.getByTestId('password-confirm').fill('Reviewer-pass-2026')
    await second.page.getByTestId('password-save').click()
    await second.page.getByTestId('dashboard').waitFor()
    expect(await menuKeys(second.page)).toEqual(MENUS.reviewer)
    await second.page.context().close()
  })

  it('the audit page verifies the chain that all of this wrote', async () => {
    const { page } = await openApp(app.browser, app.host.url)
    await login(page, 'admin', 'Admin-pass-2026')
    await page.getByTestId('menu-audit').click()
    await expect.poll(() => page.getByTestId('audit-table').textContent()).toContain('user.create')
    await page.getByTestId('audit-verify').click()
    await expect.poll(() => page.getByTestId('audit-verify-result').textContent()).toMatch(/完整|通过|正常/)
    await page.context().close()
  })
})
