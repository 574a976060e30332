import { computed, ref } from 'vue'
import type { UploadPurpose } from '@contract/uploads'
import { isApiError } from '@renderer/api'
import { discardUpload, uploadFiles } from '@renderer/api/uploads'

/** The upload id of each slot, null for a slot left empty. */
export type UploadIds<Slot extends string> = Record<Slot, string | null>

interface SentUpload {
  signature: string
  id: string
}

// The same files picked again need not travel again: after a refused workbook the user usually
// picks another workbook only, and a photo folder may be thousands of files.
function signatureOf(files: File[]): string {
  return files.map((file) => `${file.name}\u0000${file.size}\u0000${file.lastModified}`).join('\u0001')
}

/**
 * The files of an import dialog, sent slot by slot (a workbook, a notice, a ZIP or a folder…) and
 * then checked by core: the phase (uploading, with a percentage over all files, then checking),
 * and the uploads, kept after a refusal for a retry until the dialog is left or core took them.
 * The import dialogs share it so that cancelling and retrying behave alike; the filing and
 * revocation dialogs use it too, dropping what was sent after each attempt.
 */
export function useStagedUploads<Slot extends string>(purposes: Record<Slot, UploadPurpose>) {
  const slots = Object.keys(purposes) as Slot[]
  const phase = ref<'idle' | 'uploading' | 'checking'>('idle')
  const sentBytes = ref(0)
  const totalBytes = ref(0)
  const running = computed(() => phase.value !== 'idle')
  const percent = computed(() => (totalBytes.value > 0 ? Math.min(100, Math.floor((sentBytes.value * 100) / totalBytes.value)) : 0))
  const sent = new Map<Slot, SentUpload>()
  let controller: AbortController | null = null

  async function ensureUploaded(slot: Slot, files: File[], before: number): Promise<string | null> {
    const previous = sent.get(slot)
    const signature = signatureOf(files)
    if (previous?.signature === signature) return previous.id
    if (previous) {
      sent.delete(slot)
      await discardUpload(previous.id)
    }
    if (files.length === 0) return null
    const info = await uploadFiles(purposes[slot], files, (bytes) => (sentBytes.value = before + bytes), controller?.signal)
    sent.set(slot, { signature, id: info.id })
    return info.id
  }

  /**
   * Sends what is not sent yet, then hands the ids to `check` (core's import call). `consumed`
   * says whether core took the uploads with that result (it discards them itself then).
   */
  async function run<R>(
    selection: Record<Slot, File[]>,
    check: (ids: UploadIds<Slot>) => Promise<R>,
    consumed: (result: R) => boolean,
  ): Promise<R> {
    controller = new AbortController()
    phase.value = 'uploading'
    const sizes = slots.map((slot) => selection[slot].reduce((sum, file) => sum + file.size, 0))
    totalBytes.value = sizes.reduce((sum, size) => sum + size, 0)
    sentBytes.value = 0
    try {
      const ids = Object.fromEntries(slots.map((slot) => [slot, null])) as UploadIds<Slot>
      let before = 0
      for (const [index, slot] of slots.entries()) {
        ids[slot] = await ensureUploaded(slot, selection[slot], before)
        before += sizes[index]
        sentBytes.value = before
      }
      phase.value = 'checking'
      const result = await check(ids)
      if (consumed(result)) sent.clear()
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

  /**
   * The dialog's before-close: core cannot be stopped once it checks the files, so the dialog
   * stays open then; until then closing cancels the upload and drops what was sent.
   */
  function beforeClose(done: () => void): void {
    if (phase.value === 'checking') return
    void discardAll()
    done()
  }

  return { phase, running, percent, run, discardAll, beforeClose }
}
