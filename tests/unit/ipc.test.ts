import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { listChannels } from '../../electron/contract'
import { registerIpc, type InvokeEventLike, type IpcMainLike } from '../../electron/main/ipc'
import { isTrustedSender } from '../../electron/main/security'
import { ADMIN_PASSWORD, createTestCore, setupAdmin, type TestCore } from '../helpers/core'

type Listener = (event: InvokeEventLike, payload: unknown) => Promise<unknown>

/** Stands in for Electron's ipcMain, which cannot run here; it only records handlers. */
class RecordingIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, Listener>()
  handle(channel: string, listener: Listener): void {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`)
    this.handlers.set(channel, listener)
  }
  invoke(channel: string, payload: unknown, event: InvokeEventLike): Promise<unknown> {
    return this.handlers.get(channel)!(event, payload)
  }
}

const location = { indexFile: '/app/out/renderer/index.html' }
const appFrame = (id: number): InvokeEventLike => ({
  sender: { id },
  senderFrame: { url: 'file:///app/out/renderer/index.html#/login', parent: null },
})

describe('IPC adapter', () => {
  let test: TestCore
  let ipcMain: RecordingIpcMain

  beforeEach(async () => {
    test = await createTestCore()
    await setupAdmin(test)
    ipcMain = new RecordingIpcMain()
    registerIpc(ipcMain, test.dispatch, (frame) => isTrustedSender(frame, location))
  })
  afterEach(() => test.cleanup())

  it('registers exactly one handler per contract channel', () => {
    expect([...ipcMain.handlers.keys()].sort()).toEqual(
      listChannels()
        .map((item) => item.channel)
        .sort(),
    )
  })

  it('refuses calls from an iframe or a foreign page without reaching core', async () => {
    const fromIframe = { sender: { id: 1 }, senderFrame: { url: 'file:///app/out/renderer/index.html', parent: {} } }
    const fromElsewhere = { sender: { id: 1 }, senderFrame: { url: 'https://evil.example/', parent: null } }
    for (const event of [fromIframe, fromElsewhere, { sender: { id: 1 }, senderFrame: null }]) {
      const result = await ipcMain.invoke('auth.login', { username: 'admin', password: ADMIN_PASSWORD }, event)
      expect(result).toMatchObject({ ok: false, error: { code: 'UNTRUSTED_SENDER' } })
    }
  })

  it('keeps the session in main per window: signed in in one window, not in another', async () => {
    const login = await ipcMain.invoke('auth.login', { username: 'admin', password: ADMIN_PASSWORD }, appFrame(1))
    expect(login).toMatchObject({ ok: true, value: { user: { username: 'admin', roles: ['admin'] } } })
    expect(JSON.stringify(login)).not.toMatch(/session/i)
    expect(await ipcMain.invoke('users.list', {}, appFrame(1))).toMatchObject({ ok: true })
    expect(await ipcMain.invoke('users.list', {}, appFrame(2))).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } })
    await ipcMain.invoke('auth.logout', {}, appFrame(1))
    expect(await ipcMain.invoke('users.list', {}, appFrame(1))).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } })
  })

  it('hands back the session of a closed window so main can end it', async () => {
    const registered = registerIpc(new RecordingIpcMain(), test.dispatch, (frame) => isTrustedSender(frame, location))
    expect(registered.forget(7)).toBeNull()
    const other = new RecordingIpcMain()
    const adapter = registerIpc(other, test.dispatch, (frame) => isTrustedSender(frame, location))
    await other.invoke('auth.login', { username: 'admin', password: ADMIN_PASSWORD }, appFrame(3))
    const session = adapter.forget(3)
    expect(session).toEqual(expect.any(String))
    await test.core.auth.logout(session)
    expect(await test.core.auth.me(session)).toBeNull()
    expect(adapter.sessionCount()).toBe(0)
  })

  it('validates payloads at the boundary and answers with an envelope, never a throw', async () => {
    const result = await ipcMain.invoke('auth.login', { username: 'admin', password: 5 }, appFrame(1))
    expect(result).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
  })
})
