import type { Knex } from 'knex'
import { sha256Hex } from '../electron/core/util/canonical'
import type { Caller } from './clients'
import { RegistryError } from './errors'
import type { RegistryFiles } from './files'
import type { z } from 'zod'
import type { AdminApplicationSchema } from './schemas'

/** An application as GET /v1/applications lists it (components/schemas/Application). */
export interface Application {
  id: string
  organisationCode: string
  family: string
  submittedAt: string
  workbookSha256: string
  workbookName: string
  photosSha256: string | null
  noticeSha256: string | null
}

interface ApplicationRow {
  sequence: number
  id: string
  organisation_code: string
  family: string
  submitted_at: string
  workbook_sha256: string
  workbook_name: string
  photos_sha256: string | null
  notice_sha256: string | null
}

function toApplication(row: ApplicationRow): Application {
  return {
    id: row.id,
    organisationCode: row.organisation_code,
    family: row.family,
    submittedAt: row.submitted_at,
    workbookSha256: row.workbook_sha256,
    workbookName: row.workbook_name,
    photosSha256: row.photos_sha256,
    noticeSha256: row.notice_sha256,
  }
}

/** Parses the query of GET /v1/applications: `after` a sequence, `limit` 1–100 (default 20). */
export function pageQuery(query: URLSearchParams): { after: number; limit: number } {
  const after = query.get('after')
  const limit = query.get('limit')
  if (after !== null && !/^\d{1,15}$/.test(after)) throw new RegistryError('bad_request', 'after 必须是上一页返回的 next')
  if (limit !== null && (!/^\d{1,3}$/.test(limit) || Number(limit) < 1 || Number(limit) > 100)) {
    throw new RegistryError('bad_request', 'limit 必须是 1 到 100 之间的整数')
  }
  return { after: after === null ? 0 : Number(after), limit: limit === null ? 20 : Number(limit) }
}

/** The caller's organisations' applications after the cursor, in submission order; `next` is the last one's sequence. */
export async function listApplications(
  db: Knex,
  caller: Caller,
  after: number,
  limit: number,
): Promise<{ items: Application[]; next: string | null }> {
  const query = db('applications').where('sequence', '>', after).orderBy('sequence').limit(limit)
  if (caller.organisationCode !== '*') query.where({ organisation_code: caller.organisationCode })
  const rows = (await query.select()) as ApplicationRow[]
  return { items: rows.map(toApplication), next: rows.length > 0 ? String(rows[rows.length - 1].sequence) : null }
}

/** Seeds an online-platform submission (admin): its files stored by hash, then the row with the next sequence. */
export async function seedApplication(
  db: Knex,
  files: RegistryFiles,
  input: z.infer<typeof AdminApplicationSchema>,
  now: Date,
): Promise<Application & { sequence: number }> {
  if (await db('applications').where({ id: input.id }).first('id')) throw new RegistryError('invalid', `申请 ${input.id} 已存在`, 409)
  const store = async (base64: string | null | undefined): Promise<string | null> => {
    if (!base64) return null
    const bytes = Buffer.from(base64, 'base64')
    const sha256 = sha256Hex(bytes)
    await files.put(sha256, bytes, null, now)
    return sha256
  }
  const row = {
    id: input.id,
    organisation_code: input.organisationCode,
    family: input.family,
    submitted_at: input.submittedAt ?? now.toISOString(),
    workbook_sha256: (await store(input.workbook)) as string,
    workbook_name: input.workbookName,
    photos_sha256: await store(input.photosZip),
    notice_sha256: await store(input.notice),
    created_at: now.toISOString(),
  }
  const [sequence] = (await db('applications').insert(row).returning('sequence')) as Array<{ sequence: number } | number>
  return { ...toApplication({ ...row, sequence: 0 }), sequence: typeof sequence === 'number' ? sequence : sequence.sequence }
}

/** An application with its decisions, as stored (admin). */
export async function applicationDetail(db: Knex, id: string): Promise<Record<string, unknown> | null> {
  const row = (await db('applications').where({ id }).first()) as ApplicationRow | undefined
  if (!row) return null
  const decisions = (await db('decisions').where({ application_id: id }).orderBy('id')) as Array<Record<string, string | number | null>>
  return {
    ...toApplication(row),
    sequence: row.sequence,
    decisions: decisions.map((decision) => ({
      decision: decision.decision,
      reason: decision.reason,
      firstNumber: decision.first_number,
      lastNumber: decision.last_number,
      decidedAt: decision.decided_at,
      arrivalSequence: Number(decision.arrival_sequence),
      clientId: decision.client_id,
      acceptedAt: decision.accepted_at,
    })),
  }
}
