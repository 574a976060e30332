import '../contract/jitless'
import { contextBridge, ipcRenderer } from 'electron'
import { listChannels, type RawApi } from '../contract'

/**
 * `window.api`: one named function per contract method, nothing else — no ipcRenderer, no
 * event objects, no process. Each returns the result envelope from the main process.
 */
function buildApi(): RawApi {
  const api: Record<string, Record<string, (input: unknown) => Promise<unknown>>> = {}
  for (const { channel, domain, name } of listChannels()) {
    api[domain] ??= {}
    api[domain][name] = (input: unknown) => ipcRenderer.invoke(channel, input ?? {})
  }
  return api as unknown as RawApi
}

contextBridge.exposeInMainWorld('api', buildApi())
