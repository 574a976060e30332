import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { DocumentKind, DocumentPreview } from '@contract/certificates'
import type { CertificateDetail, HistoryEntry, RegisterEntry, RegisterSearch } from '@contract/register'
import type { Family } from '@contract/roles'
import { api } from '@renderer/api'

const PAGE_SIZE = 50
const HISTORY_PAGE = 100

/** The register's search form as typed; empty strings are criteria left out. */
export interface RegisterFilters {
  number: string
  idNumber: string
  name: string
  organisationId: number | null
  family: Family | ''
  level: string
  /** [from, to] as YYYY-MM-DD, or null. */
  period: [string, string] | null
  status: RegisterSearch['status'] | ''
  legacy: 'legacy' | 'electronic' | ''
}

export function emptyFilters(): RegisterFilters {
  return { number: '', idNumber: '', name: '', organisationId: null, family: '', level: '', period: null, status: '', legacy: '' }
}

/** The criteria the contract takes: only those filled in. */
function criteria(filters: RegisterFilters): Omit<RegisterSearch, 'limit' | 'cursor'> {
  const text = (value: string) => value.trim() || undefined
  return {
    number: text(filters.number),
    idNumber: text(filters.idNumber),
    name: text(filters.name),
    organisationId: filters.organisationId ?? undefined,
    family: filters.family || undefined,
    level: text(filters.level),
    issuedFrom: filters.period?.[0],
    issuedTo: filters.period?.[1],
    status: filters.status || undefined,
    legacy: filters.legacy === '' ? undefined : filters.legacy === 'legacy',
  }
}

/**
 * The certificate register: a search paged by cursor (the cursors of the pages before are kept,
 * so 上一页 goes back without counting anything), the certificate opened in detail with its
 * history, and the PDFs of its versions.
 */
export const useCertificatesStore = defineStore('certificates', () => {
  const filters = ref<RegisterFilters>(emptyFilters())
  const items = ref<RegisterEntry[]>([])
  const loading = ref(false)
  const hasMore = ref(false)
  /** Cursors of the pages shown so far: the first page has none. */
  const cursors = ref<Array<string | undefined>>([undefined])
  const nextCursor = ref<string | null>(null)
  const detail = ref<CertificateDetail | null>(null)
  const history = ref<HistoryEntry[]>([])
  const historyBefore = ref<number | null>(null)

  /** Each request's turn: an answer that arrives after a newer request was made is dropped. */
  let latest = 0

  /** Loads one page; false when a newer search overtook this one (its answer is dropped). */
  async function fetchPage(cursor: string | undefined): Promise<boolean> {
    const turn = ++latest
    loading.value = true
    try {
      const page = await api.certificates.search({ ...criteria(filters.value), limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) })
      if (turn !== latest) return false
      items.value = page.items
      hasMore.value = page.hasMore
      nextCursor.value = page.nextCursor
      return true
    } finally {
      if (turn === latest) loading.value = false
    }
  }

  /** Searches from the first page. */
  async function search(): Promise<void> {
    cursors.value = [undefined]
    await fetchPage(undefined)
  }

  async function nextPage(): Promise<void> {
    if (!nextCursor.value) return
    const cursor = nextCursor.value
    if (await fetchPage(cursor)) cursors.value = [...cursors.value, cursor]
  }

  async function previousPage(): Promise<void> {
    if (cursors.value.length < 2) return
    const previous = cursors.value.slice(0, -1)
    if (await fetchPage(previous[previous.length - 1])) cursors.value = previous
  }

  /** Loads a certificate with the newest page of its history. */
  async function open(number: string): Promise<CertificateDetail> {
    const [loaded, page] = await Promise.all([
      api.certificates.detail({ number }),
      api.certificates.history({ number, limit: HISTORY_PAGE }),
    ])
    detail.value = loaded
    history.value = page.entries
    historyBefore.value = page.nextBeforeId
    return loaded
  }

  async function moreHistory(): Promise<void> {
    if (!detail.value || historyBefore.value === null) return
    const page = await api.certificates.history({
      number: detail.value.certificate.number,
      beforeId: historyBefore.value,
      limit: HISTORY_PAGE,
    })
    history.value = [...history.value, ...page.entries]
    historyBefore.value = page.nextBeforeId
  }

  function close(): void {
    detail.value = null
    history.value = []
    historyBefore.value = null
  }

  /**
   * The sealed file of a version when there is one, else an unsealed rendering; or the
   * certificate's query slip / pass certificate. Never kept in the store.
   */
  function preview(number: string, document: DocumentKind = 'certificate', version?: number): Promise<DocumentPreview> {
    return api.certificates.preview({ number, document, ...(version ? { version } : {}) })
  }

  return {
    filters,
    items,
    loading,
    hasMore,
    cursors,
    detail,
    history,
    historyBefore,
    search,
    nextPage,
    previousPage,
    open,
    moreHistory,
    close,
    preview,
  }
})
