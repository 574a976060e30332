import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import type { OutboxItem, OutboxState, SyncStatus } from '@contract/sync'
import { api } from '@renderer/api'

/**
 * Items read per state. The contract pages only the delivered list (newest first, by `beforeId`);
 * waiting and refused items come oldest first, so the page shows the first ones and says how many there are.
 */
export const ITEMS_PAGE = 200

/**
 * Sync with the central registry (电子证照库同步): where the outbox stands, this installation's
 * credential, and the items of one state. Only admins and clerks may read it; core checks that.
 */
export const useSyncStore = defineStore('sync', () => {
  const status = ref<SyncStatus | null>(null)
  /** A delivery pass started from the page (立即同步) is under way. */
  const syncing = ref(false)
  // A status read that started before a pass ended must not replace what the pass returned.
  let statusGeneration = 0

  const itemsState = ref<OutboxState>('failed')
  const items = shallowRef<OutboxItem[]>([])
  const itemsLoading = ref(false)
  const exhausted = ref(false)
  let itemsGeneration = 0

  async function loadStatus(): Promise<SyncStatus | null> {
    const generation = statusGeneration
    const next = await api.sync.status({})
    if (generation !== statusGeneration) return status.value
    status.value = next
    return next
  }

  /** One delivery and pull pass now; its status is the freshest there is. */
  async function runNow(): Promise<SyncStatus> {
    syncing.value = true
    statusGeneration += 1
    try {
      const next = await api.sync.runNow({})
      statusGeneration += 1
      status.value = next
      return next
    } finally {
      syncing.value = false
    }
  }

  async function fetchItems(state: OutboxState, beforeId?: number): Promise<OutboxItem[] | null> {
    const generation = ++itemsGeneration
    itemsLoading.value = true
    try {
      const page = await api.sync.items({ state, limit: ITEMS_PAGE, ...(beforeId ? { beforeId } : {}) })
      if (generation !== itemsGeneration) return null
      exhausted.value = state !== 'delivered' || page.length < ITEMS_PAGE
      return page
    } finally {
      if (generation === itemsGeneration) itemsLoading.value = false
    }
  }

  /** The first items of `state`; a later call (another tab) wins over one still under way. */
  async function loadItems(state: OutboxState = itemsState.value): Promise<void> {
    if (state !== itemsState.value) {
      itemsState.value = state
      items.value = []
    }
    const page = await fetchItems(state)
    if (page && state === itemsState.value) items.value = page
  }

  /** Older delivered items (the only list the contract pages). */
  async function loadMore(): Promise<void> {
    const state = itemsState.value
    const last = items.value[items.value.length - 1]
    if (!last || exhausted.value || state !== 'delivered') return
    const page = await fetchItems(state, last.id)
    if (page && state === itemsState.value) items.value = [...items.value, ...page]
  }

  /** Puts refused items back in the queue; the next pass (or 立即同步) sends them. */
  async function retry(ids: number[]): Promise<number> {
    const { retried } = await api.sync.retry({ ids })
    return retried
  }

  return { status, syncing, itemsState, items, itemsLoading, exhausted, loadStatus, runNow, loadItems, loadMore, retry }
})
