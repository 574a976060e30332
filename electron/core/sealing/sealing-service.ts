import type { Knex } from 'knex'
import type { JobItemInfo, SealableBatch, SigningJobInfo } from '../../contract/sealing'
import type { AuditLog } from '../audit/audit-log'
import { DocumentTasks } from '../certificates/document-task'
import { insertReturningId } from '../db/insert'
import { writeTransaction } from '../db/transaction'
import type { DocumentPool } from '../documents/pool'
import type { FileStore } from '../files/file-store'
import type { SealAppearancesService } from '../seals/seal-appearances-service'
import { findSeal, registeredSeals, sealQuery, toRecord, type SealRecord, type SealRow } from '../seals/seal-records'
import type { SettingsService } from '../settings/settings-service'
import { auditActor, requireRole, type Actor } from '../users/access'
import { AppError } from '../util/app-error'
import { isoNow, type Clock } from '../util/clock'
import { sealCertificateProblems } from './crypto/x509'
import { JobRun, type TokenTarget } from './jobs/job-run'
import { persistJobState } from './jobs/job-state'
import { jobQuery, loadJob, OPEN_JOB_STATES, SEALABLE_BATCH_STATES, toJobInfo, type JobRow } from './jobs/job-store'
import { jobItemsOf, sealableBatches } from './jobs/job-queries'
import { sealTargets, unsignedVersions, type BatchRef } from './jobs/seal-targets'
import type { TokenHost } from './pkcs11/token-host'
import type { TokensService } from './tokens-service'

export interface SealingDeps {
  db: Knex
  files: FileStore
  audit: AuditLog
  clock: Clock
  settings: SettingsService
  appearances: SealAppearancesService
  tokens: TokenHost
  tokensService: TokensService
  pool(): DocumentPool
}

export interface StartInput {
  jobId: number
  modulePath: string
  token: { serial?: string; label?: string }
  pin: string
  confirmFinalTry: boolean
  timestamp: boolean
}

/**
 * The seal-key holder's desk: which approved batches still need their seal, signing jobs, and
 * the runs that sign them. Only a sealer of the seal's organisation may sign with it.
 */
export class SealingService {
  private readonly runs = new Map<number, JobRun>()

  constructor(private readonly deps: SealingDeps) {}

  private tasks(): DocumentTasks {
    const { db, files, settings, appearances } = this.deps
    return new DocumentTasks(db, files, settings, appearances)
  }

  private async ownSeals(user: Actor): Promise<SealRecord[]> {
    const rows = (await sealQuery(this.deps.db)
      .where({ 's.organisation_id': user.organisationId, 's.active': true })
      .orderBy('s.id')) as SealRow[]
    return rows.map(toRecord)
  }

  /** Approved (or corrected issued) batches with certificates still missing one of the user's seals. */
  async batches(actor: Actor | null): Promise<SealableBatch[]> {
    const user = requireRole(actor, 'sealer')
    return sealableBatches(this.deps.db, this.tasks(), await this.ownSeals(user))
  }

  async jobs(actor: Actor | null, filter: { batchId?: number; limit: number }): Promise<SigningJobInfo[]> {
    const user = requireRole(actor, 'sealer', 'admin')
    const query = jobQuery(this.deps.db).orderBy('j.id', 'desc').limit(filter.limit)
    if (!user.roles.includes('admin')) query.where('s.organisation_id', user.organisationId)
    if (filter.batchId) query.where('j.batch_id', filter.batchId)
    return ((await query) as JobRow[]).map((row) => this.withRun(row))
  }

  async job(actor: Actor | null, jobId: number): Promise<SigningJobInfo> {
    const user = requireRole(actor, 'sealer', 'admin')
    return this.withRun(await this.visibleJob(user, jobId))
  }

  async jobItems(actor: Actor | null, jobId: number, state: 'failed' | 'pending' | 'done', limit: number): Promise<JobItemInfo[]> {
    const user = requireRole(actor, 'sealer', 'admin')
    await this.visibleJob(user, jobId)
    return jobItemsOf(this.deps.db, jobId, state, limit)
  }

  private async visibleJob(user: Actor, jobId: number): Promise<JobRow> {
    const row = await loadJob(this.deps.db, jobId)
    const seal = row ? await findSeal(this.deps.db, { id: row.seal_id }) : null
    if (!row || !seal || (!user.roles.includes('admin') && seal.organisationId !== user.organisationId)) {
      throw new AppError('NOT_FOUND', `签章任务 ${jobId} 不存在或不属于您所在机构的印章`)
    }
    return row
  }

