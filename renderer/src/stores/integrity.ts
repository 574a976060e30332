import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { IntegrityKind, IntegrityRecord } from '@contract/integrity'
import { api } from '@renderer/api'
import { discardUpload, uploadFiles } from '@renderer/api/uploads'
import { saveDownload } from '@renderer/components/pdf-document'

/** A finding as the dialog collects it. */
export interface FindingInput {
  kind: IntegrityKind
  subject: { type: 'certificate'; number: string } | { type: 'person'; idNumber: string; name: string }
  foundOn: string
  description: string
  evidence: File[]
}

/** Integrity records (诚信档案): recording a finding with its evidence, and downloading evidence. */
export const useIntegrityStore = defineStore('integrity', () => {
  const saving = ref(false)

  /** Uploads the evidence (purpose 'attachment'), then records the finding; the upload is used up by it. */
  async function record(input: FindingInput): Promise<IntegrityRecord> {
    saving.value = true
    try {
      const upload = await uploadFiles('attachment', input.evidence)
      try {
        return await api.integrity.record({
          kind: input.kind,
          subject: input.subject,
          foundOn: input.foundOn,
          description: input.description,
          evidence: upload.id,
        })
      } catch (error) {
        // A refused finding leaves nothing behind: the evidence is sent again with the corrected form.
        await discardUpload(upload.id)
        throw error
      }
    } finally {
      saving.value = false
    }
  }

  async function downloadEvidence(id: number): Promise<void> {
    saveDownload(await api.integrity.evidence({ id }))
  }

  return { saving, record, downloadEvidence }
})
