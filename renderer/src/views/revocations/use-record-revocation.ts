import { computed, reactive, ref } from 'vue'
import type { RevocationDetail, RevocationReason } from '@contract/revocations'
import { isApiError } from '@renderer/api'
import { useStagedUploads } from '@renderer/components/use-staged-uploads'
import { errorMessage } from '@renderer/locales'
import { useRevocationsStore } from '@renderer/stores/revocations'

/** How the list of certificates is given: typed or pasted numbers, or an Excel workbook. */
export type ListKind = 'text' | 'workbook'

/** A refusal as the dialog shows it: core's message, and each row it named. */
export interface Failure {
  message: string
  problems: Array<{ path: string; message: string }>
}

const SEPARATORS = /[\s,，;；、]+/

/** How many numbers the typed list holds (what core will read, before any check). */
export function countNumbers(text: string): number {
  return text.split(SEPARATORS).filter((token) => token !== '').length
}

/**
 * The record dialog's form and its submission: the PDF (and a workbook) are uploaded first, then
 * core reads and checks the list whole. The uploads are dropped when core refuses, so a retry
 * sends the corrected files; core drops them itself once it recorded the revocation.
 */
export function useRecordRevocation() {
  const store = useRevocationsStore()
  const form = reactive({
    kind: 'text' as ListKind,
    text: '',
    workbook: [] as File[],
    documentNumber: '',
    documentDate: '',
    reason: 'report' as RevocationReason,
    reasonText: '',
    document: [] as File[],
  })
  const uploads = useStagedUploads({ document: 'notice', workbook: 'workbook' })
  const failure = ref<Failure | null>(null)
  const listReady = computed(() => (form.kind === 'text' ? countNumbers(form.text) > 0 : form.workbook.length === 1))
  const ready = computed(
    () =>
      listReady.value &&
      form.documentNumber.trim().length >= 2 &&
      form.documentDate !== '' &&
      form.document.length === 1 &&
      (form.reason !== 'other' || form.reasonText.trim() !== '') &&
      !uploads.running.value,
  )

  function reset(): void {
    Object.assign(form, {
      kind: 'text',
      text: '',
      workbook: [],
      documentNumber: '',
      documentDate: '',
      reason: 'report',
      reasonText: '',
      document: [],
    })
    failure.value = null
  }

  async function submit(): Promise<RevocationDetail | null> {
    if (!ready.value) return null
    failure.value = null
    const reasonText = form.reasonText.trim()
    try {
      return await uploads.run(
        { document: form.document, workbook: form.kind === 'workbook' ? form.workbook : [] },
        ({ document, workbook }) =>
          store.record({
            list: workbook ? { kind: 'workbook', uploadId: workbook } : { kind: 'text', text: form.text },
            documentNumber: form.documentNumber.trim(),
            documentDate: form.documentDate,
            document: document!,
            reason: form.reason,
            ...(reasonText ? { reasonText } : {}),
          }),
        () => true,
      )
    } catch (error) {
      failure.value = { message: errorMessage(error), problems: isApiError(error) ? (error.details ?? []) : [] }
      return null
    } finally {
      // A refused list is corrected and sent whole again: nothing is kept for a retry.
      await uploads.discardAll()
    }
  }

  return { form, running: uploads.running, failure, ready, reset, submit }
}