  /** The stored job with the live run's state, rate and ETA; a job no run holds needs the PIN to go on. */
  private withRun(row: JobRow): SigningJobInfo {
    const info = toJobInfo(row)
    const run = this.runs.get(row.id)
    if (run)
      return { ...info, state: run.state, pausedReason: run.reason, lastError: run.lastError, needsPin: run.needsPin, ...run.progress() }
    if (['running', 'waiting_token', 'waiting_pin', 'paused'].includes(row.state)) {
      const restarted = row.state !== 'paused'
      return {
        ...info,
        state: 'paused',
        needsPin: true,
        pausedReason: restarted ? '应用重新启动过：请输入 PIN 码从中断处继续' : info.pausedReason,
      }
    }
    return info
  }

  /** A job for one batch and one seal, listing the certificates still missing it; an open one is reused. */
  async createJob(actor: Actor | null, batchId: number, sealId: number): Promise<SigningJobInfo> {
    const user = requireRole(actor, 'sealer')
    const seal = await this.usableSeal(user, sealId)
    const batch = (await this.deps.db('application_batches').where({ id: batchId }).first('id', 'organisation_id', 'family')) as
      BatchRef | undefined
    if (!batch) throw new AppError('NOT_FOUND', `批次 ${batchId} 不存在`)
    // Clause 3's plan reads organisations, grants and seals: worked out before the write transaction holds the connection.
    const targets = await sealTargets(this.deps.db, this.tasks(), batch, seal)
    if (targets.length === 0)
      throw new AppError('VALIDATION', `印章“${seal.name}”不适用于该批次的证书（见印章的适用范围与第三条的用印规则）`)
    const jobId = await writeTransaction(this.deps.db, async (trx) => {
      const state = (await trx('application_batches').where({ id: batchId }).first('state')) as { state: string }
      if (!SEALABLE_BATCH_STATES.includes(state.state)) throw new AppError('INVALID_STATE', '只有审核通过、已编号的批次才能签章')
      const open = (await trx('signing_jobs')
        .where({ batch_id: batchId, seal_id: sealId })
        .whereIn('state', OPEN_JOB_STATES)
        .first('id')) as { id: number } | undefined
      if (open) return open.id
      const now = isoNow(this.deps.clock)
      const id = await insertReturningId(trx, 'signing_jobs', {
        batch_id: batchId,
        seal_id: sealId,
        state: 'ready',
        created_by: user.userId,
        created_at: now,
        updated_at: now,
      })
      for (const target of targets) {
        // insert … select: a 100,000-certificate batch never travels through JavaScript.
        const select = unsignedVersions(trx, batchId, target)
          .select(
            trx.raw('? as job_id', [id]),
            'v.id',
            trx.raw("'pending'"),
            trx.raw('? as slot', [target.slot]),
            trx.raw('? as updated_at', [now]),
          )
          .toSQL()
        await trx.raw(`insert into signing_job_items (job_id, certificate_version_id, state, slot, updated_at) ${select.sql}`, [
          ...select.bindings,
        ])
      }
      const total = (await trx('signing_job_items').where({ job_id: id }).count({ n: '*' }).first()) as { n: number | string }
      if (Number(total.n) === 0) throw new AppError('INVALID_STATE', `该批次的证书都已加盖“${seal.name}”`)
      await trx('signing_jobs')
        .where({ id })
        .update({ total: Number(total.n) })
      await this.deps.audit.record(trx, auditActor(user), {
        action: 'signing_job.create',
        objectType: 'signing_job',
        objectId: id,
        details: { job: id, batch: batchId, seal: seal.name, total: Number(total.n) },
      })
      return id
    })
    return this.job(user, jobId)
  }

  /** A seal the user may sign with now: active, of their organisation, its certificate valid today. */
  private async usableSeal(user: Actor, sealId: number): Promise<SealRecord> {
    const seal = await findSeal(this.deps.db, { id: sealId })
    if (!seal || seal.organisationId !== user.organisationId) throw new AppError('NOT_FOUND', '印章不存在或不属于您所在的机构')
    if (!seal.active) throw new AppError('INVALID_STATE', `印章“${seal.name}”已停用`)
    const problems = sealCertificateProblems(seal.certificate, this.deps.clock.now())
    if (problems.length > 0) throw new AppError('SEAL_CERTIFICATE_INVALID', `印章“${seal.name}”的证书不能签章：${problems.join('；')}`)
    return seal
  }

