import type { Knex } from 'knex'

/**
 * Minimal valid rows for the tables the migrations create, so a migration test can insert a
 * good row and then show that a bad one is refused. Each builder inserts what it references.
 */
export class SchemaRows {
  private counter = 0
  constructor(private readonly db: Knex) {}

  private next(): number {
    this.counter += 1
    return this.counter
  }

  private async insert(table: string, row: Record<string, unknown>): Promise<number> {
    const [inserted] = (await this.db(table).insert(row).returning('id')) as Array<{ id: number } | number>
    return typeof inserted === 'number' ? inserted : inserted.id
  }

  readonly now = '2026-11-28T08:00:00.000Z'

  organisation(fields: Record<string, unknown> = {}): Promise<number> {
    const n = this.next()
    return this.insert('organisations', { name: `机构${n}`, kind: 'review_body', created_at: this.now, updated_at: this.now, ...fields })
  }

  async user(fields: Record<string, unknown> = {}): Promise<number> {
    const n = this.next()
    const organisationId = fields.organisation_id ?? (await this.organisation())
    return this.insert('users', {
      username: `user${n}`,
      display_name: `用户${n}`,
      password_hash: 'scrypt$1$1$1$x$y',
      organisation_id: organisationId,
      created_at: this.now,
      updated_at: this.now,
      ...fields,
    })
  }

  async file(): Promise<string> {
    const hash = String(this.next()).padStart(64, 'f')
    await this.db('files').insert({ hash, size: 1, media_type: 'image/jpeg', path: `files/${hash}`, created_at: this.now })
    return hash
  }

  async batch(fields: Record<string, unknown> = {}): Promise<number> {
    return this.insert('application_batches', {
      organisation_id: fields.organisation_id ?? (await this.organisation()),
      family: 'title',
      state: 'draft',
      source: 'import',
      created_at: this.now,
      updated_at: this.now,
      ...fields,
    })
  }

  async applicant(fields: Record<string, unknown> = {}): Promise<number> {
    return this.insert('applicants', {
      batch_id: fields.batch_id ?? (await this.batch()),
      row_number: this.next(),
      name: '张三',
      id_type: 'resident_id',
      id_number: '310101199001011234',
      fields: '{}',
      ...fields,
    })
  }

  async certificate(fields: Record<string, unknown> = {}): Promise<number> {
    return this.insert('certificates', {
      number: `2026WSHL${String(this.next()).padStart(6, '0')}`,
      family: 'title',
      status: 'issued',
      organisation_id: fields.organisation_id ?? (await this.organisation()),
      holder_name: '张三',
      holder_id_number: '310101199001011234',
      created_at: this.now,
      updated_at: this.now,
      ...fields,
    })
  }

  async version(fields: Record<string, unknown> = {}): Promise<number> {
    return this.insert('certificate_versions', {
      certificate_id: fields.certificate_id ?? (await this.certificate()),
      version: 1,
      status: 'issued',
      fields: '{}',
      created_at: this.now,
      ...fields,
    })
  }

  async seal(fields: Record<string, unknown> = {}): Promise<number> {
    return this.insert('seals', {
      organisation_id: fields.organisation_id ?? (await this.organisation()),
      name: '职称评审专用章',
      purpose: 'title',
      certificate_fingerprint: String(this.next()).padStart(64, 'a'),
      certificate_pem: '-----BEGIN CERTIFICATE-----',
      applies_to: '[]',
      created_at: this.now,
      updated_at: this.now,
      ...fields,
    })
  }

  async signingJob(fields: Record<string, unknown> = {}): Promise<number> {
    return this.insert('signing_jobs', {
      batch_id: fields.batch_id ?? (await this.batch()),
      seal_id: fields.seal_id ?? (await this.seal()),
      state: 'pending',
      created_by: fields.created_by ?? (await this.user()),
      created_at: this.now,
      updated_at: this.now,
      ...fields,
    })
  }

  async correctionRequest(fields: Record<string, unknown> = {}): Promise<number> {
    return this.insert('correction_requests', {
      organisation_id: fields.organisation_id ?? (await this.organisation()),
      state: 'submitted',
      submitted_by: fields.submitted_by ?? (await this.user()),
      submitted_at: this.now,
      ...fields,
    })
  }
}
