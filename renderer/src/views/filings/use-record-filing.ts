import { reactive, ref } from 'vue'
import type { FilingSummary, UnfiledBatch } from '@contract/filings'
import { discardUpload, uploadFiles } from '@renderer/api/uploads'
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
  const busy = ref(false)

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
    busy.value = true
    const sent: string[] = []
    const send = async (files: File[]) => {
      if (files.length === 0) return undefined
      const { id } = await uploadFiles('notice', files)
      sent.push(id)
      return id
    }
    try {
      const listScan = (await send(form.listScan))!
      const noticeScan = await send(form.noticeScan)
      const consentDocument = form.offline ? await send(form.consentDocument) : undefined
      const discrepancy = form.discrepancy.trim()
      return await store.record({
        batchId: batch.batchId,
        receivedOn: form.receivedOn,
        paperCount: form.paperCount,
        ...(discrepancy ? { discrepancy } : {}),
        listScan,
        ...(noticeScan ? { noticeScan } : {}),
        offline: form.offline,
        ...(form.offline ? { consentReference: form.consentReference.trim(), consentDocument } : {}),
      })
    } catch (error) {
      await Promise.all(sent.map(discardUpload))
      throw error
    } finally {
      busy.value = false
    }
  }

  return { form, busy, reset, differs, isReady, submit }
}
