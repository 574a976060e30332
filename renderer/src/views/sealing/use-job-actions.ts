import { ElMessage } from 'element-plus'
import { computed, ref } from 'vue'
import { useI18n } from 'vue-i18n'
import type { SigningJobInfo } from '@contract/sealing'
import { confirmWarning } from '@renderer/components/confirm'
import { useBusy } from '@renderer/components/use-busy'
import { useAuthStore } from '@renderer/stores/auth'
import { OPEN_JOB_STATES, useSealingStore } from '@renderer/stores/sealing'

/**
 * What the job page can do with its job: start it (a job made but never started), pause, go on
 * (asking for the PIN when the job needs it), or cancel after a confirmation. Only a seal-key
 * holder acts; core refuses anyone else, and the buttons follow the job's state.
 */
export function useJobActions() {
  const { t } = useI18n()
  const auth = useAuthStore()
  const store = useSealingStore()
  const { running, run } = useBusy()
  /** The job the start dialog / the PIN dialog is open for. */
  const starting = ref<SigningJobInfo | null>(null)
  const resuming = ref<SigningJobInfo | null>(null)

  const job = computed(() => store.job)
  const canOperate = computed(() => auth.hasRole('sealer'))
  const state = computed(() => job.value?.state ?? null)
  const canStart = computed(() => canOperate.value && state.value === 'ready')
  const canPause = computed(() => canOperate.value && state.value === 'running')
  const canResume = computed(() => canOperate.value && (state.value === 'paused' || state.value === 'waiting_pin'))
  const canCancel = computed(() => canOperate.value && state.value !== null && OPEN_JOB_STATES.includes(state.value))

  function start(): void {
    starting.value = job.value
  }

  function pause(): Promise<void> {
    const current = job.value
    if (!current) return Promise.resolve()
    return run(async () => {
      await store.pause(current.id)
      ElMessage.success(t('sealing.job.pausedDone'))
    }, 'pause')
  }

  /** With the key still logged in the job simply goes on; otherwise the PIN is asked for first. */
  function resume(): Promise<void> {
    const current = job.value
    if (!current) return Promise.resolve()
    if (current.needsPin || current.state === 'waiting_pin') {
      resuming.value = current
      return Promise.resolve()
    }
    return run(async () => {
      await store.resume(current.id)
      ElMessage.success(t('sealing.job.resumedDone'))
    }, 'resume')
  }

  async function cancel(): Promise<void> {
    const current = job.value
    if (!current) return
    const confirmed = await confirmWarning(
      t('sealing.job.cancelConfirm', { done: current.done, rest: current.total - current.done }),
      t('sealing.job.cancelTitle'),
      {
        confirmText: t('sealing.job.cancel'),
        cancelText: t('sealing.job.keep'),
        confirmClass: 'job-cancel-confirm',
        cancelClass: 'job-cancel-keep',
      },
    )
    if (!confirmed) return
    await run(async () => {
      await store.cancel(current.id)
      ElMessage.success(t('sealing.job.cancelledDone'))
    }, 'cancel')
  }

  function onStarted(): void {
    starting.value = null
    ElMessage.success(t('sealing.start.started'))
  }

  function onResumed(): void {
    resuming.value = null
    ElMessage.success(t('sealing.job.resumedDone'))
  }

  return {
    running,
    starting,
    resuming,
    canOperate,
    canStart,
    canPause,
    canResume,
    canCancel,
    start,
    pause,
    resume,
    cancel,
    onStarted,
    onResumed,
  }
}
