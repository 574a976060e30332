import { Worker } from 'node:worker_threads'
import { ERROR_CODES } from '../../../contract/errors'
import { AppError } from '../../util/app-error'
import { workerScript } from '../../util/worker-script'
import type {
  SlotDescription,
  TokenCertificate,
  TokenOperation,
  TokenOperations,
  TokenReply,
  TokenRequest,
  TokenSelector,
  TokenWorkerData,
} from './protocol'
import { TokenSigner, type SignerChannel } from './token-signer'

/** Timeouts, in milliseconds, after which the token counts as hung and its worker is replaced. */
export interface TokenHostOptions {
  /** One signature (default 30 s). */
  signTimeoutMs?: number
  /** Anything else: listing, login, provisioning (default 60 s). */
  timeoutMs?: number
}

/** What `openSigner` needs. The PIN serves one C_Login (and, for CKA_ALWAYS_AUTHENTICATE keys, the worker keeps its bytes until close). */
export interface OpenSignerOptions {
  modulePath: string
  token: TokenSelector
  /** SHA-256 of the certificate's DER, hex. */
  certificateFingerprint: string
  pin: string
  /** The user confirmed a login although the token reports the PIN's final try. */
  confirmFinalTry?: boolean
}

/** A certificate on a token, `der` as a Buffer. */
export type CertificateOnToken = Omit<TokenCertificate, 'der'> & { der: Buffer }

interface Call {
  /** Dropped once posted: it may carry a PIN. */
  request: TokenRequest | null
  transfer: ArrayBuffer[]
  timeoutMs: number
  /** The worker generation a signer call belongs to; null for calls any worker can answer. */
  boundTo: number | null
  resolve(answer: { value: unknown; generation: number }): void
  reject(error: Error): void
  timer?: NodeJS.Timeout
}

interface Running {
  worker: Worker
  generation: number
  inFlight: Map<number, Call>
  finalized: Int32Array
}

/**
 * Calls handed to the worker at once. Two keep the token busy (the next one is already waiting
 * when a signature returns) while a call's timeout still measures the token, not a long queue.
 */
const PIPELINE_DEPTH = 2
const EXIT_WAIT_MS = 2_000
const CLOSE_TIMEOUT_MS = 10_000

const OPERATION_NAMES: Record<TokenOperation, string> = {
  listSlots: '列出插槽',
  listCertificates: '读取证书',
  openSigner: '打开印章密钥',
  sign: '签名',
  closeSigner: '关闭签名会话',
  reinitialize: '重新初始化',
  finalize: '关闭密钥模块',
  initializeToken: '初始化密钥',
  generateKeyPair: '生成密钥',
  storeCertificate: '写入证书',
}

/** UTF-8 bytes written straight into memory of their own, so nothing but the caller's string stays behind. */
function pinBytes(pin: string): Uint8Array {
  const bytes = new Uint8Array(Buffer.byteLength(pin, 'utf8'))
  new TextEncoder().encodeInto(pin, bytes)
  return bytes
}

/**
 * The process's one door to PKCS#11 tokens. Every call runs in a worker thread (started on first
 * use, idle it does not keep the process alive); a call that outlives its timeout rejects with
 * TOKEN_TIMEOUT and the worker is replaced, since a driver hung in native code may never return.
 * One per process: PKCS#11 modules are per process, and `close` finalises them for everyone.
 */
export class TokenHost {
  private readonly signTimeoutMs: number
  private readonly timeoutMs: number
  private running: Running | null = null
  private generation = 0
  private nextId = 1
  private readonly queue: Call[] = []
  private closed = false
  private readonly exitHook = (): void => this.finalizeAtExit()
  private readonly channel: SignerChannel = {
    sign: async (signerId, generation, data) => {
      return (await this.request('sign', { signerId, data }, { transfer: [data.buffer as ArrayBuffer], boundTo: generation })).value
    },
    close: async (signerId, generation) => {
      // A signer of a replaced worker died with it: nothing left to close.
      if (this.closed || generation !== this.running?.generation) return
      await this.request('closeSigner', { signerId }, { boundTo: generation })
    },
  }

