import { computed, ref } from 'vue'
import type { LegacyImportResult } from '@contract/legacy'
import type { Family } from '@contract/roles'
import { discardUpload, uploadFiles } from '@renderer/api/uploads'
import { useLegacyStore } from '@renderer/stores/legacy'

/**
 * The legacy import's progress: uploading the workbook (with a percentage), then checking while
 * core reads it. Core drops an upload it stored; a refused one is dropped here, since the clerk
 * picks the corrected workbook next.
 */
export function useLegacyImport() {
  const store = useLegacyStore()
  const phase = ref<'idle' | 'uploading' | 'checking'>('idle')
  const percent = ref(0)
  const running = computed(() => phase.value !== 'idle')

  async function run(selection: { family: Family; organisationId: number; workbook: File }): Promise<LegacyImportResult> {
    phase.value = 'uploading'
    percent.value = 0
    let uploadId: string | null = null
    try {
      const upload = await uploadFiles('workbook', [selection.workbook], (sent, total) => {
        percent.value = total > 0 ? Math.min(100, Math.floor((sent * 100) / total)) : 100
      })
      uploadId = upload.id
      phase.value = 'checking'
      const result = await store.importRecords({ family: selection.family, organisationId: selection.organisationId, workbook: upload.id })
      if (result.accepted) uploadId = null
      return result
    } finally {
      if (uploadId) await discardUpload(uploadId)
      phase.value = 'idle'
    }
  }

  return { phase, percent, running, run }
}