  /** Logs in once (the only time the PIN is used) and starts signing. Nothing is signed when the login or the checks fail. */
  async start(actor: Actor | null, input: StartInput): Promise<SigningJobInfo> {
    const user = requireRole(actor, 'sealer')
    const row = await this.visibleJob(user, input.jobId)
    if (this.runs.get(row.id)?.state === 'running') throw new AppError('INVALID_STATE', '该签章任务正在进行中')
    if (!OPEN_JOB_STATES.includes(row.state)) throw new AppError('INVALID_STATE', '该签章任务已结束')
    const seal = await this.usableSeal(user, row.seal_id)
    const timestampUrl = input.timestamp ? await this.deps.settings.value('sealing.timestampUrl') : null
    if (input.timestamp && !timestampUrl) throw new AppError('VALIDATION', '尚未配置时间戳服务地址（系统设置）')
    const target = { modulePath: await this.deps.tokensService.allowedModule(input.modulePath), token: input.token }
    const run = this.newRun(user, row, seal, target, timestampUrl || null)
    await run.login(input.pin, input.confirmFinalTry)
    await this.deps
      .db('signing_jobs')
      .where({ id: row.id })
      .update({
        module_path: target.modulePath,
        token_label: input.token.label ?? null,
        token_serial: input.token.serial ?? null,
        timestamp: Boolean(timestampUrl),
      })
    await this.replaceRun(row.id, run)
    await run.begin()
    return this.job(user, row.id)
  }

  private newRun(user: Actor, row: JobRow, seal: SealRecord, target: TokenTarget, timestampUrl: string | null): JobRun {
    const { db, files, audit, clock, tokens } = this.deps
    const deps = { db, files, audit, clock, tokens, pool: this.deps.pool, tasks: () => this.tasks(), sealLookup: () => registeredSeals(db) }
    const job = { id: row.id, batchId: row.batch_id }
    return new JobRun(deps, row.id, seal, auditActor(user), target, timestampUrl, (change) =>
      persistJobState(db, audit, clock, auditActor(user), job, change),
    )
  }

  private async replaceRun(jobId: number, run: JobRun): Promise<void> {
    const previous = this.runs.get(jobId)
    this.runs.set(jobId, run)
    await previous?.shutdown()
  }

  async pause(actor: Actor | null, jobId: number): Promise<SigningJobInfo> {
    const user = requireRole(actor, 'sealer')
    await this.visibleJob(user, jobId)
    const run = this.runs.get(jobId)
    if (!run || run.state !== 'running') throw new AppError('INVALID_STATE', '该签章任务没有在进行中')
    await run.pause(`由 ${user.displayName} 暂停`)
    return this.job(user, jobId)
  }

  /** Goes on after a pause; the PIN is needed when the key was pulled out or the app restarted. */
  async resume(actor: Actor | null, input: { jobId: number; pin?: string; confirmFinalTry: boolean }): Promise<SigningJobInfo> {
    const user = requireRole(actor, 'sealer')
    const row = await this.visibleJob(user, input.jobId)
    const run = this.runs.get(row.id)
    if (run?.state === 'running') return this.job(user, row.id)
    if (run?.state === 'waiting_token') throw new AppError('TOKEN_UNAVAILABLE', '仍未检测到印章密钥，请插入后稍候')
    if (run?.signerOpen) {
      await run.begin()
      return this.job(user, row.id)
    }
    if (!input.pin) throw new AppError('VALIDATION', '请输入 PIN 码')
    if (!row.module_path) throw new AppError('INVALID_STATE', '该签章任务尚未开始，请先开始签章')
    return this.start(user, {
      jobId: row.id,
      modulePath: row.module_path,
      token: { serial: row.token_serial ?? undefined, label: row.token_label ?? undefined },
      pin: input.pin,
      confirmFinalTry: input.confirmFinalTry,
      timestamp: Boolean(row.timestamp),
    })
  }

  async cancel(actor: Actor | null, jobId: number): Promise<SigningJobInfo> {
    const user = requireRole(actor, 'sealer')
    const row = await this.visibleJob(user, jobId)
    if (!OPEN_JOB_STATES.includes(row.state)) throw new AppError('INVALID_STATE', '该签章任务已结束')
    const run = this.runs.get(jobId)
    if (run) await run.cancel()
    else {
      const { db, audit, clock } = this.deps
      await persistJobState(
        db,
        audit,
        clock,
        auditActor(user),
        { id: jobId, batchId: row.batch_id },
        { state: 'cancelled', reason: '已取消', error: null },
      )
    }
    this.runs.delete(jobId)
    return this.job(user, jobId)
  }

  /** Waits for a job's run to stop (tests, the CLI). */
  async settled(jobId: number): Promise<void> {
    await this.runs.get(jobId)?.settled()
  }

  /** Stops every run at a clean point (items in hand journaled) before the app closes. */
  async shutdown(): Promise<void> {
    await Promise.all([...this.runs.values()].map((run) => run.shutdown()))
    this.runs.clear()
  }
}