  constructor(options: TokenHostOptions = {}) {
    this.signTimeoutMs = options.signTimeoutMs ?? 30_000
    this.timeoutMs = options.timeoutMs ?? 60_000
  }

  /** The module's slots and their tokens, with the PIN flags (count low, final try, locked). */
  listSlots(modulePath: string): Promise<SlotDescription[]> {
    return this.call('listSlots', { modulePath })
  }

  /** The X.509 certificates on a token; with a PIN, after a login (some tokens hide objects until then). */
  async listCertificates(
    modulePath: string,
    token: TokenSelector,
    options: { pin?: string; confirmFinalTry?: boolean } = {},
  ): Promise<CertificateOnToken[]> {
    const pin = options.pin === undefined ? null : pinBytes(options.pin)
    const args = { modulePath, token, pin, confirmFinalTry: options.confirmFinalTry ?? false }
    const found = await this.call('listCertificates', args, pin ? [pin.buffer as ArrayBuffer] : [])
    return found.map((certificate) => ({ ...certificate, der: Buffer.from(certificate.der) }))
  }

  /**
   * Logs in and finds the signing key of the certificate: exactly one private key with its CKA_ID.
   * Refuses without a login on a locked PIN, and on the final try unless `confirmFinalTry`.
   */
  async openSigner(options: OpenSignerOptions): Promise<TokenSigner> {
    const pin = pinBytes(options.pin)
    const args = {
      modulePath: options.modulePath,
      token: options.token,
      certificateFingerprint: options.certificateFingerprint,
      pin,
      confirmFinalTry: options.confirmFinalTry ?? false,
    }
    const { value, generation } = await this.request('openSigner', args, { transfer: [pin.buffer as ArrayBuffer] })
    return new TokenSigner(this.channel, value, generation)
  }

  /** C_Finalize + C_Initialize of one module, once the key is back after TOKEN_UNAVAILABLE; its signers are dropped. */
  async reinitialize(modulePath: string): Promise<void> {
    await this.call('reinitialize', { modulePath })
  }

  /** One operation of the worker, as is: for provision.ts. */
  async call<Op extends TokenOperation>(
    op: Op,
    args: TokenOperations[Op]['args'],
    transfer: ArrayBuffer[] = [],
  ): Promise<TokenOperations[Op]['result']> {
    return (await this.request(op, args, { transfer })).value
  }

