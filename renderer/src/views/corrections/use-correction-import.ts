import { computed, ref } from 'vue'
import type { CorrectionImportResult } from '@contract/corrections'
import type { UploadPurpose } from '@contract/uploads'
import { isApiError } from '@renderer/api'
import { discardUpload, uploadFiles } from '@renderer/api/uploads'
import { useCorrectionsStore } from '@renderer/stores/corrections'

/** What a table submission sends: the table, the explanation PDF and the proofs (a ZIP or a folder). */
export type CorrectionSlot = 'table' | 'explanation' | 'proofs'
export type CorrectionSelection = Record<CorrectionSlot, File[]>

const PURPOSES: Record<CorrectionSlot, UploadPurpose> = { table: 'workbook', explanation: 'notice', proofs: 'attachment' }
const SLOTS: CorrectionSlot[] = ['table', 'explanation', 'proofs']

function signatureOf(files: File[]): string {
  return files.map((file) => `${file.name}\u0000${file.size}\u0000${file.lastModified}`).join('\u0001')
}

/**
 * Uploading (a percentage over all files), then checking while core reads the table. A refused
 * table keeps its uploads, so a corrected table is the only file sent again; they are dropped
 * when the dialog is left, and core drops them itself once a request is made from them.
 */
export function useCorrectionImport() {
  const store = useCorrectionsStore()
  const phase = ref<'idle' | 'uploading' | 'checking'>('idle')
  const sentBytes = ref(0)
  const totalBytes = ref(0)
  const running = computed(() => phase.value !== 'idle')
  const percent = computed(() => (totalBytes.value > 0 ? Math.min(100, Math.floor((sentBytes.value * 100) / totalBytes.value)) : 0))
  const sent = new Map<CorrectionSlot, { signature: string; id: string }>()
  let controller: AbortController | null = null

  async function ensureUploaded(slot: CorrectionSlot, files: File[], before: number): Promise<string | null> {
    const previous = sent.get(slot)
    const signature = signatureOf(files)
    if (previous?.signature === signature) return previous.id
    if (previous) {
      sent.delete(slot)
      await discardUpload(previous.id)
    }
    if (files.length === 0) return null
    const info = await uploadFiles(PURPOSES[slot], files, (bytes) => (sentBytes.value = before + bytes), controller?.signal)
    sent.set(slot, { signature, id: info.id })
    return info.id
  }

  async function run(selection: CorrectionSelection): Promise<CorrectionImportResult> {
    controller = new AbortController()
    phase.value = 'uploading'
    const sizes = SLOTS.map((slot) => selection[slot].reduce((sum, file) => sum + file.size, 0))
    totalBytes.value = sizes.reduce((sum, size) => sum + size, 0)
    sentBytes.value = 0
    try {
      const ids: Record<CorrectionSlot, string | null> = { table: null, explanation: null, proofs: null }
      let before = 0
      for (const [index, slot] of SLOTS.entries()) {
        ids[slot] = await ensureUploaded(slot, selection[slot], before)
        before += sizes[index]
      }
      phase.value = 'checking'
      const result = await store.importTable({ table: ids.table!, explanation: ids.explanation, proofs: ids.proofs })
      if (result.accepted) sent.clear()
      return result
    } catch (error) {
      if (isApiError(error) && error.code === 'NOT_FOUND') await discardAll()
      throw error
    } finally {
      phase.value = 'idle'
      controller = null
    }
  }

  /** Stops an upload in progress and drops what was sent. */
  async function discardAll(): Promise<void> {
    controller?.abort()
    const ids = [...sent.values()].map((upload) => upload.id)
    sent.clear()
    await Promise.all(ids.map(discardUpload))
  }

  return { phase, running, percent, run, discardAll }
}
