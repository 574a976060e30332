import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import type {
  LegacyDesk,
  LegacyImportResult,
  LegacyOrganisation,
  LegacyRecord,
  LegacyRecordDetail,
  SlipDocument,
  SlipLookup,
  SlipQueue,
  SlipSummary,
} from '@contract/legacy'
import type { Family } from '@contract/roles'
import { api } from '@renderer/api'
import { saveDownload } from '@renderer/components/pdf-document'

const LIST_LIMIT = 200

/**
 * Legacy records and clause 9's documents: what the desk may do, the records list, the record
 * open in the drawer, the slips and the re-check queue. Lists are replaced whole.
 */
export const useLegacyStore = defineStore('legacy', () => {
  const desk = ref<LegacyDesk>({ canImport: false, canRecheck: false, pendingRechecks: 0 })
  const records = shallowRef<LegacyRecord[]>([])
  const recordsLoading = ref(false)
  const family = ref<Family | ''>('')
  const search = ref('')
  const detail = ref<LegacyRecordDetail | null>(null)
  const slips = shallowRef<SlipSummary[]>([])
  const slipsLoading = ref(false)
  const organisations = ref<LegacyOrganisation[]>([])

  async function loadDesk(): Promise<void> {
    desk.value = await api.legacy.desk({})
  }

  async function loadRecords(): Promise<void> {
    recordsLoading.value = true
    try {
      const text = search.value.trim()
      records.value = await api.legacy.list({
        limit: LIST_LIMIT,
        ...(family.value ? { family: family.value } : {}),
        ...(text ? { search: text } : {}),
      })
    } finally {
      recordsLoading.value = false
    }
  }

  async function openRecord(id: number): Promise<void> {
    detail.value = await api.legacy.record({ id })
  }

  async function loadSlips(queue: SlipQueue): Promise<void> {
    slipsLoading.value = true
    try {
      slips.value = await api.legacy.slips({ queue, limit: LIST_LIMIT })
    } finally {
      slipsLoading.value = false
    }
  }

  /** Issues a slip for the open record and reloads it, so its list of slips shows the new one. */
  async function issueSlip(certificateId: number, reason: string): Promise<SlipSummary> {
    const slip = await api.legacy.issueSlip({ certificateId, reason })
    await Promise.all([openRecord(certificateId), loadDesk()])
    return slip
  }

  async function recheck(slipId: number, decision: 'confirm' | 'refuse', reason?: string): Promise<SlipSummary> {
    const slip =
      decision === 'confirm'
        ? await api.legacy.recheck({ slipId, decision })
        : await api.legacy.recheck({ slipId, decision, reason: reason ?? '' })
    await loadDesk()
    return slip
  }

  function slipDocument(slipId: number): Promise<SlipDocument> {
    return api.legacy.slipDocument({ slipId })
  }

  function lookupSlip(number: string): Promise<SlipLookup> {
    return api.legacy.lookupSlip({ number })
  }

  async function loadOrganisations(kind: Family): Promise<void> {
    organisations.value = await api.legacy.organisations({ family: kind })
  }

  function importRecords(input: { family: Family; organisationId: number; workbook: string }): Promise<LegacyImportResult> {
    return api.legacy.import(input)
  }

  async function downloadTemplate(kind: Family): Promise<void> {
    saveDownload(await api.legacy.template({ family: kind }))
  }

  return {
    desk,
    records,
    recordsLoading,
    family,
    search,
    detail,
    slips,
    slipsLoading,
    organisations,
    loadDesk,
    loadRecords,
    openRecord,
    loadSlips,
    issueSlip,
    recheck,
    slipDocument,
    lookupSlip,
    loadOrganisations,
    importRecords,
    downloadTemplate,
  }
})
