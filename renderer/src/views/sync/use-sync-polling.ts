import { onBeforeUnmount, onMounted } from 'vue'
import { useSyncStore } from '@renderer/stores/sync'

const POLL_MS = 5000

/**
 * Reads the sync status again every few seconds while the page is open (the background sender
 * delivers by itself), and stops for good when the page is left. One read at a time and none
 * while 立即同步 runs, so a slow answer never piles up or overwrites the pass's own result.
 */
export function useSyncPolling(onError: (error: unknown) => void) {
  const store = useSyncStore()
  let timer: ReturnType<typeof setTimeout> | null = null
  let disposed = false
  // A connection that drops says so once, not every few seconds until it is back.
  let failing = false

  function schedule(): void {
    if (disposed || timer !== null) return
    timer = setTimeout(tick, POLL_MS)
  }

  async function tick(): Promise<void> {
    timer = null
    if (disposed) return
    if (!store.syncing) {
      try {
        await store.loadStatus()
        failing = false
      } catch (error) {
        if (!failing) onError(error)
        failing = true
      }
    }
    schedule()
  }

  onMounted(schedule)
  onBeforeUnmount(() => {
    disposed = true
    if (timer !== null) clearTimeout(timer)
    timer = null
  })
}
