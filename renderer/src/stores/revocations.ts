import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { DownloadFile } from '@contract/applications'
import type { InputOf } from '@contract/method'
import type { RevocationDetail, revocations, RevocationState, RevocationSummary } from '@contract/revocations'
import { api } from '@renderer/api'

/** What the record dialog sends once its files are uploaded: the contract's input, an upload id for the PDF. */
export type RevocationInput = InputOf<(typeof revocations)['record']>

/**
 * Revocations (注销): the list by state and the one open in the detail dialog. Core decides who
 * may record, decide and execute; the detail carries canDecide / canExecute / refusal to mirror it.
 */
export const useRevocationsStore = defineStore('revocations', () => {
  const items = ref<RevocationSummary[]>([])
  /** The tab: one state, or every revocation. */
  const state = ref<RevocationState | 'all'>('all')
  const loading = ref(false)
  const detail = ref<RevocationDetail | null>(null)
  let generation = 0

  async function load(): Promise<void> {
    const current = ++generation
    loading.value = true
    try {
      const next = await api.revocations.list(state.value === 'all' ? {} : { state: state.value })
      if (current === generation) items.value = next
    } finally {
      if (current === generation) loading.value = false
    }
  }

  async function open(id: number): Promise<RevocationDetail> {
    detail.value = await api.revocations.get({ id })
    return detail.value
  }

  /** A step's answer replaces the open detail, and the list is read again to show the new state. */
  async function settle(next: Promise<RevocationDetail>): Promise<RevocationDetail> {
    detail.value = await next
    await load()
    return detail.value
  }

  const record = (input: RevocationInput) => settle(api.revocations.record(input))
  const approve = (id: number) => settle(api.revocations.approve({ id }))
  const reject = (id: number, reason: string) => settle(api.revocations.reject({ id, reason }))
  const execute = (id: number) => settle(api.revocations.execute({ id }))
  const template = (): Promise<DownloadFile> => api.revocations.template({})
  const document = (id: number): Promise<DownloadFile> => api.revocations.document({ id })

  return { items, state, loading, detail, load, open, record, approve, reject, execute, template, document }
})
