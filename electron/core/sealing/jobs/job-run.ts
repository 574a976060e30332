import type { Knex } from 'knex'
import type { JobState } from '../../../contract/sealing'
import type { AuditActor, AuditLog } from '../../audit/audit-log'
import type { DocumentTasks } from '../../certificates/document-task'
import type { DocumentPool } from '../../documents/pool'
import type { FileStore } from '../../files/file-store'
import type { SealRecord } from '../../seals/seal-records'
import { AppError } from '../../util/app-error'
import { isoNow, type Clock } from '../../util/clock'
import type { SealLookup } from '../../verification/pdf-verifier'
import { isTokenFault } from '../pkcs11/errors'
import type { TokenSelector } from '../pkcs11/protocol'
import type { TokenHost } from '../pkcs11/token-host'
import type { TokenSigner } from '../pkcs11/token-signer'
import { assertSealed, sealDocument } from '../seal-document'
import { JobJournal, type JournalEntry } from './job-journal'
import { pendingItems, type PendingItem } from './job-store'
import { RateMeter } from './rate-meter'

export interface RunDeps {
  db: Knex
  files: FileStore
  audit: AuditLog
  clock: Clock
  tokens: TokenHost
  pool(): DocumentPool
  tasks(): DocumentTasks
  sealLookup(): Promise<SealLookup>
}

export interface TokenTarget {
  modulePath: string
  token: TokenSelector
}

/** A state change of a run, for the service to persist and audit. */
export interface RunChange {
  state: JobState
  reason: string | null
  error: string | null
}

/** Items worked on at once: enough that rendering runs ahead while the token signs. */
const LANES = 16
/** How often a job waiting for its key looks for it again. */
const WATCH_MS = 1500

type Stop = 'pause' | 'cancel' | 'fault' | 'signer' | 'error'

/** An error of the signing step that is the token's, not the document's. */
class SignerFailure extends Error {
  constructor(readonly original: unknown) {
    super(original instanceof Error ? original.message : String(original))
  }
}

/**
 * One signing job while the app has it open: a logged-in key and the lanes that render, sign,
 * verify and journal its certificates. Rendering (worker threads) and signing (the token
 * worker) overlap, so a slow key is never left idle. A key pulled out pauses the run and a
 * watcher waits for it; the PIN is asked for again once it is back.
 */
export class JobRun {
  state: JobState = 'paused'
  reason: string | null = null
  lastError: string | null = null
  private signer: TokenSigner | null = null
  private stop: Stop | null = null
  private finished: Promise<void> = Promise.resolve()
  private watchTimer: NodeJS.Timeout | null = null
  private meter = new RateMeter()
  private remaining = 0

  constructor(
    private readonly deps: RunDeps,
    readonly jobId: number,
    readonly seal: SealRecord,
    private readonly actor: AuditActor,
    readonly target: TokenTarget,
    private readonly timestampUrl: string | null,
    private readonly onChange: (change: RunChange) => Promise<void>,
  ) {}

  get needsPin(): boolean {
    return this.signer === null && (this.state === 'paused' || this.state === 'waiting_pin')
  }

  get signerOpen(): boolean {
    return this.signer !== null
  }

  /** Certificates per second and seconds left, while running. */
  progress(): { rate: number | null; etaSeconds: number | null } {
    if (this.state !== 'running') return { rate: null, etaSeconds: null }
    const rate = this.meter.rate()
    return { rate, etaSeconds: rate && rate > 0 ? Math.ceil(this.remaining / rate) : null }
  }

  /** One C_Login for the batch. The PIN goes to the token worker and is not kept here. */
  async login(pin: string, confirmFinalTry: boolean): Promise<void> {
    this.signer = await this.deps.tokens.openSigner({
      modulePath: this.target.modulePath,
      token: this.target.token,
      certificateFingerprint: this.seal.certificate.fingerprint,
      pin,
      confirmFinalTry,
    })
  }

  /** Starts (or continues) signing; resolves once the run is under way. */
  async begin(): Promise<void> {
    if (!this.signer) throw new AppError('INVALID_STATE', '请先输入 PIN 码')
    this.stop = null
    this.lastError = null
    this.meter = new RateMeter()
    await this.setState('running', null)
    this.finished = this.loop()
  }

  /** Pause: the items in hand are finished and journaled, the key stays logged in. */
  async pause(reason: string): Promise<void> {
    if (this.state !== 'running') return
    this.stop ??= 'pause'
    this.reason = reason
    await this.finished
  }

  async cancel(): Promise<void> {
    if (this.state === 'running') {
      this.stop ??= 'cancel'
      await this.finished
    }
    if (this.state !== 'cancelled') await this.end('cancelled', '已取消')
  }

  /** Waits for the current run to settle (tests and shutdown). */
  settled(): Promise<void> {
    return this.finished
  }

  /** Stops everything without a state change (the app is closing): the job resumes at the next start. */
  async shutdown(): Promise<void> {
    if (this.state === 'running') {
      this.stop ??= 'pause'
      this.reason = '应用已关闭'
      await this.finished
    }
    this.stopWatching()
    await this.closeSigner()
  }

