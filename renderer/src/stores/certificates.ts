import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { CertificateSummary, DocumentKind, DocumentPreview } from '@contract/certificates'
import { api } from '@renderer/api'

const LIST_LIMIT = 100

/** Issued certificates as the desks look them up, and their PDFs for preview. */
export const useCertificatesStore = defineStore('certificates', () => {
  const items = ref<CertificateSummary[]>([])
  const loading = ref(false)
  /** A certificate number or (part of) a holder's name; empty lists the latest certificates. */
  const search = ref('')

  async function load(): Promise<void> {
    loading.value = true
    try {
      const text = search.value.trim()
      items.value = await api.certificates.list({ limit: LIST_LIMIT, ...(text ? { search: text } : {}) })
    } finally {
      loading.value = false
    }
  }

  /**
   * The sealed file of the current version when there is one, else an unsealed rendering; or the
   * certificate's query slip / pass certificate. Never kept in the store.
   */
  function preview(number: string, document: DocumentKind = 'certificate'): Promise<DocumentPreview> {
    return api.certificates.preview({ number, document })
  }

  return { items, loading, search, load, preview }
})
