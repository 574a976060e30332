import { parentPort, workerData } from 'node:worker_threads'
import { AppError } from '../../util/app-error'
import { ModuleRegistry, listSlots } from './modules'
import type { TokenOperation, TokenOperations, TokenReply, TokenRequest, TokenWorkerData } from './protocol'
import { generateKeyPair, initializeToken, storeCertificate } from './provision-ops'
import { listCertificates } from './session'
import { SignerTable } from './signers'

/**
 * TokenHost's worker thread: every PKCS#11 call of the process happens here, so a driver that
 * hangs in native code blocks this thread and never the window. Each message is handled to the
 * end before the next one is read (the calls are synchronous), which serialises every call on
 * every token; a sign request sent behind another simply waits in this thread's message queue.
 */
const registry = new ModuleRegistry()
const signers = new SignerTable()
const finalized = new Int32Array((workerData as TokenWorkerData).finalized)

type Handlers = { [Op in TokenOperation]: (args: TokenOperations[Op]['args']) => TokenOperations[Op]['result'] }

const handlers: Handlers = {
  listSlots: ({ modulePath }) => listSlots(registry.get(modulePath)),
  listCertificates: ({ modulePath, token, pin, confirmFinalTry }) =>
    listCertificates(registry.get(modulePath), token, { pin, confirmFinalTry }),
  openSigner: (request) => signers.open(registry, request),
  // A fresh, exact-size copy: it is transferred, and pkcs11js's output may share a larger buffer.
  sign: ({ signerId, data }) => new Uint8Array(signers.sign(signerId, data)),
  closeSigner: ({ signerId }) => {
    signers.close(signerId)
    return null
  },
  reinitialize: ({ modulePath }) => {
    signers.drop(registry.get(modulePath))
    registry.reinitialize(modulePath)
    return null
  },
  finalize: () => {
    signers.drop()
    registry.finalizeAll()
    // TokenHost's exit hook may be blocked in Atomics.wait for exactly this.
    Atomics.store(finalized, 0, 1)
    Atomics.notify(finalized, 0)
    return null
  },
  initializeToken: (request) => initializeToken(registry, request),
  generateKeyPair: (request) => generateKeyPair(registry, request),
  storeCertificate: (request) => storeCertificate(registry, request),
}

function handle(request: TokenRequest): TokenReply {
  try {
    const handler = handlers[request.op] as (args: unknown) => unknown
    return { id: request.id, ok: true, value: handler(request.args) }
  } catch (error) {
    const body =
      error instanceof AppError
        ? error.toBody()
        : { code: 'INTERNAL' as const, message: error instanceof Error ? error.message : String(error) }
    return { id: request.id, ok: false, error: body }
  }
}

parentPort!.on('message', (request: TokenRequest) => {
  const reply = handle(request)
  const transfer = reply.ok && reply.value instanceof Uint8Array ? [reply.value.buffer as ArrayBuffer] : []
  parentPort!.postMessage(reply, transfer)
})