  private async loop(): Promise<void> {
    const journal = new JobJournal(
      this.deps,
      { id: this.jobId, sealId: this.seal.id, sealName: this.seal.name, actor: this.actor },
      (entries) => this.committed(entries),
    )
    try {
      const items = await pendingItems(this.deps.db, this.jobId)
      this.remaining = items.length
      const lookup = await this.deps.sealLookup()
      const tasks = this.deps.tasks()
      let next = 0
      const lane = async () => {
        while (this.stop === null && next < items.length) await this.process(items[next++], journal, tasks, lookup)
      }
      await Promise.all(Array.from({ length: LANES }, lane))
      await journal.flush()
    } catch (error) {
      this.lastError = error instanceof Error ? error.message : String(error)
      this.stop ??= 'error'
      await journal.flush().catch(() => undefined)
    }
    await this.settle()
  }

  private async process(item: PendingItem, journal: JobJournal, tasks: DocumentTasks, lookup: SealLookup): Promise<void> {
    let bytes: Uint8Array
    try {
      bytes = item.input ? await this.deps.files.readKnown(item.input.hash, item.input) : await this.render(item, tasks)
    } catch (error) {
      return journal.add({ kind: 'failed', item, error: messageOf(error) })
    }
    const rendered = item.input === null
    if (this.stop !== null) return rendered ? journal.add({ kind: 'rendered', item, bytes }) : undefined
    try {
      const signingTime = this.deps.clock.now()
      const signer = { sign: (data: Buffer) => this.signer!.sign(data).catch((error: unknown) => Promise.reject(new SignerFailure(error))) }
      const sealed = await sealDocument({ bytes, slot: item.slot, seal: this.seal, signer, signingTime, timestampUrl: this.timestampUrl })
      assertSealed(sealed, item.slot, this.seal, lookup)
      const required = (await tasks.sealPlan(item.row)).map((plan) => plan.slot)
      const issued = required.every((slot) => slot === item.slot || item.signedSlots.includes(slot))
      await journal.add({ kind: 'sealed', item, bytes: sealed, issued, signedAt: signingTime.toISOString() })
    } catch (error) {
      if (error instanceof SignerFailure || (error instanceof AppError && error.code === 'TIMESTAMP_FAILED')) {
        this.failSigner(error)
        if (rendered) await journal.add({ kind: 'rendered', item, bytes })
        return
      }
      await journal.add({ kind: 'failed', item, error: messageOf(error) })
    }
  }

  private async render(item: PendingItem, tasks: DocumentTasks): Promise<Uint8Array> {
    const photo = item.photo
      ? { bytes: await this.deps.files.readKnown(item.photo.hash, item.photo), mediaType: item.photo.media_type }
      : undefined
    return this.deps.pool().render(await tasks.certificate(item.row, { preview: false, sealFields: true, photo }))
  }

  /** The first token error stops the run: a pulled key waits for the key, anything else for the user. */
  private failSigner(error: SignerFailure | AppError): void {
    if (this.stop !== null) return
    const cause = error instanceof SignerFailure ? error.original : error
    this.lastError = messageOf(cause)
    this.stop = isTokenFault(cause) ? 'fault' : error instanceof SignerFailure ? 'signer' : 'pause'
    if (this.stop === 'pause') this.reason = `时间戳服务不可用，已暂停：${this.lastError}`
  }

  private committed(entries: JournalEntry[]): void {
    this.remaining -= entries.length
    this.meter.add(entries.filter((entry) => entry.kind === 'sealed').length)
  }

  private async settle(): Promise<void> {
    const stop = this.stop
    if (stop === null) return this.end('completed', null)
    if (stop === 'cancel') return this.end('cancelled', '已取消')
    if (stop === 'pause') return this.setState('paused', this.reason ?? '已暂停')
    await this.closeSigner()
    if (stop === 'fault') {
      await this.setState('waiting_token', '印章密钥已拔出或无法访问：插回后将提示重新输入 PIN 码')
      this.watch()
      return
    }
    await this.setState('paused', stop === 'signer' ? '印章密钥签名失败，请重新输入 PIN 码继续' : '签章出错，已暂停')
  }

  private async end(state: 'completed' | 'cancelled', reason: string | null): Promise<void> {
    this.stopWatching()
    await this.closeSigner()
    await this.setState(state, reason)
  }

  private async setState(state: JobState, reason: string | null): Promise<void> {
    this.state = state
    this.reason = reason
    await this.onChange({ state, reason, error: this.lastError })
  }

  private async closeSigner(): Promise<void> {
    const signer = this.signer
    this.signer = null
    await signer?.close().catch(() => undefined)
  }

  /** Looks for the pulled key every WATCH_MS: re-initialises the module (needed after a removal) and lists its slots. */
  private watch(): void {
    const tick = async () => {
      this.watchTimer = null
      if (this.state !== 'waiting_token') return
      if (await this.tokenPresent()) {
        await this.setState('waiting_pin', '印章密钥已重新插入，请再次输入 PIN 码继续')
        return
      }
      this.watchTimer = setTimeout(tick, WATCH_MS)
      this.watchTimer.unref()
    }
    this.watchTimer = setTimeout(tick, WATCH_MS)
    this.watchTimer.unref()
  }

  private async tokenPresent(): Promise<boolean> {
    const { tokens } = this.deps
    try {
      await tokens.reinitialize(this.target.modulePath)
      const slots = await tokens.listSlots(this.target.modulePath)
      const wanted = this.target.token
      return slots.some((slot) => slot.token && (wanted.serial ? slot.token.serial === wanted.serial : slot.token.label === wanted.label))
    } catch {
      return false
    }
  }

  private stopWatching(): void {
    if (this.watchTimer) clearTimeout(this.watchTimer)
    this.watchTimer = null
  }

  /** The time of a state change, for callers that persist it. */
  now(): string {
    return isoNow(this.deps.clock)
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
