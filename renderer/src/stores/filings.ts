import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { DownloadFile } from '@contract/applications'
import type { FilingDocument, filings, FilingSummary, UnfiledBatch } from '@contract/filings'
import type { InputOf } from '@contract/method'
import { api } from '@renderer/api'

/** What the filing dialog sends once its scans are uploaded: the contract's input, upload ids for files. */
export type FilingInput = InputOf<(typeof filings)['record']>

/** Filing (备案): the approved batches still unfiled, with their age, and the filings recorded. */
export const useFilingsStore = defineStore('filings', () => {
  const unfiled = ref<UnfiledBatch[]>([])
  const reminderDays = ref<number | null>(null)
  const overdueOnly = ref(false)
  const filed = ref<FilingSummary[]>([])
  const loading = ref(false)

  async function load(): Promise<void> {
    loading.value = true
    try {
      const [waiting, recorded] = await Promise.all([api.filings.unfiled({ overdueOnly: overdueOnly.value }), api.filings.list({})])
      unfiled.value = waiting.items
      reminderDays.value = waiting.reminderDays
      filed.value = recorded
    } finally {
      loading.value = false
    }
  }

  async function record(input: FilingInput): Promise<FilingSummary> {
    const filing = await api.filings.record(input)
    await load()
    return filing
  }

  const document = (filingId: number, kind: FilingDocument): Promise<DownloadFile> => api.filings.document({ filingId, kind })

  return { unfiled, reminderDays, overdueOnly, filed, loading, load, record, document }
})
