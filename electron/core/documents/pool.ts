import { availableParallelism } from 'node:os'
import { Worker } from 'node:worker_threads'
import type { ApiErrorBody } from '../../contract/errors'
import { AppError } from '../util/app-error'
import { workerScript } from '../util/worker-script'
import type { RenderTask } from './render-task'

interface Pending {
  task: RenderTask
  resolve(bytes: Uint8Array): void
  reject(error: Error): void
}

interface Slot {
  worker: Worker
  busy: Pending | null
}

type Reply = { ok: true; bytes: Uint8Array } | { ok: false; error: ApiErrorBody }

/**
 * Renders documents on worker threads, one renderer (one loaded font) per worker, so a batch
 * uses every core and the main thread — Electron's, or the web host's — stays free.
 */
export class DocumentPool {
  private readonly slots: Slot[] = []
  private readonly queue: Pending[] = []
  private closed = false

  constructor(size = Math.max(1, availableParallelism())) {
    // Found beside the bundle (out/<entry>/render-worker.js) or, from source, run through tsx.
    const script = workerScript(__dirname, 'render-worker')
    for (let index = 0; index < size; index += 1) {
      const worker = new Worker(script.file, { eval: script.eval, resourceLimits: { maxYoungGenerationSizeMb: 64 } })
      const slot: Slot = { worker, busy: null }
      worker.on('message', (reply: Reply) => this.finish(slot, reply))
      worker.on('error', (error) => this.fail(slot, error))
      // Idle workers do not keep the process alive; a busy one does (see dispatch/finish).
      worker.unref()
      this.slots.push(slot)
    }
  }

  get size(): number {
    return this.slots.length
  }

  /** Queues one document; resolves with its PDF bytes. */
  render(task: RenderTask): Promise<Uint8Array> {
    if (this.closed) return Promise.reject(new AppError('INVALID_STATE', '渲染服务已关闭'))
    return new Promise((resolve, reject) => {
      this.queue.push({ task, resolve, reject })
      this.dispatch()
    })
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (slot.busy || this.queue.length === 0) continue
      slot.busy = this.queue.shift()!
      slot.worker.ref()
      slot.worker.postMessage(slot.busy.task)
    }
  }

  private finish(slot: Slot, reply: Reply): void {
    const pending = slot.busy
    slot.busy = null
    slot.worker.unref()
    if (pending) {
      if (reply.ok) pending.resolve(reply.bytes)
      else pending.reject(new AppError(reply.error.code, reply.error.message))
    }
    this.dispatch()
  }

  private fail(slot: Slot, error: Error): void {
    slot.busy?.reject(new AppError('INTERNAL', `证书渲染进程出错：${error.message}`))
    slot.busy = null
    slot.worker.unref()
    this.dispatch()
  }

  async close(): Promise<void> {
    this.closed = true
    for (const pending of this.queue.splice(0)) pending.reject(new AppError('INVALID_STATE', '渲染服务已关闭'))
    await Promise.all(this.slots.map((slot) => slot.worker.terminate()))
  }
}
