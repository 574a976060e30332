import { onBeforeUnmount, watch, type Ref } from 'vue'
import type { SigningJobInfo } from '@contract/sealing'
import { LIVE_JOB_STATES, useSealingStore } from '@renderer/stores/sealing'

const POLL_MS = 1000

/**
 * Reads the open job again every second while it changes by itself (signing, waiting for the key
 * or for the PIN), and its failed certificates whenever their count moves. Stops when the state
 * settles and for good when the page is left; one read at a time, so a slow answer never piles up.
 */
export function useJobPolling(jobId: Ref<number>, onError: (error: unknown) => void) {
  const store = useSealingStore()
  let timer: ReturnType<typeof setTimeout> | null = null
  let reading = false
  let disposed = false
  let failedSeen = -1
  // A connection that drops says so once, not every second until it is back.
  let failing = false

  const live = (job: SigningJobInfo | null) => job !== null && job.id === jobId.value && LIVE_JOB_STATES.includes(job.state)

  function schedule(): void {
    if (disposed || timer !== null || reading || !live(store.job)) return
    timer = setTimeout(tick, POLL_MS)
  }

  async function tick(): Promise<void> {
    timer = null
    if (disposed) return
    reading = true
    try {
      await store.openJob(jobId.value)
      failing = false
    } catch (error) {
      if (!failing) onError(error)
      failing = true
    } finally {
      reading = false
    }
    schedule()
  }

  /** The failed list is read when the job is opened and each time the failed count changes. */
  async function readFailed(job: SigningJobInfo | null): Promise<void> {
    if (!job || job.id !== jobId.value || job.failed === failedSeen) return
    failedSeen = job.failed
    if (job.failed === 0) return
    await store.loadFailedItems(job.id).catch(onError)
  }

  function stop(): void {
    if (timer !== null) clearTimeout(timer)
    timer = null
  }

  watch(
    () => store.job,
    (job) => {
      void readFailed(job)
      schedule()
    },
  )
  watch(jobId, () => {
    stop()
    failedSeen = -1
  })

  onBeforeUnmount(() => {
    disposed = true
    stop()
  })

  return { schedule, stop }
}
