import type { Knex } from 'knex'
import type { IntegrityEvidence, IntegrityKind, IntegrityRecord } from '../../contract/integrity'
import type { Actor } from '../users/access'
import { scopeToOrganisation, seesWholeCity } from '../users/scope'

type Db = Knex | Knex.Transaction

interface RecordRow {
  id: number
  kind: IntegrityKind
  certificate_id: number | null
  certificate_number: string | null
  subject_id_number: string
  subject_name: string
  found_on: string
  description: string
  organisation_name: string
  recorded_by_name: string
  recorded_at: string
}

interface EvidenceRow {
  id: number
  record_id: number
  file_name: string
  file_hash: string
  media_type: string
  size: number | string
}

/**
 * Keeps the records the actor may see: the whole city's for the bureau, the institute and
 * admins; otherwise those recorded within the actor's reach, and every record about a person
 * who holds a certificate within it (the desk that sees the certificate sees its holder's file).
 */
export function visibleRecords(db: Db, query: Knex.QueryBuilder, actor: Actor): Knex.QueryBuilder {
  if (seesWholeCity(actor)) return query
  const held = scopeToOrganisation(
    db,
    db('certificates as held').select(db.raw('1')).whereRaw('held.holder_id_number = i.subject_id_number'),
    actor,
    'held.organisation_id',
  )
  return query.where((where) => {
    where.where((own) => void scopeToOrganisation(db, own, actor, 'i.organisation_id')).orWhereExists(held)
  })
}

function recordQuery(db: Db): Knex.QueryBuilder {
  return db('integrity_records as i')
    .leftJoin('certificates as c', 'c.id', 'i.certificate_id')
    .join('organisations as o', 'o.id', 'i.organisation_id')
    .join('users as u', 'u.id', 'i.recorded_by')
    .select(
      'i.id',
      'i.kind',
      'i.certificate_id',
      'c.number as certificate_number',
      'i.subject_id_number',
      'i.subject_name',
      'i.found_on',
      'i.description',
      'o.name as organisation_name',
      'u.display_name as recorded_by_name',
      'i.recorded_at',
    )
    .orderBy([
      { column: 'i.recorded_at', order: 'desc' },
      { column: 'i.id', order: 'desc' },
    ])
}

async function withEvidence(db: Db, rows: RecordRow[]): Promise<IntegrityRecord[]> {
  const ids = rows.map((row) => Number(row.id))
  const evidence = ids.length
    ? ((await db('integrity_evidence as e')
        .join('files as f', 'f.hash', 'e.file_hash')
        .whereIn('e.record_id', ids)
        .orderBy('e.id')
        .select('e.id', 'e.record_id', 'e.file_name', 'e.file_hash', 'f.media_type', 'f.size')) as EvidenceRow[])
    : []
  const byRecord = new Map<number, IntegrityEvidence[]>()
  for (const row of evidence) {
    const list = byRecord.get(Number(row.record_id)) ?? []
    list.push({ id: Number(row.id), fileName: row.file_name, mediaType: row.media_type, size: Number(row.size), sha256: row.file_hash })
    byRecord.set(Number(row.record_id), list)
  }
  return rows.map((row) => ({
    id: Number(row.id),
    kind: row.kind,
    subject: row.certificate_id === null ? 'person' : 'certificate',
    certificateNumber: row.certificate_number,
    subjectName: row.subject_name,
    subjectIdNumber: row.subject_id_number,
    foundOn: row.found_on,
    description: row.description,
    evidence: byRecord.get(Number(row.id)) ?? [],
    organisationName: row.organisation_name,
    recordedByName: row.recorded_by_name,
    recordedAt: row.recorded_at,
  }))
}

/** The records about a person (by ID number, and name when given) that the actor may see, newest first. */
export async function recordsAbout(db: Db, actor: Actor, person: { idNumber: string; name?: string }): Promise<IntegrityRecord[]> {
  const query = recordQuery(db).where('i.subject_id_number', person.idNumber)
  if (person.name) query.where('i.subject_name', person.name)
  return withEvidence(db, (await visibleRecords(db, query, actor)) as RecordRow[])
}

/** One record by id, if the actor may see it. */
export async function visibleRecord(db: Db, actor: Actor, id: number): Promise<IntegrityRecord | null> {
  const rows = (await visibleRecords(db, recordQuery(db).where('i.id', id), actor)) as RecordRow[]
  return rows.length ? (await withEvidence(db, rows))[0] : null
}

/** An evidence file's record id, name and hash, if the actor may see the record. */
export async function visibleEvidence(
  db: Db,
  actor: Actor,
  id: number,
): Promise<{ recordId: number; fileName: string; hash: string } | null> {
  const query = db('integrity_evidence as e')
    .join('integrity_records as i', 'i.id', 'e.record_id')
    .where('e.id', id)
    .first('e.record_id', 'e.file_name', 'e.file_hash')
  const row = (await visibleRecords(db, query, actor)) as { record_id: number; file_name: string; file_hash: string } | undefined
  return row ? { recordId: Number(row.record_id), fileName: row.file_name, hash: row.file_hash } : null
}
