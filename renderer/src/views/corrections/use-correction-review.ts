import { ElMessage } from 'element-plus'
import { computed, ref, watch } from 'vue'
import { useI18n } from 'vue-i18n'
import { confirmWarning } from '@renderer/components/confirm'
import { useBusy } from '@renderer/components/use-busy'
import { useCorrectionsStore, type RowDecisionInput } from '@renderer/stores/corrections'
import { isPhotoRow } from './correction-labels'

/** The reviewer's choice on one row, before the decision is sent. */
export interface RowChoice {
  decision: 'approved' | 'returned' | null
  reason: string
  photoConsent: boolean
}

/**
 * The bureau reviewer's decision on a request, row by row (or all at once), checked here as core
 * checks it — every row decided, a returned row with its reason, a photo approved only with the
 * explicit consent — and sent once, after a confirmation; and the clerk's application of it.
 */
export function useCorrectionReview() {
  const { t } = useI18n()
  const store = useCorrectionsStore()
  const { running, run } = useBusy()
  const choices = ref<Record<number, RowChoice>>({})
  const returnAllOpen = ref(false)
  const detail = computed(() => store.detail)

  watch(
    () => detail.value?.id,
    () => {
      choices.value = Object.fromEntries(
        (detail.value?.rows ?? []).map((row) => [row.id, { decision: null, reason: '', photoConsent: false }]),
      )
    },
    { immediate: true },
  )

  function choose(rowId: number, patch: Partial<RowChoice>): void {
    choices.value[rowId] = { ...choices.value[rowId], ...patch }
  }

  /** Every row approved; a photo's consent is still the reviewer's own tick. */
  function approveAll(): void {
    for (const row of detail.value?.rows ?? []) choose(row.id, { decision: 'approved' })
  }

  /** What stops the decision, in the reviewer's words; null when it can be sent. */
  const problem = computed(() => {
    const rows = detail.value?.rows ?? []
    const undecided = rows.filter((row) => choices.value[row.id]?.decision == null).length
    if (undecided > 0) return t('corrections.request.undecided', { count: undecided })
    const unexplained = rows.find((row) => choices.value[row.id].decision === 'returned' && choices.value[row.id].reason.trim().length < 2)
    if (unexplained) return t('corrections.request.returnReasonMissing', { row: unexplained.rowNumber })
    const unconsented = rows.find(
      (row) => isPhotoRow(row) && choices.value[row.id].decision === 'approved' && !choices.value[row.id].photoConsent,
    )
    if (unconsented) return t('corrections.request.consentMissing', { row: unconsented.rowNumber })
    return null
  })

  function decisions(): RowDecisionInput[] {
    return (detail.value?.rows ?? []).map((row) => {
      const choice = choices.value[row.id]
      return choice.decision === 'returned'
        ? { rowId: row.id, decision: 'returned', reason: choice.reason.trim(), photoConsent: false }
        : { rowId: row.id, decision: 'approved', photoConsent: isPhotoRow(row) && choice.photoConsent }
    })
  }

  async function submitDecision(): Promise<void> {
    if (problem.value) return void ElMessage.warning(problem.value)
    const rows = decisions()
    const approved = rows.filter((row) => row.decision === 'approved').length
    const message = t('corrections.request.decisionConfirm', { approved, returned: rows.length - approved })
    if (!(await confirmWarning(message, t('corrections.request.decisionTitle'), { confirmClass: 'decision-confirm' }))) return
    await run(async () => {
      await store.decide(rows)
      ElMessage.success(t('corrections.request.decided'))
    }, 'decide')
  }

  /** 全部退回: the reason dialog is the confirmation; every row gets the same reason. */
  async function returnAll(reason: string): Promise<void> {
    const rows = (detail.value?.rows ?? []).map((row) => ({ rowId: row.id, decision: 'returned' as const, reason, photoConsent: false }))
    await store.decide(rows, reason)
    ElMessage.success(t('corrections.request.decided'))
  }

  async function apply(): Promise<void> {
    const count = new Set(detail.value?.rows.filter((row) => row.decision === 'approved').map((row) => row.certificateNumber)).size
    const message = t('corrections.request.applyConfirm', { count })
    if (!(await confirmWarning(message, t('corrections.request.applyTitle'), { confirmClass: 'apply-confirm' }))) return
    await run(async () => {
      const applied = await store.apply()
      ElMessage.success(
        t('corrections.request.applied', {
          count: new Set(applied.rows.filter((row) => row.newVersion !== null).map((row) => row.certificateNumber)).size,
        }),
      )
    }, 'apply')
  }

  return { choices, choose, approveAll, problem, submitDecision, returnAll, returnAllOpen, apply, running }
}
