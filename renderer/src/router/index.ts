import { ElMessage } from 'element-plus'
import type { Pinia } from 'pinia'
import { createRouter, createWebHashHistory, type RouteLocationNormalized, type RouteLocationRaw, type Router } from 'vue-router'
import { i18n, errorMessage } from '@renderer/locales'
import { useAuthStore } from '@renderer/stores/auth'
import { routes } from './routes'

/** Where a user may go; `true` lets the navigation through. */
function decide(to: RouteLocationNormalized, auth: ReturnType<typeof useAuthStore>): true | RouteLocationRaw {
  if (auth.setupRequired) return to.name === 'setup' ? true : { name: 'setup' }
  if (to.name === 'setup') return auth.signedIn ? { name: 'dashboard' } : { name: 'login' }
  if (!auth.signedIn) {
    if (to.meta.public) return true
    return { name: 'login', query: to.fullPath !== '/' && to.name !== 'dashboard' ? { redirect: to.fullPath } : {} }
  }
  if (to.name === 'login') return { name: 'dashboard' }
  if (auth.user?.mustChangePassword && to.name !== 'password') return { name: 'password' }
  if (to.meta.roles && !auth.hasRole(...to.meta.roles)) {
    ElMessage.warning(i18n.global.t('layout.forbidden'))
    return { name: 'dashboard' }
  }
  return true
}

/**
 * Hash history: Electron loads index.html from disk. The first navigation waits for auth.status
 * and auth.me, then the body is marked `data-app-state="ready"` for tests.
 */
export function createAppRouter(pinia: Pinia): Router {
  const router = createRouter({ history: createWebHashHistory(), routes })
  const auth = useAuthStore(pinia)
  let startup: Promise<void> | null = null

  router.beforeEach(async (to) => {
    startup ??= auth.initialise().catch((error: unknown) => {
      ElMessage.error({ message: errorMessage(error), duration: 0, showClose: true })
    })
    await startup
    return decide(to, auth)
  })

  // The window title stays the product name (the page name is in the header), in the current language.
  router.afterEach(() => {
    document.title = i18n.global.t('app.productName')
  })

  void router.isReady().finally(() => {
    document.body.dataset.appState = 'ready'
  })

  auth.onSessionEnded(() => {
    ElMessage.warning(i18n.global.t('layout.sessionLost'))
    const current = router.currentRoute.value
    void router.push({ name: 'login', query: current.meta.public ? {} : { redirect: current.fullPath } })
  })

  return router
}
