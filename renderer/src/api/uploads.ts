import { UPLOAD_CHUNK_BYTES, type UploadInfo, type UploadPurpose } from '@contract/uploads'
import { api } from './index'

/** Bytes sent so far out of the total of every file in the upload. */
export type UploadProgressListener = (sentBytes: number, totalBytes: number) => void

/**
 * A photo folder is thousands of small files: a few files in flight at once hide the round trip of
 * each call. The chunks of one file always go in order, as the contract requires.
 */
const PARALLEL_FILES = 4

/** Thrown when the caller's AbortSignal fired; the upload has been discarded. */
export class UploadCancelled extends Error {
  constructor() {
    super('upload cancelled')
    this.name = 'UploadCancelled'
  }
}

/** Base64 of a slice of a file, read by the browser itself (no byte-by-byte string building). */
function readBase64(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader()
    reader.onload = () => {
      const url = String(reader.result)
      resolve(url.slice(url.indexOf(',') + 1))
    }
    reader.onerror = () => reject(reader.error ?? new Error('FileReader failed'))
    reader.readAsDataURL(blob)
  })
}

async function sendFile(id: string, file: File, stopped: () => boolean, sent: (bytes: number) => void): Promise<void> {
  // An empty file is still created by one empty append.
  let offset = 0
  do {
    if (stopped()) throw new UploadCancelled()
    const chunk = file.slice(offset, offset + UPLOAD_CHUNK_BYTES)
    await api.uploads.append({ id, file: file.name, offset, dataBase64: await readBase64(chunk) })
    offset += chunk.size
    sent(chunk.size)
  } while (offset < file.size)
}

/**
 * Streams picked files to core as one upload (one purpose: a workbook, a notice, a ZIP or a
 * whole folder of photos), in 512 KB base64 chunks, and finishes it. On failure or cancellation
 * the upload is discarded before the error is rethrown, so nothing half-sent stays behind.
 */
export async function uploadFiles(
  purpose: UploadPurpose,
  files: File[],
  onProgress?: UploadProgressListener,
  signal?: AbortSignal,
): Promise<UploadInfo> {
  const totalBytes = files.reduce((sum, file) => sum + file.size, 0)
  let sentBytes = 0
  // One failed file stops the others too, before the upload is discarded under them.
  let failed = false
  const stopped = () => failed || (signal?.aborted ?? false)
  const { id } = await api.uploads.begin({ purpose })
  try {
    const queue = [...files]
    const worker = async (): Promise<void> => {
      try {
        for (let file = queue.shift(); file; file = queue.shift()) {
          await sendFile(id, file, stopped, (bytes) => {
            sentBytes += bytes
            onProgress?.(sentBytes, totalBytes)
          })
        }
      } catch (error) {
        failed = true
        throw error
      }
    }
    const results = await Promise.allSettled(Array.from({ length: Math.min(PARALLEL_FILES, files.length) }, worker))
    // The first real failure, not the cancellations it caused in the other workers.
    const reasons = results.flatMap((result) => (result.status === 'rejected' ? [result.reason as unknown] : []))
    const cause = reasons.find((reason) => !(reason instanceof UploadCancelled)) ?? reasons[0]
    if (cause !== undefined) throw cause
    if (stopped()) throw new UploadCancelled()
    return await api.uploads.finish({ id })
  } catch (error) {
    await discardUpload(id)
    throw error
  }
}

/** Drops an upload that will not be used; a failure here is not worth telling anyone about. */
export async function discardUpload(id: string): Promise<void> {
  await api.uploads.discard({ id }).catch(() => undefined)
}
