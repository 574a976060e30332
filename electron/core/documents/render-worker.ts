import { parentPort } from 'node:worker_threads'
import { AppError } from '../util/app-error'
import { createDocumentRenderer } from './index'
import { renderTask, type RenderTask } from './render-task'

/** A pool worker: one renderer (font loaded once), one task at a time, bytes transferred back. */
const renderer = createDocumentRenderer()

async function render(task: RenderTask): Promise<Uint8Array> {
  return renderTask(await renderer, task)
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
