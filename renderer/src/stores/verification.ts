import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { VerificationReport } from '@contract/verification'
import { api } from '@renderer/api'
import { discardUpload, uploadFiles } from '@renderer/api/uploads'

/** A verified file: its name and size as picked, and what the verifier said of it. */
export interface VerifiedFile {
  fileName: string
  bytes: number
  report: VerificationReport
}

/**
 * 证书验证: one PDF at a time, uploaded (purpose 'attachment') and checked by core's verifier and
 * register. A new file replaces the result; a failed check leaves the previous result cleared.
 */
export const useVerificationStore = defineStore('verification', () => {
  const result = ref<VerifiedFile | null>(null)
  const verifying = ref(false)

  async function verify(file: File): Promise<VerifiedFile> {
    verifying.value = true
    result.value = null
    try {
      const upload = await uploadFiles('attachment', [file])
      try {
        const report = await api.verification.verify({ uploadId: upload.id })
        result.value = { fileName: file.name, bytes: file.size, report }
        return result.value
      } finally {
        // The verifier reads the file and keeps nothing: the upload goes, without holding up the result.
        void discardUpload(upload.id)
      }
    } finally {
      verifying.value = false
    }
  }

  function clear(): void {
    result.value = null
  }

  return { result, verifying, verify, clear }
})
