import { computed, ref } from 'vue'
import type { ImportResult } from '@contract/applications'
import type { Family } from '@contract/roles'
import type { UploadPurpose } from '@contract/uploads'
import { isApiError } from '@renderer/api'
import { discardUpload, uploadFiles } from '@renderer/api/uploads'
import { useApplicationsStore } from '@renderer/stores/applications'

/** The three things an import sends: the workbook, the photos (a ZIP or a folder) and the notice PDF. */
export type ImportSlot = 'workbook' | 'photos' | 'notice'

export interface ImportSelection {
  family: Family
  organisationId: number
  workbook: File[]
  photos: File[]
  notice: File[]
}

interface SentUpload {
  signature: string
  id: string
}

const PURPOSES: Record<ImportSlot, UploadPurpose> = { workbook: 'workbook', photos: 'photos', notice: 'notice' }

// The same files picked again need not travel again: after a refused workbook the user usually
// picks another workbook only, and a photo folder may be thousands of files.
function signatureOf(files: File[]): string {
  return files.map((file) => `${file.name}\u0000${file.size}\u0000${file.lastModified}`).join('\u0001')
}

/**
 * The import's progress: uploading (with a percentage over all files), then checking while core
 * reads the workbook. Uploads survive a refused import for a retry and are discarded when the
 * dialog is left; core discards them itself once a batch is made from them.
 */
export function useImport() {
  const store = useApplicationsStore()
  const phase = ref<'idle' | 'uploading' | 'checking'>('idle')
  const sentBytes = ref(0)
  const totalBytes = ref(0)
  const running = computed(() => phase.value !== 'idle')
  const percent = computed(() => (totalBytes.value > 0 ? Math.min(100, Math.floor((sentBytes.value * 100) / totalBytes.value)) : 0))
  const sent = new Map<ImportSlot, SentUpload>()
  let controller: AbortController | null = null

  async function ensureUploaded(slot: ImportSlot, files: File[], before: number): Promise<string | null> {
    const previous = sent.get(slot)
    const signature = signatureOf(files)
    if (previous && previous.signature === signature) return previous.id
    if (previous) {
      sent.delete(slot)
      await discardUpload(previous.id)
    }
    if (files.length === 0) return null
    const info = await uploadFiles(
      PURPOSES[slot],
      files,
      (bytes) => {
        sentBytes.value = before + bytes
      },
      controller?.signal,
    )
    sent.set(slot, { signature, id: info.id })
    return info.id
  }

  async function run(selection: ImportSelection): Promise<ImportResult> {
    controller = new AbortController()
    phase.value = 'uploading'
    const slots: ImportSlot[] = ['workbook', 'photos', 'notice']
    const sizes = slots.map((slot) => selection[slot].reduce((sum, file) => sum + file.size, 0))
    totalBytes.value = sizes.reduce((sum, size) => sum + size, 0)
    sentBytes.value = 0
    try {
      const ids: Record<ImportSlot, string | null> = { workbook: null, photos: null, notice: null }
      let before = 0
      for (const [index, slot] of slots.entries()) {
        ids[slot] = await ensureUploaded(slot, selection[slot], before)
        before += sizes[index]
        sentBytes.value = before
      }
      phase.value = 'checking'
      const result = await store.importBatch({
        family: selection.family,
        organisationId: selection.organisationId,
        workbook: ids.workbook!,
        photos: ids.photos,
        notice: ids.notice,
      })
      // Core made the batch and dropped the uploads.
      sent.clear()
      return result
    } catch (error) {
      // An upload gone stale (expired, or dropped by core) is sent again next time.
      if (isApiError(error) && error.code === 'NOT_FOUND') await dropSent()
      throw error
    } finally {
      phase.value = 'idle'
      controller = null
    }
  }

  async function dropSent(): Promise<void> {
    const ids = [...sent.values()].map((upload) => upload.id)
    sent.clear()
    await Promise.all(ids.map(discardUpload))
  }

  /** Stops an upload in progress (a running check cannot be stopped) and drops what was sent. */
  async function discardAll(): Promise<void> {
    controller?.abort()
    await dropSent()
  }

  return { phase, running, percent, run, discardAll }
}
