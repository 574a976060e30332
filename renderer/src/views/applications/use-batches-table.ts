import { computed, onMounted, ref, watch } from 'vue'
import { useRouter } from 'vue-router'
import { QUEUES, type BatchSummary } from '@contract/applications'
import type { Family } from '@contract/roles'
import { showError } from '@renderer/components/notify'
import { useRouteQueue } from '@renderer/components/use-route-queue'
import { useApplicationsStore } from '@renderer/stores/applications'
import { useAuthStore } from '@renderer/stores/auth'
import { saveDownload } from './batch-labels'

/**
 * The desk's list: the queue tab (kept in the URL, so coming back from a batch lands on the same
 * tab), its batches, and the template downloads. Reviewers start on 待我审核, everyone else on 全部.
 */
export function useBatchesTable() {
  const store = useApplicationsStore()
  const auth = useAuthStore()
  const router = useRouter()
  const importOpen = ref(false)

  const queue = useRouteQueue(QUEUES, () => (auth.hasRole('reviewer') ? 'to_review' : 'all'))
  // The queues core reports for this user, in the contract's order; all of them until it answers.
  const tabs = computed(() => {
    const reported = QUEUES.filter((item) => store.queueCounts[item] !== undefined)
    return (reported.length > 0 ? reported : QUEUES).map((item) => ({ queue: item, count: store.queueCounts[item] }))
  })
  const canImport = computed(() => auth.hasRole('clerk', 'reviewer'))

  async function load(): Promise<void> {
    try {
      await store.loadList(queue.value)
    } catch (error) {
      showError(error)
    }
  }

  function openBatch(row: BatchSummary): void {
    void router.push({ name: 'application-batch', params: { id: row.id } })
  }

  async function downloadTemplate(family: Family): Promise<void> {
    try {
      saveDownload(await store.template(family))
    } catch (error) {
      showError(error)
    }
  }

  watch(queue, load)
  onMounted(load)

  return { store, queue, tabs, canImport, importOpen, load, openBatch, downloadTemplate }
}
