// Must come first: configures zod before the contract's schemas are built.
import '@contract/jitless'
import ElementPlus from 'element-plus'
import 'element-plus/dist/index.css'
import { createPinia } from 'pinia'
import { createApp } from 'vue'
import App from './App.vue'
import { i18n } from './locales'
import { createAppRouter } from './router'
import { useUiStore } from './stores/ui'
import './styles.css'

const app = createApp(App)
const pinia = createPinia()
app.use(pinia)
// The language is settled before the first screen renders.
useUiStore(pinia)
app.use(i18n)
app.use(ElementPlus)
app.use(createAppRouter(pinia))
app.mount('#app')
