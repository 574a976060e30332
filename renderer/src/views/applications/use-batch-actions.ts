import { ElMessage, ElMessageBox } from 'element-plus'
import { computed, ref, type Ref } from 'vue'
import { useI18n } from 'vue-i18n'
import type { ApplicantRow, DownloadFile } from '@contract/applications'
import { useBusy } from '@renderer/components/use-busy'
import { useApplicationsStore } from '@renderer/stores/applications'
import { openWarningIds, type ApplicantIndex } from './applicant-index'
import { saveDownload } from './batch-labels'

/**
 * What the batch page can do: approve (with its blockers and a confirmation), return with a
 * reason, exclude / restore applicants, acknowledge warnings, and the files to download. Core
 * decides who may do what; the buttons follow what it reports (canApprove, canReturn).
 */
export function useBatchActions(options: { index: Ref<ApplicantIndex>; shown: Ref<ApplicantRow[]>; selectedIds: Ref<number[]> }) {
  const { t } = useI18n()
  const store = useApplicationsStore()
  // Which action runs (approve, include, list-pdf…), for that button's spinner; one at a time.
  const { running: busy, run: runBusy } = useBusy()
  const excludeOpen = ref(false)
  const returnOpen = ref(false)

  const batch = computed(() => store.detail)
  // Excluding, restoring and acknowledging are decisions on the current stage, like returning:
  // core allows them to exactly the reviewers it allows to return the batch.
  const editable = computed(() => batch.value?.canReturn ?? false)
  const canDownloadList = computed(() => batch.value !== null && ['approved', 'issued'].includes(batch.value.state))
  // Whether any warning waits at all; which ones is worked out on the click, not on every filter.
  const hasOpenWarnings = computed(() => options.index.value.openWarningCount > 0)
  const canAcknowledge = editable

  const run = (name: string, work: () => Promise<void>) => runBusy(work, name)

  async function approve(): Promise<void> {
    const current = batch.value
    if (!current?.canApprove) return
    const final = current.nextStage === null || current.family === 'title' || current.nextStage.stage >= 2
    try {
      await ElMessageBox.confirm(
        t(final ? 'applications.approveFinalConfirm' : 'applications.approveFirstConfirm', {
          count: current.applicantCount - current.excludedCount,
        }),
        t('applications.approveTitle'),
        {
          type: 'warning',
          confirmButtonText: t('applications.approve'),
          cancelButtonText: t('common.cancel'),
          confirmButtonClass: 'approve-confirm',
        },
      )
    } catch {
      return
    }
    await run('approve', async () => {
      const updated = await store.approve()
      ElMessage.success(updated.numbers ? t('applications.approvedWithNumbers', updated.numbers) : t('applications.approved'))
    })
  }

  const returnBatch = (reason: string) => store.returnBatch(reason).then(() => void ElMessage.success(t('applications.returned')))
  const excludeSelected = (reason: string) =>
    store
      .exclude(options.selectedIds.value, reason)
      .then(() => void ElMessage.success(t('applications.excludedDone', { count: options.selectedIds.value.length })))

  function includeSelected(): Promise<void> {
    const ids = options.selectedIds.value
    return run('include', async () => {
      await store.include(ids)
      ElMessage.success(t('applications.includedDone', { count: ids.length }))
    })
  }

  /** The selected applicants' warnings, or those of everyone the filter shows when none is selected. */
  function warningsInView(): number[] {
    const selected = options.selectedIds.value
    return openWarningIds(options.index.value, selected.length > 0 ? selected : options.shown.value.map((row) => row.id))
  }

  function acknowledge(given?: number[]): Promise<void> {
    return run('acknowledge', async () => {
      const issueIds = given ?? warningsInView()
      if (issueIds.length === 0) {
        ElMessage.info(t('applications.noOpenWarnings'))
        return
      }
      await store.acknowledge(issueIds)
      ElMessage.success(t('applications.acknowledgedDone', { count: issueIds.length }))
    })
  }

  function download(name: string, fetch: (batchId: number) => Promise<DownloadFile>): Promise<void> {
    const current = batch.value
    return current ? run(name, async () => saveDownload(await fetch(current.id))) : Promise.resolve()
  }

  return {
    busy,
    excludeOpen,
    returnOpen,
    editable,
    canDownloadList,
    canAcknowledge,
    hasOpenWarnings,
    approve,
    returnBatch,
    excludeSelected,
    includeSelected,
    acknowledge,
    downloadErrors: () => download('errors', store.errorWorkbook),
    downloadList: (format: 'xlsx' | 'pdf') => download(`list-${format}`, (id) => store.productionList(id, format)),
  }
}
