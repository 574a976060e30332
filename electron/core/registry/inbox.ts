import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Knex } from 'knex'
import type { Family } from '../../contract/roles'
import type { ImportService } from '../applications/import/import-service'
import { writeTransaction } from '../db/transaction'
import { AppError } from '../util/app-error'
import { isoNow, type Clock } from '../util/clock'
import { decisionEvent, enqueue } from './outbox'
import { RegistryUnreachable, type RegistryClient } from './registry-client'

/** An application submitted on the online platform, as GET /v1/applications lists it. */
interface PulledApplication {
  id: string
  organisationCode: string
  family: Family
  submittedAt: string
  workbookSha256: string
  workbookName?: string
  photosSha256?: string | null
  noticeSha256?: string | null
}

export interface PullReport {
  taken: number
  refused: number
}

const CURSOR = 'registry.applications'
const PAGE = 20

/**
 * The inbox (registry/openapi.yaml, applications): each application submitted on the online
 * platform becomes an application batch through the same import as a workbook — same checks,
 * same review — exactly once: the inbox row that records it commits with the batch, and the
 * cursor moves only after a whole page was taken.
 */
export class InboxPuller {
  constructor(
    private readonly db: Knex,
    private readonly imports: ImportService,
    private readonly client: RegistryClient,
    private readonly clock: Clock,
  ) {}

  async pull(): Promise<PullReport> {
    const report: PullReport = { taken: 0, refused: 0 }
    const stored = (await this.db('sync_cursors').where({ name: CURSOR }).first('cursor')) as { cursor: string } | undefined
    let cursor = stored?.cursor
    for (;;) {
      const query = `?limit=${PAGE}${cursor ? `&after=${encodeURIComponent(cursor)}` : ''}`
      const response = await this.client.request('GET', `/v1/applications${query}`)
      if (response.status !== 200) throw new RegistryUnreachable(`电子证照库不提供申请列表（HTTP ${response.status}）`)
      const page = response.json as { items: PulledApplication[]; next: string | null }
      for (const item of page.items) await this.take(item, report)
      if (!page.next) return report
      cursor = page.next
      await this.saveCursor(cursor)
      if (page.items.length < PAGE) return report
    }
  }

  private async take(item: PulledApplication, report: PullReport): Promise<void> {
    if (await this.db('inbox').where({ external_id: item.id }).first('id')) return
    const dir = await mkdtemp(join(tmpdir(), 'certdesk-inbox-'))
    try {
      const file = async (hash: string | null | undefined, name: string) => (hash ? this.download(hash, join(dir, name)) : null)
      const workbookPath = (await file(item.workbookSha256, 'workbook.xlsx'))!
      const photosPath = await file(item.photosSha256, 'photos.zip')
      const noticePath = await file(item.noticeSha256, 'notice.pdf')
      const request = {
        family: item.family,
        organisationCode: item.organisationCode,
        workbookPath,
        photosPath,
        noticePath,
        source: 'registry' as const,
      }
      await this.imports.importPulled({ ...request, fileName: item.workbookName ?? `${item.id}.xlsx` }, (trx, batchId) =>
        this.record(trx, item, batchId),
      )
      report.taken += 1
    } catch (error) {
      if (!(error instanceof AppError)) throw error
      await this.refuse(item, error.message)
      report.refused += 1
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  }

  private async download(hash: string, path: string): Promise<string> {
    const response = await this.client.request('GET', `/v1/files/${hash}`)
    if (response.status !== 200) throw new RegistryUnreachable(`电子证照库不提供文件 ${hash.slice(0, 12)}…（HTTP ${response.status}）`)
    await writeFile(path, response.body)
    return path
  }

  private async record(trx: Knex.Transaction, item: PulledApplication, batchId: number | null): Promise<void> {
    if (batchId !== null) await trx('application_batches').where({ id: batchId }).update({ external_ref: item.id })
    await trx('inbox').insert({ external_id: item.id, kind: 'application', batch_id: batchId, received_at: isoNow(this.clock) })
  }

  /** An application that cannot become a batch (no such organisation, not a workbook…): taken, and returned with the reason. */
  private async refuse(item: PulledApplication, reason: string): Promise<void> {
    const now = isoNow(this.clock)
    await writeTransaction(this.db, async (trx) => {
      await this.record(trx, item, null)
      const decision = decisionEvent({
        applicationId: item.id,
        decision: 'returned',
        reason,
        firstNumber: null,
        lastNumber: null,
        decidedAt: now,
      })
      await enqueue(trx, [decision], now)
    })
  }

  private async saveCursor(cursor: string): Promise<void> {
    const now = isoNow(this.clock)
    await this.db('sync_cursors').insert({ name: CURSOR, cursor, updated_at: now }).onConflict('name').merge()
  }
}
