import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { SealAppearanceInfo } from '@contract/seals'
import { api } from '@renderer/api'

/** Seal appearances: the uploaded PNG of an organisation's seal, or none (the app draws it). */
export const useSealsStore = defineStore('seals', () => {
  const appearance = ref<SealAppearanceInfo | null>(null)
  const loading = ref(false)

  async function load(organisationId: number): Promise<void> {
    loading.value = true
    try {
      appearance.value = await api.seals.getAppearance({ organisationId })
    } finally {
      loading.value = false
    }
  }

  async function upload(organisationId: number, pngBase64: string): Promise<void> {
    appearance.value = await api.seals.setAppearance({ organisationId, pngBase64 })
  }

  async function remove(organisationId: number): Promise<void> {
    await api.seals.removeAppearance({ organisationId })
    appearance.value = null
  }

  return { appearance, loading, load, upload, remove }
})
