import { ElMessage } from 'element-plus'
import { computed, ref } from 'vue'
import { useI18n } from 'vue-i18n'
import { confirmWarning } from '@renderer/components/confirm'
import { useBusy } from '@renderer/components/use-busy'
import { useRevocationsStore } from '@renderer/stores/revocations'
import { saveDownload } from '../applications/batch-labels'

/**
 * The steps on the open revocation: approve and execute after a confirmation (execution cannot be
 * undone, and says so), reject with a reason, and the document to download. Core checks each
 * step again; a refusal is shown and the dialog stays.
 */
export function useRevocationSteps() {
  const { t } = useI18n()
  const store = useRevocationsStore()
  const { busy, running, run } = useBusy()
  const rejectOpen = ref(false)
  const detail = computed(() => store.detail)

  // Both buttons carry the step's class, so tests can press either.
  const confirmed = (message: string, title: string, confirmText: string, step: string) =>
    confirmWarning(message, title, { confirmText, confirmClass: `${step}-confirm`, cancelClass: `${step}-cancel` })

  async function approve(): Promise<void> {
    const current = detail.value
    if (!current) return
    const count = current.certificateCount
    if (
      !(await confirmed(
        t('revocations.detail.approveConfirm', { count }),
        t('revocations.detail.approveTitle'),
        t('revocations.detail.approve'),
        'revocation-approve',
      ))
    )
      return
    await run(async () => {
      await store.approve(current.id)
      ElMessage.success(t('revocations.detail.approveDone'))
    }, 'approve')
  }

  async function execute(): Promise<void> {
    const current = detail.value
    if (!current) return
    const count = current.certificateCount
    if (
      !(await confirmed(
        t('revocations.detail.executeConfirm', { count }),
        t('revocations.detail.executeTitle'),
        t('revocations.detail.execute'),
        'revocation-execute',
      ))
    )
      return
    await run(async () => {
      await store.execute(current.id)
      ElMessage.success(t('revocations.detail.executeDone', { count }))
    }, 'execute')
  }

  /** ReasonDialog's action: a refusal propagates, so the dialog stays open with the reason typed. */
  async function reject(reason: string): Promise<void> {
    const current = detail.value
    if (!current) return
    await store.reject(current.id, reason)
    ElMessage.success(t('revocations.detail.rejectDone'))
  }

  function download(): Promise<void> {
    const current = detail.value
    return current ? run(async () => saveDownload(await store.document(current.id)), 'download') : Promise.resolve()
  }

  return { detail, busy, running, rejectOpen, approve, execute, reject, download }
}
