import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import type {
  ApplicantRow,
  ApplyingOrganisation,
  BatchDetail,
  BatchIssue,
  BatchSummary,
  DownloadFile,
  ImportResult,
  Queue,
} from '@contract/applications'
import type { Family } from '@contract/roles'
import { api } from '@renderer/api'

export interface ImportRequest {
  family: Family
  organisationId: number
  workbook: string
  photos: string | null
  notice: string | null
}

/**
 * Production applications (制证申请): the review desk's queues and batches, and the batch open on
 * the batch page with all its applicants and issues, loaded once. Applicants and issues are kept
 * in shallow refs and replaced whole: ten thousand deeply reactive rows would cost more to track
 * than to copy.
 */
export const useApplicationsStore = defineStore('applications', () => {
  const queueCounts = ref<Partial<Record<Queue, number>>>({})
  const batches = ref<BatchSummary[]>([])
  const listLoading = ref(false)

  const detail = ref<BatchDetail | null>(null)
  const applicants = shallowRef<ApplicantRow[]>([])
  const issues = shallowRef<BatchIssue[]>([])
  const batchLoading = ref(false)
  let openGeneration = 0

  const organisations = ref<ApplyingOrganisation[]>([])

  async function loadQueues(): Promise<void> {
    const counts = await api.applications.queues({})
    queueCounts.value = Object.fromEntries(counts.map((item) => [item.queue, item.count]))
  }

  async function loadList(queue: Queue): Promise<void> {
    listLoading.value = true
    try {
      const [items] = await Promise.all([api.applications.list({ queue }), loadQueues()])
      batches.value = items
    } finally {
      listLoading.value = false
    }
  }

  /** The batch with every applicant and issue; a later call wins over an earlier one still running. */
  async function openBatch(id: number): Promise<void> {
    const generation = ++openGeneration
    batchLoading.value = true
    if (detail.value?.id !== id) {
      detail.value = null
      applicants.value = []
      issues.value = []
    }
    try {
      const [batch, rows, found] = await Promise.all([
        api.applications.get({ id }),
        api.applications.applicants({ batchId: id }),
        api.applications.issues({ batchId: id }),
      ])
      if (generation !== openGeneration) return
      detail.value = batch
      applicants.value = rows
      issues.value = found
    } finally {
      if (generation === openGeneration) batchLoading.value = false
    }
  }

  function closeBatch(): void {
    openGeneration += 1
    detail.value = null
    applicants.value = []
    issues.value = []
  }

  function requireDetail(): BatchDetail {
    if (!detail.value) throw new Error('no batch is open')
    return detail.value
  }

  /** Marks applicants excluded or back in locally: the contract answers with the batch only. */
  function patchApplicants(ids: readonly number[], excluded: boolean, reason: string | null): void {
    const wanted = new Set(ids)
    applicants.value = applicants.value.map((row) =>
      wanted.has(row.id) ? { ...row, excluded, exclusionReason: excluded ? reason : null } : row,
    )
  }

  async function exclude(applicantIds: number[], reason: string): Promise<void> {
    const batchId = requireDetail().id
    detail.value = await api.applications.exclude({ batchId, applicantIds, reason })
    patchApplicants(applicantIds, true, reason.trim())
  }

  async function include(applicantIds: number[]): Promise<void> {
    const batchId = requireDetail().id
    detail.value = await api.applications.include({ batchId, applicantIds })
    patchApplicants(applicantIds, false, null)
  }

  async function acknowledge(issueIds: number[]): Promise<void> {
    const batchId = requireDetail().id
    detail.value = await api.applications.acknowledge({ batchId, issueIds })
    const wanted = new Set(issueIds)
    issues.value = issues.value.map((issue) => (wanted.has(issue.id) ? { ...issue, acknowledged: true } : issue))
  }

  /** After the final approval the applicants carry their certificate numbers: read them again. */
  async function approve(): Promise<BatchDetail> {
    const batchId = requireDetail().id
    const updated = await api.applications.approve({ batchId })
    detail.value = updated
    if (updated.numbers) applicants.value = await api.applications.applicants({ batchId })
    return updated
  }

  async function returnBatch(reason: string): Promise<void> {
    const batchId = requireDetail().id
    detail.value = await api.applications.returnBatch({ batchId, reason })
  }

  function photo(applicantId: number): Promise<{ mediaType: string; base64: string } | null> {
    return api.applications.photo({ applicantId })
  }

  function notice(batchId: number): Promise<DownloadFile> {
    return api.applications.notice({ batchId })
  }

  function errorWorkbook(batchId: number): Promise<DownloadFile> {
    return api.applications.errorWorkbook({ batchId })
  }

  function productionList(batchId: number, format: 'xlsx' | 'pdf'): Promise<DownloadFile> {
    return api.applications.productionList({ batchId, format })
  }

  function template(family: Family): Promise<DownloadFile> {
    return api.applications.template({ family })
  }

  async function loadOrganisations(): Promise<void> {
    organisations.value = await api.applications.applyingOrganisations({})
  }

  /** Imports uploaded files as a new batch; the queues change, so their counts are read again. */
  async function importBatch(request: ImportRequest): Promise<ImportResult> {
    const result = await api.applications.import(request)
    void loadQueues().catch(() => undefined)
    return result
  }

  return {
    queueCounts,
    batches,
    listLoading,
    detail,
    applicants,
    issues,
    batchLoading,
    organisations,
    loadQueues,
    loadList,
    openBatch,
    closeBatch,
    exclude,
    include,
    acknowledge,
    approve,
    returnBatch,
    photo,
    notice,
    errorWorkbook,
    productionList,
    template,
    loadOrganisations,
    importBatch,
  }
})
