import type { LegacyImportResult } from '@contract/legacy'
import type { Family } from '@contract/roles'
import { useStagedUploads } from '@renderer/components/use-staged-uploads'
import { useLegacyStore } from '@renderer/stores/legacy'

/**
 * The legacy import: the workbook uploaded, then checked by core. Core drops an upload it stored;
 * a refused or failed one is dropped here at once, since the clerk picks the corrected workbook
 * next (unlike the other imports, nothing else would be sent again).
 */
export function useLegacyImport() {
  const store = useLegacyStore()
  const uploads = useStagedUploads({ workbook: 'workbook' })

  async function run({
    family,
    organisationId,
    workbook,
  }: {
    family: Family
    organisationId: number
    workbook: File
  }): Promise<LegacyImportResult> {
    try {
      return await uploads.run(
        { workbook: [workbook] },
        (ids) => store.importRecords({ family, organisationId, workbook: ids.workbook! }),
        (result) => result.accepted,
      )
    } finally {
      await uploads.discardAll()
    }
  }

  // Closing the dialog while the workbook travels cancels the upload, as in the other import dialogs.
  return { phase: uploads.phase, percent: uploads.percent, running: uploads.running, beforeClose: uploads.beforeClose, run }
}
