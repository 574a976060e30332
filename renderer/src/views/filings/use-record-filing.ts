import { reactive } from 'vue'
import type { FilingSummary, UnfiledBatch } from '@contract/filings'
import { useStagedUploads } from '@renderer/components/use-staged-uploads'
import { useFilingsStore } from '@renderer/stores/filings'

/**
 * The filing dialog's form and its submission: the scans are uploaded (PDFs, purpose 'notice'),
 * then core checks and stores the filing whole. Uploads are dropped when core refuses; core
 * drops them itself once the filing is stored.
 */
export function useRecordFiling() {
  const store = useFilingsStore()
  const form = reactive({
    receivedOn: '',
    paperCount: 0,
    discrepancy: '',
    listScan: [] as File[],
    noticeScan: [] as File[],
    offline: false,
    consentReference: '',
    consentDocument: [] as File[],
  })
  const uploads = useStagedUploads({ listScan: 'notice', noticeScan: 'notice', consentDocument: 'notice' })
  const busy = uploads.running

  function reset(batch: UnfiledBatch | null): void {
    Object.assign(form, {
      receivedOn: '',
      paperCount: batch?.electronicCount ?? 0,
      discrepancy: '',
      listScan: [],
      noticeScan: [],
      offline: false,
      consentReference: '',
      consentDocument: [],
    })
  }

  /** Whether the counts differ from the batch's numbered certificates (a note is then required). */
  const differs = (batch: UnfiledBatch | null) => batch !== null && form.paperCount !== batch.electronicCount
  /** Whether everything required is there; read inside a computed, it follows the form. */
  function isReady(batch: UnfiledBatch | null): boolean {
    if (batch === null || busy.value || form.receivedOn === '' || form.listScan.length !== 1) return false
    if (differs(batch) && form.discrepancy.trim().length < 2) return false
    return !form.offline || (form.consentReference.trim().length >= 2 && form.consentDocument.length === 1)
  }

  async function submit(batch: UnfiledBatch): Promise<FilingSummary> {
    const discrepancy = form.discrepancy.trim()
    try {
      return await uploads.run(
        { listScan: form.listScan, noticeScan: form.noticeScan, consentDocument: form.offline ? form.consentDocument : [] },
        ({ listScan, noticeScan, consentDocument }) =>
          store.record({
            batchId: batch.batchId,
            receivedOn: form.receivedOn,
            paperCount: form.paperCount,
            ...(discrepancy ? { discrepancy } : {}),
            listScan: listScan!,
            ...(noticeScan ? { noticeScan } : {}),
            offline: form.offline,
            ...(form.offline ? { consentReference: form.consentReference.trim(), consentDocument: consentDocument ?? undefined } : {}),
          }),
        () => true,
      )
    } finally {
      // A refused filing is corrected and sent whole again: nothing is kept for a retry.
      await uploads.discardAll()
    }
  }

  return { form, busy, reset, differs, isReady, submit }
}
