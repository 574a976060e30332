import { computed, type WritableComputedRef } from 'vue'
import { useRoute, useRouter } from 'vue-router'

/**
 * The queue tab of a list page, kept in the address (`?queue=`), so coming back from an item
 * lands on the same tab; an address without one (or with an unknown one) shows `fallback`.
 */
export function useRouteQueue<Queue extends string>(queues: readonly Queue[], fallback: () => Queue): WritableComputedRef<Queue> {
  const route = useRoute()
  const router = useRouter()
  const isQueue = (value: unknown): value is Queue => typeof value === 'string' && (queues as readonly string[]).includes(value)
  return computed<Queue>({
    get: () => (isQueue(route.query.queue) ? route.query.queue : fallback()),
    set: (next) => void router.replace({ query: { ...route.query, queue: next } }),
  })
}
