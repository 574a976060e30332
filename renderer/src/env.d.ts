/// <reference types="vite/client" />
/// <reference types="element-plus/global" />
import type { RawApi } from '@contract/index'

declare module '*.vue' {
  import type { DefineComponent } from 'vue'
  const component: DefineComponent<object, object, unknown>
  export default component
}

declare module 'vue-router' {
  interface RouteMeta {
    /** Roles allowed on the route; absent means any signed-in user. */
    roles?: readonly import('@contract/roles').Role[]
    /** Reachable without a session (login, setup). */
    public?: boolean
    /** i18n key of the page title. */
    title?: string
  }
}

declare global {
  interface Window {
    /** Put there by the preload (Electron) or the web host's browser preload; only api/ reads it. */
    api: RawApi
  }
}

export {}
