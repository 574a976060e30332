import { describe, expect, it } from 'vitest'
import { login, openApp, withHostAndBrowser } from './fixtures'

/** The admin's part of production applications: the number layout and the organisations' grants. */
describe('certificate-number settings and organisation grants through the web host', () => {
  const app = withHostAndBrowser({ demo: true })

  it('the admin widens the serial to six digits, sees the example follow, and finds it kept after a reload', async () => {
    const { page, errors } = await openApp(app.browser, app.host.url)
    await login(page, 'admin')
    await page.getByTestId('dashboard').waitFor()
    await page.getByTestId('menu-settings').click()
    const example = page.getByTestId('numbering-example')
    await expect.poll(() => example.textContent()).toBe('2025WSHL00001')

    await page.getByTestId('numbering-serial-digits').fill('6')
    await expect.poll(() => example.textContent()).toBe('2025WSHL000001')
    await expect.poll(() => page.getByTestId('numbering-description').textContent()).toContain('6 位流水号')
    await page.getByTestId('numbering-save').click()
    // Numbers already issued keep their form: the admin confirms the change knowing that.
    await page.locator('.numbering-layout-confirm').click()
    await page.locator('.el-message--success').waitFor()

    await page.reload()
    await page.waitForSelector('body[data-app-state="ready"]')
    await page.getByTestId('numbering-example').waitFor()
    await expect.poll(() => page.getByTestId('numbering-example').textContent()).toBe('2025WSHL000001')
    expect(await page.getByTestId('numbering-serial-digits').inputValue()).toBe('6')
    expect(errors.filter((error) => /Content Security Policy|CSP violation|Refused/.test(error))).toEqual([])
    await page.context().close()
  })

  it('the admin adds a legacy series and another ID type, saved without the layout warning', async () => {
    const { page } = await openApp(app.browser, app.host.url)
    await login(page, 'admin')
    await page.getByTestId('menu-settings').click()
    await page.getByTestId('legacy-start-add').click()
    await page.getByTestId('legacy-start-key-0').fill('2025wshl')
    await page.getByTestId('legacy-start-value-0').fill('1201')
    await page.getByTestId('extra-id-types').fill('军官证')
    await page.getByTestId('extra-id-types').press('Enter')
    await page.getByTestId('numbering-save').click()
    await page.locator('.el-message--success').waitFor()
    expect(await page.locator('.numbering-layout-confirm').count()).toBe(0)
    const stored = await page.evaluate(() => window.api.settings.get({}))
    expect(stored).toMatchObject({
      ok: true,
      value: { 'numbering.legacyStarts': { '2025WSHL': 1201 }, 'applications.extraIdTypes': ['军官证'] },
    })
    await page.context().close()
  })

  it('the grants dialog of the exam centre shows 全部级别 ticked, and of the engineering board the district seal', async () => {
    const { page } = await openApp(app.browser, app.host.url)
    await login(page, 'admin')
    await page.getByTestId('menu-organisations').click()
    const organisations = await page.evaluate(() => window.api.organisations.list({}))
    if (!organisations.ok) throw new Error('organisations.list failed')
    const idOf = (name: string) => organisations.value.find((item) => item.name === name)!.id

    await page.getByTestId(`org-grants-${idOf('上海市建设工程考试中心')}`).click()
    const dialog = page.getByTestId('grants-dialog')
    await dialog.waitFor()
    const all = page.getByTestId('grant-level-*')
    await expect.poll(() => all.locator('input').isChecked()).toBe(true)
    expect(await page.getByTestId('grant-level-一级').locator('input').isDisabled()).toBe(true)
    await page.getByRole('button', { name: '取消' }).click()
    await dialog.waitFor({ state: 'hidden' })

    // Only applying organisations have grants.
    expect(await page.getByTestId(`org-grants-${idOf('上海市住房和城乡建设管理委员会')}`).count()).toBe(0)

    await page.getByTestId(`org-grants-${idOf('浦东新区工程系列中级职称评审委员会')}`).click()
    await expect.poll(() => page.getByTestId('grant-level-intermediate').locator('input').isChecked()).toBe(true)
    expect(await page.getByTestId('grant-level-senior').locator('input').isChecked()).toBe(false)
    await expect.poll(() => page.getByTestId('grant-seal-intermediate').textContent()).toContain('浦东新区')
    // Ticking 高级 and saving stores it with the rest.
    await page.getByTestId('grant-level-senior').click()
    await page.getByTestId('grants-save').click()
    await dialog.waitFor({ state: 'hidden' })
    const grants = await page.evaluate(
      (organisationId) => window.api.organisations.grants({ organisationId }),
      idOf('浦东新区工程系列中级职称评审委员会'),
    )
    expect(grants).toMatchObject({ ok: true })
    expect(grants.ok && grants.value.map((grant) => grant.level)).toEqual(['senior', 'intermediate', 'primary'])
    await page.context().close()
  })
})
