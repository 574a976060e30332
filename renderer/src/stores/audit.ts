import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { AuditEntry, AuditVerification } from '@contract/audit'
import { api } from '@renderer/api'

const PAGE_SIZE = 50

/** The audit log, newest first, paged backwards by id; and the chain check. */
export const useAuditStore = defineStore('audit', () => {
  const entries = ref<AuditEntry[]>([])
  const loading = ref(false)
  const exhausted = ref(false)
  const verification = ref<AuditVerification | null>(null)
  const verifying = ref(false)

  async function fetchPage(beforeId?: number): Promise<AuditEntry[]> {
    loading.value = true
    try {
      const page = await api.audit.list({ limit: PAGE_SIZE, ...(beforeId ? { beforeId } : {}) })
      exhausted.value = page.length < PAGE_SIZE
      return page
    } finally {
      loading.value = false
    }
  }

  async function reload(): Promise<void> {
    entries.value = await fetchPage()
  }

  async function loadMore(): Promise<void> {
    const last = entries.value[entries.value.length - 1]
    if (!last || exhausted.value) return
    entries.value = [...entries.value, ...(await fetchPage(last.id))]
  }

  async function verify(): Promise<AuditVerification> {
    verifying.value = true
    try {
      verification.value = await api.audit.verify({})
      return verification.value
    } finally {
      verifying.value = false
    }
  }

  return { entries, loading, exhausted, verification, verifying, reload, loadMore, verify }
})
