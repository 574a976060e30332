import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import type { DownloadFile } from '@contract/applications'
import type { CorrectionDetail, CorrectionImportResult, CorrectionQueue, CorrectionSummary } from '@contract/corrections'
import { api } from '@renderer/api'

export interface RowDecisionInput {
  rowId: number
  decision: 'approved' | 'returned'
  reason?: string
  photoConsent: boolean
}

/**
 * Corrections (勘误): the queues and their requests, and the request open on its page with all
 * its rows (kept in a shallow ref and replaced whole: a table may hold thousands of rows).
 */
export const useCorrectionsStore = defineStore('corrections', () => {
  const queueCounts = ref<Partial<Record<CorrectionQueue, number>>>({})
  const requests = ref<CorrectionSummary[]>([])
  const listLoading = ref(false)
  const detail = shallowRef<CorrectionDetail | null>(null)
  let openGeneration = 0

  async function loadQueues(): Promise<void> {
    const counts = await api.corrections.queues({})
    queueCounts.value = Object.fromEntries(counts.map((item) => [item.queue, item.count]))
  }

  /** The queue's requests, with the counts read again beside them unless the caller has just read them. */
  async function loadList(queue: CorrectionQueue, withCounts = true): Promise<void> {
    listLoading.value = true
    try {
      const [items] = await Promise.all([api.corrections.list({ queue }), withCounts ? loadQueues() : undefined])
      requests.value = items
    } finally {
      listLoading.value = false
    }
  }

  /** The request with every row; a later call wins over an earlier one still running. */
  async function open(id: number): Promise<void> {
    const generation = ++openGeneration
    if (detail.value?.id !== id) detail.value = null
    const loaded = await api.corrections.get({ id })
    if (generation === openGeneration) detail.value = loaded
  }

  function requireDetail(): CorrectionDetail {
    if (!detail.value) throw new Error('no correction request is open')
    return detail.value
  }

  async function decide(rows: RowDecisionInput[], reason?: string): Promise<CorrectionDetail> {
    detail.value = await api.corrections.decide({ requestId: requireDetail().id, rows, reason })
    return detail.value
  }

  async function apply(): Promise<CorrectionDetail> {
    detail.value = await api.corrections.apply({ requestId: requireDetail().id })
    return detail.value
  }

  /** Submits uploaded files as a table; a refusal comes back as a value, with its error workbook. */
  async function importTable(input: { table: string; explanation: string | null; proofs: string | null }): Promise<CorrectionImportResult> {
    const result = await api.corrections.import(input)
    if (result.accepted) void loadQueues().catch(() => undefined)
    return result
  }

  function template(): Promise<DownloadFile> {
    return api.corrections.template({})
  }

  function document(kind: 'table' | 'explanation' | 'proof', fileName?: string): Promise<DownloadFile> {
    return api.corrections.document({ requestId: requireDetail().id, kind, fileName })
  }

  function photo(rowId: number, which: 'old' | 'new'): Promise<{ mediaType: string; base64: string } | null> {
    return api.corrections.photo({ rowId, which })
  }

  return {
    queueCounts,
    requests,
    listLoading,
    detail,
    loadQueues,
    loadList,
    open,
    decide,
    apply,
    importTable,
    template,
    document,
    photo,
  }
})
