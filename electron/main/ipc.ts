import { listChannels } from '../contract'
import { fail } from '../contract/result'
import type { Dispatcher } from '../core/api/dispatch'
import { AppError } from '../core/util/app-error'
import type { SenderFrameInfo } from './security'

/** The slice of an IPC invoke event the adapter reads; Electron's IpcMainInvokeEvent fits it. */
export interface InvokeEventLike {
  sender: { id: number }
  senderFrame: { url: string; parent: unknown } | null
}

/** The slice of Electron's ipcMain used here, so the adapter is tested in plain Node. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEventLike, payload: unknown) => Promise<unknown>): void
}

export function senderFrameInfo(event: InvokeEventLike): SenderFrameInfo | null {
  return event.senderFrame ? { url: event.senderFrame.url, isTopFrame: event.senderFrame.parent === null } : null
}

/**
 * Registers one handler per contract channel. The session id stays in the main process, keyed
 * by the window's webContents: the renderer never sees it.
 */
export function registerIpc(ipcMain: IpcMainLike, dispatcher: Dispatcher, isTrusted: (frame: SenderFrameInfo | null) => boolean) {
  const sessions = new Map<number, string>()
  for (const { channel } of listChannels()) {
    ipcMain.handle(channel, async (event, payload) => {
      if (!isTrusted(senderFrameInfo(event))) return fail(new AppError('UNTRUSTED_SENDER').toBody())
      const outcome = await dispatcher({ channel, payload, sessionId: sessions.get(event.sender.id) ?? null })
      if (outcome.session === null) sessions.delete(event.sender.id)
      else if (outcome.session !== undefined) sessions.set(event.sender.id, outcome.session)
      return outcome.result
    })
  }
  return {
    /** Called when a window's webContents is destroyed; returns the session it held, to end it. */
    forget: (webContentsId: number): string | null => {
      const session = sessions.get(webContentsId) ?? null
      sessions.delete(webContentsId)
      return session
    },
    sessionCount: () => sessions.size,
  }
}
