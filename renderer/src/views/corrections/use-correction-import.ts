import type { CorrectionImportResult } from '@contract/corrections'
import { useStagedUploads } from '@renderer/components/use-staged-uploads'
import { useCorrectionsStore } from '@renderer/stores/corrections'

/** What a table submission sends: the table, the explanation PDF and the proofs (a ZIP or a folder). */
export interface CorrectionSelection {
  table: File[]
  explanation: File[]
  proofs: File[]
}

/**
 * The submission of a correction table. A refused table keeps its uploads, so a corrected table is
 * the only file sent again; core drops them itself once a request is made from them.
 */
export function useCorrectionImport() {
  const store = useCorrectionsStore()
  const uploads = useStagedUploads({ table: 'workbook', explanation: 'notice', proofs: 'attachment' })

  function run(selection: CorrectionSelection): Promise<CorrectionImportResult> {
    return uploads.run(
      selection,
      (ids) => store.importTable({ table: ids.table!, explanation: ids.explanation, proofs: ids.proofs }),
      (result) => result.accepted,
    )
  }

  return { ...uploads, run }
}
