import { join } from 'node:path'
import { app, BrowserWindow, ipcMain, session, shell } from 'electron'
import { createDispatcher } from '../core/api/dispatch'
import { openCore, type Core } from '../core/app'
import { registerIpc } from './ipc'
import { CONTENT_SECURITY_POLICY, isAllowedExternalUrl, isAllowedNavigation, isTrustedSender, type RendererLocation } from './security'
import { mainWindowOptions } from './window-options'

/**
 * The composition root of the desktop app: the only place that joins Electron to core. It
 * opens the data directory under userData, registers IPC from the contract and applies the
 * security rules of ./security to every web contents.
 */
const rendererLocation: RendererLocation = process.env.ELECTRON_RENDERER_URL
  ? { devServerUrl: process.env.ELECTRON_RENDERER_URL }
  : { indexFile: join(__dirname, '../renderer/index.html') }

let core: Core | null = null
let mainWindow: BrowserWindow | null = null

function applySessionSecurity(): void {
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false))
  session.defaultSession.setPermissionCheckHandler(() => false)
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } })
  })
}

app.on('web-contents-created', (_event, contents) => {
  contents.on('will-navigate', (event, url) => {
    if (!isAllowedNavigation(url, rendererLocation)) event.preventDefault()
  })
  contents.on('will-redirect', (event, url) => {
    if (!isAllowedNavigation(url, rendererLocation)) event.preventDefault()
  })
  contents.on('will-attach-webview', (event) => event.preventDefault())
  contents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternalUrl(url)) void shell.openExternal(url)
    return { action: 'deny' }
  })
})

async function createWindow(): Promise<void> {
  mainWindow = new BrowserWindow(mainWindowOptions(join(__dirname, '../preload/index.js')))
  const contentsId = mainWindow.webContents.id
  mainWindow.on('ready-to-show', () => mainWindow?.show())
  mainWindow.on('closed', () => {
    // Closing the window signs its user out (and audits it), as the logout button would.
    const session = ipc?.forget(contentsId) ?? null
    if (session) void core?.auth.logout(session)
    mainWindow = null
  })
  if (rendererLocation.devServerUrl) await mainWindow.loadURL(rendererLocation.devServerUrl)
  else await mainWindow.loadFile(rendererLocation.indexFile!)
}

let ipc: ReturnType<typeof registerIpc> | null = null
const QUIT_GRACE_MS = 10_000

async function start(): Promise<void> {
  await app.whenReady()
  applySessionSecurity()
  core = await openCore({ dataDir: join(app.getPath('userData'), 'data') })
  // Publishing to the registry runs in the background; without the network the outbox just waits.
  core.sync.start()
  ipc = registerIpc(ipcMain, createDispatcher(core), (frame) => isTrustedSender(frame, rendererLocation))
  await createWindow()
}

if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  app.on('second-instance', () => {
    if (!mainWindow) return
    if (mainWindow.isMinimized()) mainWindow.restore()
    mainWindow.focus()
  })
  app.on('window-all-closed', () => app.quit())
  let closing = false
  app.on('will-quit', (event) => {
    if (closing || !core) return
    closing = true
    event.preventDefault()
    // Signing runs stop at a clean point (what is signed is journaled) and the seal keys are
    // finalised before the app goes; a key driver that hangs does not keep it open for long.
    const grace = new Promise((resolve) => setTimeout(resolve, QUIT_GRACE_MS))
    void Promise.race([core.close(), grace]).finally(() => app.exit(0))
  })
  start().catch((error: unknown) => {
    console.error('[certdesk] failed to start:', error instanceof Error ? error.message : error)
    app.exit(1)
  })
}
