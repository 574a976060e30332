import { computed, nextTick, onBeforeUnmount, ref, shallowRef, watch } from 'vue'
import { useApplicationsStore } from '@renderer/stores/applications'
import { buildApplicantIndex, EMPTY_FILTER, filterApplicants, type ApplicantFilter } from './applicant-index'

/** Waits for the browser to lay out what Vue wrote (the virtual table measures itself first). */
function afterRender(check: () => boolean, attempts = 60): Promise<void> {
  return new Promise((resolve) => {
    const step = (left: number) => {
      if (check() || left <= 0) resolve()
      else requestAnimationFrame(() => step(left - 1))
    }
    requestAnimationFrame(() => step(attempts))
  })
}

/**
 * The applicant list of the open batch: an index built once per load (and again when rows change
 * locally), the filter, the selection and the current row. Sets the marks the benchmark reads:
 * `batch-ready` once the first rows are in the page, `filter-done` after each filter has rendered.
 */
export function useApplicantList() {
  const store = useApplicationsStore()
  const filter = ref<ApplicantFilter>({ ...EMPTY_FILTER })
  const selected = shallowRef<ReadonlySet<number>>(new Set())
  const current = ref<number | null>(null)
  const opened = ref<number | null>(null)

  const index = computed(() => buildApplicantIndex(store.applicants, store.issues))
  const shown = computed(() => filterApplicants(index.value, filter.value))
  const openedRow = computed(() => (opened.value === null ? null : (store.applicants.find((row) => row.id === opened.value) ?? null)))
  const selectedIds = computed(() => store.applicants.filter((row) => selected.value.has(row.id)).map((row) => row.id))

  function reset(): void {
    filter.value = { ...EMPTY_FILTER }
    selected.value = new Set()
    current.value = null
    opened.value = null
  }

  /** Marks the batch ready for tests and the benchmark once its first rows are drawn. */
  async function markReady(batchId: number): Promise<void> {
    await nextTick()
    const expectRows = shown.value.length > 0
    await afterRender(() => !expectRows || document.querySelector('[data-testid^="applicant-row-"]') !== null)
    if (store.detail?.id !== batchId) return
    document.body.dataset.batchReady = String(batchId)
    performance.mark('batch-ready')
  }

  watch(
    filter,
    async () => {
      await nextTick()
      document.body.dataset.filterCount = String(shown.value.length)
      performance.mark('filter-done')
    },
    { flush: 'post' },
  )

  onBeforeUnmount(() => {
    delete document.body.dataset.batchReady
    delete document.body.dataset.filterCount
  })

  return { filter, selected, current, opened, openedRow, index, shown, selectedIds, reset, markReady }
}
