import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { SettingKey, SettingValues } from '@contract/settings'
import { api } from '@renderer/api'

/** Product settings as stored by core (defaults filled in). */
export const useSettingsStore = defineStore('settings', () => {
  const values = ref<SettingValues | null>(null)
  const loading = ref(false)

  async function load(): Promise<SettingValues> {
    loading.value = true
    try {
      values.value = await api.settings.get({})
      return values.value
    } finally {
      loading.value = false
    }
  }

  async function update<K extends SettingKey>(key: K, value: SettingValues[K]): Promise<void> {
    values.value = await api.settings.update({ key, value })
  }

  return { values, loading, load, update }
})