  /** Finalises every module and stops the worker; later calls reject. */
  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    process.off('exit', this.exitHook)
    for (const call of this.queue.splice(0)) call.reject(new AppError('INVALID_STATE', '印章密钥服务已关闭'))
    const running = this.running
    if (!running) return
    const finalized = await new Promise<boolean>((resolve) => {
      const request: TokenRequest = { id: this.nextId++, op: 'finalize', args: {} }
      this.post(running, {
        request,
        transfer: [],
        timeoutMs: CLOSE_TIMEOUT_MS,
        boundTo: null,
        resolve: () => resolve(true),
        reject: () => resolve(false),
      })
    })
    this.running = null
    running.worker.removeAllListeners('exit')
    // A worker that did not even finalise is stuck in native code: it was terminated, do not wait for it.
    if (finalized) await running.worker.terminate()
  }

  private request<Op extends TokenOperation>(
    op: Op,
    args: TokenOperations[Op]['args'],
    options: { transfer?: ArrayBuffer[]; boundTo?: number } = {},
  ): Promise<{ value: TokenOperations[Op]['result']; generation: number }> {
    if (this.closed) return Promise.reject(new AppError('INVALID_STATE', '印章密钥服务已关闭'))
    return new Promise((resolve, reject) => {
      const request = { id: this.nextId++, op, args } as TokenRequest
      const timeoutMs = op === 'sign' ? this.signTimeoutMs : this.timeoutMs
      const call: Call = {
        request,
        transfer: options.transfer ?? [],
        timeoutMs,
        boundTo: options.boundTo ?? null,
        reject,
        resolve: resolve as Call['resolve'],
      }
      this.queue.push(call)
      this.dispatch()
    })
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      const call = this.queue[0]
      if (call.boundTo !== null && call.boundTo !== this.running?.generation) {
        this.queue.shift()
        call.reject(
          new AppError('TOKEN_UNAVAILABLE', `${ERROR_CODES.TOKEN_UNAVAILABLE}（密钥服务已重启，签名会话已失效，请重新打开印章密钥）`),
        )
        continue
      }
      const running = this.running ?? this.start()
      if (running.inFlight.size >= PIPELINE_DEPTH) return
      this.queue.shift()
      this.post(running, call)
    }
  }

  private post(running: Running, call: Call): void {
    const request = call.request!
    call.request = null
    running.inFlight.set(request.id, call)
    call.timer = setTimeout(() => this.timedOut(running, request.op, call.timeoutMs), call.timeoutMs)
    running.worker.ref()
    running.worker.postMessage(request, call.transfer)
  }

  private start(): Running {
    const script = workerScript(__dirname, 'token-worker')
    const finalized = new Int32Array(new SharedArrayBuffer(4))
    const workerData: TokenWorkerData = { finalized: finalized.buffer as SharedArrayBuffer }
    const worker = new Worker(script.file, { eval: script.eval, workerData })
    const running: Running = { worker, generation: ++this.generation, inFlight: new Map(), finalized }
    worker.on('message', (reply: TokenReply) => this.settle(running, reply))
    worker.on('error', (error) => this.abandon(running, new AppError('INTERNAL', `印章密钥服务出错：${error.message}`)))
    worker.on('exit', () => this.abandon(running, new AppError('INTERNAL', '印章密钥服务意外退出')))
    worker.unref()
    if (this.generation === 1) process.on('exit', this.exitHook)
    this.running = running
    return running
  }

  private settle(running: Running, reply: TokenReply): void {
    const call = running.inFlight.get(reply.id)
    if (!call) return
    running.inFlight.delete(reply.id)
    clearTimeout(call.timer)
    if (running.inFlight.size === 0) running.worker.unref()
    if (reply.ok) call.resolve({ value: reply.value, generation: running.generation })
    else call.reject(new AppError(reply.error.code, reply.error.message))
    this.dispatch()
  }

  private timedOut(running: Running, op: TokenOperation, timeoutMs: number): void {
    const message = `${ERROR_CODES.TOKEN_TIMEOUT}（${OPERATION_NAMES[op]}超过 ${timeoutMs / 1000} 秒没有响应）`
    this.abandon(running, new AppError('TOKEN_TIMEOUT', message))
  }

  /** Gives up on a worker: its calls reject with `error`, its signers are lost, the next call starts a new one. */
  private abandon(running: Running, error: AppError): void {
    if (this.running === running) this.running = null
    const calls = [...running.inFlight.values()]
    running.inFlight.clear()
    for (const call of calls) {
      clearTimeout(call.timer)
      call.reject(error)
    }
    running.worker.removeAllListeners('message').removeAllListeners('exit')
    // A thread stuck in native code stops only when the call returns; until then it must not keep the process alive.
    running.worker.unref()
    void running.worker.terminate().catch(() => undefined)
    this.dispatch()
  }

  /** 'exit' listeners must be synchronous: ask the worker to C_Finalize and wait for it, briefly. */
  private finalizeAtExit(): void {
    const running = this.running
    if (!running) return
    const request: TokenRequest = { id: 0, op: 'finalize', args: {} }
    running.worker.postMessage(request)
    Atomics.wait(running.finalized, 0, 0, EXIT_WAIT_MS)
  }
}
