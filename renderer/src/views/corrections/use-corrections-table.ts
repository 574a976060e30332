import { computed, onMounted, ref, watch } from 'vue'
import { useRouter } from 'vue-router'
import { CORRECTION_QUEUES, type CorrectionQueue, type CorrectionSummary } from '@contract/corrections'
import { showError } from '@renderer/components/notify'
import { useRouteQueue } from '@renderer/components/use-route-queue'
import { useAuthStore } from '@renderer/stores/auth'
import { useCorrectionsStore } from '@renderer/stores/corrections'
import { saveDownload } from '../applications/batch-labels'

/**
 * The corrections desk's list: the queue tab (kept in the URL), its requests and the template.
 * The bureau's reviewers start on 待我审核, the institute's clerks on 待我更正, everyone else on 全部;
 * only the queues core reports for the user are shown.
 */
export function useCorrectionsTable() {
  const store = useCorrectionsStore()
  const auth = useAuthStore()
  const router = useRouter()
  const importOpen = ref(false)

  const reported = computed(() => CORRECTION_QUEUES.filter((item) => store.queueCounts[item] !== undefined))
  const queue = useRouteQueue<CorrectionQueue>(
    CORRECTION_QUEUES,
    () => reported.value.find((item) => item === 'to_review' || item === 'to_apply') ?? 'all',
  )
  const tabs = computed(() =>
    (reported.value.length > 0 ? reported.value : ['all' as const]).map((item) => ({ queue: item, count: store.queueCounts[item] })),
  )
  const canImport = computed(() => auth.hasRole('reviewer'))

  // The first read of the counts may move the default tab; the load under way then shows that tab,
  // so the move is no reason to read the list (and the counts) again.
  let counting = false

  async function load(): Promise<void> {
    try {
      // The counts first: they decide the default tab, and need not be read again with the list.
      const counted = reported.value.length > 0
      if (!counted) {
        counting = true
        try {
          await store.loadQueues()
        } finally {
          counting = false
        }
      }
      await store.loadList(queue.value, counted)
    } catch (error) {
      showError(error)
    }
  }

  function openRequest(row: CorrectionSummary): void {
    void router.push({ name: 'correction', params: { id: row.id } })
  }

  async function downloadTemplate(): Promise<void> {
    try {
      saveDownload(await store.template())
    } catch (error) {
      showError(error)
    }
  }

  watch(queue, (next, previous) => next !== previous && !counting && void load())
  onMounted(load)

  return { store, queue, tabs, canImport, importOpen, load, openRequest, downloadTemplate }
}
