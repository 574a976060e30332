import type { ImportResult } from '@contract/applications'
import type { Family } from '@contract/roles'
import { useStagedUploads } from '@renderer/components/use-staged-uploads'
import { useApplicationsStore } from '@renderer/stores/applications'

export interface ImportSelection {
  family: Family
  organisationId: number
  workbook: File[]
  /** The photos: a ZIP or a folder. */
  photos: File[]
  notice: File[]
}

/**
 * The import of a workbook with its photos and notice PDF. Uploads survive a refused import for a
 * retry and are discarded when the dialog is left; core discards them itself once a batch is made
 * from them, which every answer but an error means.
 */
export function useImport() {
  const store = useApplicationsStore()
  const uploads = useStagedUploads({ workbook: 'workbook', photos: 'photos', notice: 'notice' })

  function run({ family, organisationId, ...files }: ImportSelection): Promise<ImportResult> {
    return uploads.run(
      files,
      (ids) => store.importBatch({ family, organisationId, workbook: ids.workbook!, photos: ids.photos, notice: ids.notice }),
      () => true,
    )
  }

  return { ...uploads, run }
}
