import { parentPort } from 'node:worker_threads'
import { AppError } from '../util/app-error'
import { createDocumentRenderer } from './index'
import type { RenderTask } from './render-task'

/** A pool worker: one renderer (font loaded once), one task at a time, bytes transferred back. */
const renderer = createDocumentRenderer()

async function render(task: RenderTask): Promise<Uint8Array> {
  const ready = await renderer
  switch (task.kind) {
    case 'title':
      return ready.renderTitleCertificate(task.input)
    case 'vocational':
      return ready.renderVocationalCertificate(task.input)
    case 'querySlip':
      return ready.renderQuerySlip(task.input)
    case 'passCertificate':
      return ready.renderPassCertificate(task.input)
  }
}

parentPort!.on('message', (task: RenderTask) => {
  render(task).then(
    (bytes) => parentPort!.postMessage({ ok: true, bytes }, [bytes.buffer as ArrayBuffer]),
    (error: unknown) =>
      parentPort!.postMessage({
        ok: false,
        error:
          error instanceof AppError
            ? error.toBody()
            : { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) },
      }),
  )
})
