import { ElMessage } from 'element-plus'
import { computed, onMounted, ref } from 'vue'
import { useI18n } from 'vue-i18n'
import { useRouter } from 'vue-router'
import type { SealableBatch, SigningJobInfo } from '@contract/sealing'
import { showError } from '@renderer/components/notify'
import { useBusy } from '@renderer/components/use-busy'
import { useAuthStore } from '@renderer/stores/auth'
import { LIVE_JOB_STATES, useSealingStore } from '@renderer/stores/sealing'

/**
 * The sealing desk: keys, the batches waiting for the user's seals and recent jobs, loaded
 * together; 签章 on a batch makes (or reopens) its job and asks for the key and PIN. Only a
 * seal-key holder signs: an admin sees the keys and the jobs.
 */
export function useSealingDesk() {
  const { t } = useI18n()
  const router = useRouter()
  const auth = useAuthStore()
  const store = useSealingStore()
  const { running, run } = useBusy()
  /** The job the start dialog is open for. */
  const starting = ref<SigningJobInfo | null>(null)
  const canSign = computed(() => auth.hasRole('sealer'))

  async function loadKeys(): Promise<void> {
    try {
      await store.loadModules()
    } catch (error) {
      showError(error)
    }
    // A module that cannot be read says so in the keys panel itself.
    await store.loadSlots().catch(() => undefined)
  }

  async function loadWork(): Promise<void> {
    await Promise.all([canSign.value ? store.loadBatches().catch(showError) : Promise.resolve(), store.loadJobs().catch(showError)])
  }

  function load(): Promise<void> {
    return Promise.all([loadKeys(), loadWork()]).then(() => undefined)
  }

  function openJob(job: Pick<SigningJobInfo, 'id'>): void {
    void router.push({ name: 'sealing-job', params: { id: job.id } })
  }

  /** A job already under way (or paused with the key still logged in) is shown, not started again. */
  function sign(batch: SealableBatch): Promise<void> {
    return run(async () => {
      const job = await store.createJob(batch.batchId, batch.sealId)
      if (LIVE_JOB_STATES.includes(job.state) || (job.state === 'paused' && !job.needsPin)) openJob(job)
      else starting.value = job
    }, `sign:${batch.batchId}:${batch.sealId}`)
  }

  function onStarted(job: SigningJobInfo): void {
    starting.value = null
    ElMessage.success(t('sealing.start.started'))
    openJob(job)
  }

  onMounted(load)

  return { store, running, starting, canSign, load, loadWork, sign, onStarted, openJob }
}
