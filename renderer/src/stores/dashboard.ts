import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { DashboardGroup } from '@contract/dashboard'
import { api } from '@renderer/api'

/** Counts per workflow state for the signed-in user's roles. */
export const useDashboardStore = defineStore('dashboard', () => {
  const groups = ref<DashboardGroup[]>([])
  const loading = ref(false)
  const loaded = ref(false)

  async function load(): Promise<void> {
    loading.value = true
    try {
      groups.value = await api.dashboard.summary({})
      loaded.value = true
    } finally {
      loading.value = false
    }
  }

  return { groups, loading, loaded, load }
})
