import { ElMessage } from 'element-plus'
import { computed, onMounted, ref, watch } from 'vue'
import { useI18n } from 'vue-i18n'
import type { OutboxState, SyncStatus } from '@contract/sync'
import { confirmWarning } from '@renderer/components/confirm'
import { showError } from '@renderer/components/notify'
import { useBusy } from '@renderer/components/use-busy'
import { useSyncStore } from '@renderer/stores/sync'
import { useSyncPolling } from './use-sync-polling'

/**
 * The sync page: the status (read again every few seconds), the items of one state, 立即同步,
 * and 重新发送 of the selected refused items after a confirmation. Until the user picks a tab
 * the list shows the refused items when there are any (their reasons say what to fix first), else the waiting ones.
 */
export function useSyncDesk() {
  const { t } = useI18n()
  const store = useSyncStore()
  const { running, run } = useBusy()
  const chosen = ref<OutboxState | null>(null)
  const selected = ref<ReadonlySet<number>>(new Set())
  useSyncPolling(showError)

  const status = computed(() => store.status)
  const tab = computed<OutboxState | null>(() => {
    if (chosen.value) return chosen.value
    if (!status.value) return null
    return status.value.failed > 0 ? 'failed' : 'pending'
  })
  const countOf = (state: OutboxState) => status.value?.[state] ?? 0
  const canRun = computed(() => status.value?.configured === true)

  function loadItems(): Promise<void> {
    return tab.value ? store.loadItems(tab.value).catch(showError) : Promise.resolve()
  }

  // The list follows the tab, and is read again whenever the counts move (a pass, a retry, the background sender).
  watch([tab, () => status.value?.pending, () => status.value?.failed, () => status.value?.delivered], () => void loadItems())

  // Selections only of refused items still listed.
  watch(
    () => store.items,
    (items) => {
      const listed = new Set(store.itemsState === 'failed' ? items.map((item) => item.id) : [])
      const kept = [...selected.value].filter((id) => listed.has(id))
      if (kept.length !== selected.value.size) selected.value = new Set(kept)
    },
  )

  function choose(state: OutboxState): void {
    chosen.value = state
    selected.value = new Set()
  }

  async function loadStatus(): Promise<void> {
    try {
      await store.loadStatus()
    } catch (error) {
      showError(error)
    }
  }

  /** 刷新: the status and the list shown, also when no count moved (a waiting item's next attempt). */
  function refresh(): Promise<void> {
    return run(async () => {
      await Promise.all([store.loadStatus(), tab.value ? store.loadItems(tab.value) : Promise.resolve()])
    }, 'refresh')
  }

  function reportPass(before: SyncStatus | null, after: SyncStatus): void {
    if (after.lastError) {
      ElMessage.warning(t('sync.run.failed', { error: after.lastError }))
      return
    }
    if (after.checkpoint && !after.checkpoint.matches) {
      ElMessage.error(t('sync.run.checkpointBroken'))
      return
    }
    const delivered = Math.max(0, after.delivered - (before?.delivered ?? 0))
    const refused = Math.max(0, after.failed - (before?.failed ?? 0))
    ElMessage.success(t('sync.run.done', { delivered, refused, pending: after.pending }))
  }

  function runNow(): Promise<void> {
    return run(async () => {
      const before = store.status
      reportPass(before, await store.runNow())
    }, 'run')
  }

  function confirmRetry(count: number): Promise<boolean> {
    return confirmWarning(t('sync.retry.confirm', { count }), t('sync.retry.title'), {
      confirmText: t('sync.retry.submit'),
      confirmClass: 'sync-retry-confirm',
      cancelClass: 'sync-retry-cancel',
    })
  }

  async function retrySelected(): Promise<void> {
    const ids = [...selected.value]
    if (ids.length === 0 || !(await confirmRetry(ids.length))) return
    await run(async () => {
      const retried = await store.retry(ids)
      selected.value = new Set()
      ElMessage.success(t('sync.retry.done', { count: retried }))
      await store.loadStatus()
    }, 'retry')
  }

  onMounted(loadStatus)

  return { store, status, tab, running, selected, canRun, countOf, choose, refresh, runNow, retrySelected }
}
