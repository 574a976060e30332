import type { Core } from '../electron/core/app'
import { seedDemo } from '../db/seeds/demo'

/** Applying organisations added to the demo's three, so the million certificates spread like a city's. */
const EXTRA_BODIES = 21
const PARENTS = ['上海市卫生健康委员会', '上海市浦东新区人力资源和社会保障局', '上海市住房和城乡建设管理委员会']

export interface RegisterFixture {
  count: number
  /** Certificate numbers and ID numbers spread over the whole table, to look up. */
  numbers: string[]
  idNumbers: string[]
  /** An applying organisation with its family and a level it holds, for the filtered page. */
  organisationId: number
  family: 'title' | 'vocational'
  level: string
}

/** The ids of every applying organisation, in slot order, with their family (review bodies make titles). */
async function applyingOrganisations(core: Core): Promise<Array<{ id: number; family: 'title' | 'vocational' }>> {
  const now = '2026-11-28T08:00:00.000Z'
  const parents = (await core.db('organisations').whereIn('name', PARENTS).orderBy('id').pluck('id')) as number[]
  for (let index = 0; index < EXTRA_BODIES; index += 1) {
    const vocational = index % 3 === 2
    await core.db('organisations').insert({
      name: `基准测试${vocational ? '考试机构' : '评审委员会'}${index + 1}`,
      kind: vocational ? 'exam_institution' : 'review_body',
      code: `BM${String(index + 1).padStart(2, '0')}`,
      parent_id: parents[index % parents.length],
      active: true,
      created_at: now,
      updated_at: now,
    })
  }
  const rows = (await core
    .db('organisations')
    .whereIn('kind', ['review_body', 'exam_institution'])
    .orderBy('id')
    .select('id', 'kind')) as Array<{
    id: number
    kind: string
  }>
  return rows.map((row) => ({ id: Number(row.id), family: row.kind === 'review_body' ? 'title' : 'vocational' }))
}

/**
 * Seeds the demo (organisations and accounts, password Bench-pass-2026), then writes `count`
 * certificates with one version each inside SQLite (a recursive CTE: no row passes through
 * JavaScript), spread over 24 applying organisations and issue dates from 2010 to 2026: nine in
 * ten active, some pending, revoked or legacy, one holder in ten with a second certificate.
 */
export async function fillRegister(core: Core, count: number): Promise<RegisterFixture> {
  await seedDemo(core, () => 'Bench-pass-2026')
  const organisations = await applyingOrganisations(core)
  const slots = organisations.map(
    (organisation, slot) => `select ${slot} as slot, ${organisation.id} as id, '${organisation.family}' as family`,
  )
  const first = Number(((await core.db('certificates').max({ id: 'id' }).first()) as { id: number | null }).id ?? 0)
  await core.db.raw(
    `insert into certificates (number, family, level, status, organisation_id, holder_name, holder_id_number, legacy,
       current_version, issued_at, created_at, updated_at)
     with recursive n(i) as (select 0 union all select i + 1 from n where i < :last),
       o(slot, id, family) as (${slots.join(' union all ')})
     select printf('%04dBN%02d%08d', 2010 + (i * 17 / :count), o.slot, i), o.family,
       case when o.family = 'title' then (case (i / 24) % 4 when 0 then 'senior_full' when 1 then 'senior' when 2 then 'intermediate' else 'primary' end)
            else (case (i / 24) % 2 when 0 then '一级' else '二级' end) end,
       case when i % 101 = 0 then 'revoked' when i % 53 = 0 then 'pending' else 'active' end,
       o.id, '持证人' || (i % 300000), printf('3101%08d%06d', 19500101 + (i % 900000) % 500000, (i % 900000)),
       case when i * 17 / :count < 9 and i % 7 = 0 then 1 else 0 end, 1,
       case when i % 53 = 0 and i % 101 <> 0 then null
            else strftime('%Y-%m-%dT%H:%M:%fZ', 1262304000 + i * (536000000 / :count), 'unixepoch') end,
       :now, :now
     from n join o on o.slot = n.i % :slots`,
    { last: count - 1, count, slots: organisations.length, now: '2026-11-28T08:00:00.000Z' },
  )
  await core.db.raw(
    `insert into certificate_versions (certificate_id, version, status, fields, created_at, issued_at)
     select id, 1, case status when 'revoked' then 'active' else status end,
       json_object('name', holder_name, 'idNumber', holder_id_number, 'level', level), created_at, issued_at
     from certificates where id > ?`,
    [first],
  )
  // Numbers and ID numbers from different rows: looking one up must not find its row already read by the other.
  const step = Math.max(2, Math.floor(count / 1000))
  const sample = async (column: string, offset: number) =>
    (await core.db.raw(`select ${column} as value from certificates where id > ? and id % ? = ? limit 1000`, [
      first,
      step,
      offset,
    ])) as Array<{ value: string }>
  const target = organisations[4]
  return {
    count,
    numbers: (await sample('number', 0)).map((row) => row.value),
    idNumbers: (await sample('holder_id_number', Math.floor(step / 2))).map((row) => row.value),
    organisationId: target.id,
    family: target.family,
    level: target.family === 'title' ? 'senior' : '一级',
  }
}
