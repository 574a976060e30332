import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Knex } from 'knex'
import type { Family, OrganisationKind, Role } from '../../electron/contract/roles'
import type { Core } from '../../electron/core/app'
import { SYSTEM_ACTOR } from '../../electron/core/audit/audit-log'
import { insertReturningId } from '../../electron/core/db/insert'
import { writeTransaction } from '../../electron/core/db/transaction'
import { replaceGrants } from '../../electron/core/organisations/grants'
import { insertOrganisation } from '../../electron/core/organisations/organisations-service'
import { resourcesDir } from '../../electron/core/paths'
import { generatePassword } from '../../electron/core/users/passwords'
import { insertUser } from '../../electron/core/users/users-service'
import { AppError } from '../../electron/core/util/app-error'
import { isoNow } from '../../electron/core/util/clock'

interface DemoOrganisation {
  key: string
  name: string
  kind: OrganisationKind
  code: string | null
  parent: string | null
  organisingUnit?: string
}

/** A small but realistic city: the bureau, the institute, departments and the bodies under them. */
export const DEMO_ORGANISATIONS: DemoOrganisation[] = [
  { key: 'bureau', name: '上海市人力资源和社会保障局', kind: 'bureau', code: null, parent: null },
  { key: 'institute', name: '上海市职业能力考试院', kind: 'institute', code: null, parent: 'bureau' },
  { key: 'dataCenter', name: '上海市大数据中心', kind: 'data_center', code: null, parent: null },
  { key: 'district', name: '上海市浦东新区人力资源和社会保障局', kind: 'district_bureau', code: null, parent: 'bureau' },
  { key: 'health', name: '上海市卫生健康委员会', kind: 'industry_department', code: null, parent: 'bureau' },
  { key: 'construction', name: '上海市住房和城乡建设管理委员会', kind: 'industry_department', code: null, parent: 'bureau' },
  {
    key: 'nursingBoard',
    name: '上海市卫生系列护理专业高级职称评审委员会',
    kind: 'review_body',
    code: 'WSHL',
    parent: 'health',
    organisingUnit: '上海市卫生健康委员会',
  },
  {
    key: 'engineeringBoard',
    name: '浦东新区工程系列中级职称评审委员会',
    kind: 'review_body',
    code: 'PDGC',
    parent: 'district',
    organisingUnit: '上海市浦东新区人力资源和社会保障局',
  },
  { key: 'examCentre', name: '上海市建设工程考试中心', kind: 'exam_institution', code: 'JSKS', parent: 'construction' },
]

interface DemoUser {
  username: string
  displayName: string
  organisation: string
  roles: Role[]
}

/**
 * One user per role, plus the bureau's reviewer who gives vocational batches their second
 * approval, the reviewers of the other two supervising departments (the exam centre's and
 * the engineering board's), so every demo body has someone to approve its batches, and the
 * construction department's seal-key holder, who adds the second seal of its vocational certificates.
 */
export const DEMO_USERS: DemoUser[] = [
  { username: 'admin', displayName: '系统管理员', organisation: 'bureau', roles: ['admin'] },
  { username: 'reviewer', displayName: '卫健委审核员', organisation: 'health', roles: ['reviewer'] },
  { username: 'bureau-reviewer', displayName: '市人社局审核员', organisation: 'bureau', roles: ['reviewer'] },
  { username: 'construction-reviewer', displayName: '住建委审核员', organisation: 'construction', roles: ['reviewer'] },
  { username: 'district-reviewer', displayName: '浦东新区人社局审核员', organisation: 'district', roles: ['reviewer'] },
  { username: 'clerk', displayName: '考试院备案员', organisation: 'institute', roles: ['clerk'] },
  { username: 'sealer', displayName: '市人社局印章管理员', organisation: 'bureau', roles: ['sealer'] },
  { username: 'construction-sealer', displayName: '住建委印章管理员', organisation: 'construction', roles: ['sealer'] },
]

interface DemoGrant {
  family: Family
  level: string
  /** Key of the organisation whose seal the level carries; absent: the supervising department's. */
  seal?: string
}

/** What each applying demo organisation may apply for: one audit entry per organisation. */
export const DEMO_GRANTS: Array<{ organisation: string; grants: DemoGrant[] }> = [
  {
    organisation: 'nursingBoard',
    grants: [
      { family: 'title', level: 'senior_full' },
      { family: 'title', level: 'senior' },
    ],
  },
  {
    organisation: 'engineeringBoard',
    grants: [
      { family: 'title', level: 'intermediate', seal: 'district' },
      { family: 'title', level: 'primary' },
    ],
  },
  { organisation: 'examCentre', grants: [{ family: 'vocational', level: '*' }] },
]

/** Demo certificates: two titles and one vocational certificate, with synthetic photos. */
export const DEMO_CERTIFICATES = [
  {
    number: '2025WSHL00001',
    family: 'title' as const,
    level: 'senior',
    organisation: 'nursingBoard',
    photo: 'photo-1.jpg',
    issuedAt: '2025-12-26T02:00:00.000Z',
    fields: {
      name: '王丽华',
      gender: '女',
      birthMonth: '1985-03',
      idType: '居民身份证',
      idNumber: '310101198503120022',
      employer: '上海市第一人民医院',
      level: 'senior',
      titleName: '副主任护师',
      specialty: '护理学',
      reviewBody: '上海市卫生系列护理专业高级职称评审委员会',
      obtainedOn: '2025-12-20',
    },
  },
  {
    number: '2025PDGC00001',
    family: 'title' as const,
    level: 'intermediate',
    organisation: 'engineeringBoard',
    photo: 'photo-2.jpg',
    issuedAt: '2025-11-18T02:00:00.000Z',
    fields: {
      name: '陈志强',
      gender: '男',
      birthMonth: '1982-07',
      idType: '居民身份证',
      idNumber: '310115198207074816',
      employer: '上海浦东建设工程有限公司',
      level: 'intermediate',
      titleName: '工程师',
      specialty: '土木工程',
      reviewBody: '浦东新区工程系列中级职称评审委员会',
      obtainedOn: '2025-11-10',
    },
  },
  {
    number: '2025JSKS00001',
    family: 'vocational' as const,
    level: '一级',
    organisation: 'examCentre',
    photo: 'photo-3.jpg',
    issuedAt: '2025-12-05T02:00:00.000Z',
    fields: {
      name: '李娜',
      gender: '女',
      birthMonth: '1990-09',
      idType: '居民身份证',
      idNumber: '310104199009210042',
      qualificationName: '建造师',
      qualificationKind: '执业',
      category: '建筑工程',
      level: '一级',
      approvedOn: '2025-11-30',
    },
  },
]

export interface DemoAccount {
  username: string
  displayName: string
  roles: Role[]
  organisation: string
  password: string
}

/** A demo certificate as issued but not yet sealed: version 1, active, photo stored by hash. */
async function insertDemoCertificate(
  trx: Knex.Transaction,
  core: Core,
  certificate: (typeof DEMO_CERTIFICATES)[number],
  organisationId: number,
): Promise<void> {
  const photo = await core.files.put(trx, readFileSync(join(resourcesDir(), 'demo', certificate.photo)), 'image/jpeg', certificate.photo)
  const now = isoNow(core.clock)
  const id = await insertReturningId(trx, 'certificates', {
    number: certificate.number,
    family: certificate.family,
    level: certificate.level,
    status: 'active',
    organisation_id: organisationId,
    holder_name: certificate.fields.name,
    holder_id_number: certificate.fields.idNumber,
    legacy: false,
    current_version: 1,
    issued_at: certificate.issuedAt,
    created_at: now,
    updated_at: now,
  })
  await trx('certificate_versions').insert({
    certificate_id: id,
    version: 1,
    status: 'active',
    fields: JSON.stringify(certificate.fields),
    photo_hash: photo.hash,
    created_at: now,
    issued_at: certificate.issuedAt,
  })
  // The demo numbers were handed out: the counter of their year and code continues after them.
  const prefix = certificate.number.slice(0, -5)
  const next = Number(certificate.number.slice(-5)) + 1
  await trx('number_sequences').insert({ prefix, next_serial: next }).onConflict('prefix').merge()
  // The number, not the holder: the audit log never carries personal data.
  await core.audit.record(trx, SYSTEM_ACTOR, {
    action: 'certificate.create',
    objectType: 'certificate',
    objectId: id,
    after: { number: certificate.number, fields: certificate.fields, photo: photo.hash },
    details: { number: certificate.number, family: certificate.family, level: certificate.level, demo: true },
  })
}

/**
 * Seeds a fresh data directory with demo organisations and accounts, audited like any other
 * change. Refuses a directory that already has users, so it never mixes with real data.
 */
export async function seedDemo(core: Core, passwordFor: (username: string) => string = () => generatePassword()): Promise<DemoAccount[]> {
  return writeTransaction(core.db, async (trx) => {
    if (await trx('users').first('id')) throw new AppError('CONFLICT', '该数据目录中已有用户，演示数据只能写入新的数据目录')
    const ids = new Map<string, number>()
    for (const organisation of DEMO_ORGANISATIONS) {
      const created = await insertOrganisation(
        trx,
        core.audit,
        SYSTEM_ACTOR,
        core.clock,
        {
          name: organisation.name,
          kind: organisation.kind,
          code: organisation.code,
          parentId: organisation.parent ? ids.get(organisation.parent)! : null,
          organisingUnit: organisation.organisingUnit ?? null,
        },
        { demo: true },
      )
      ids.set(organisation.key, created.id)
    }
    for (const { organisation, grants } of DEMO_GRANTS) {
      const configured = grants.map((grant) => ({
        family: grant.family,
        level: grant.level,
        sealOrganisationId: grant.seal ? ids.get(grant.seal)! : null,
      }))
      await replaceGrants(trx, core.audit, SYSTEM_ACTOR, ids.get(organisation)!, configured, { demo: true })
    }
    const accounts: DemoAccount[] = []
    for (const user of DEMO_USERS) {
      const password = passwordFor(user.username)
      await insertUser(trx, core.audit, SYSTEM_ACTOR, core.clock, {
        username: user.username,
        displayName: user.displayName,
        organisationId: ids.get(user.organisation)!,
        roles: user.roles,
        password,
        mustChangePassword: false,
      })
      const organisation = DEMO_ORGANISATIONS.find((item) => item.key === user.organisation)!
      accounts.push({
        username: user.username,
        displayName: user.displayName,
        roles: user.roles,
        organisation: organisation.name,
        password,
      })
    }
    for (const certificate of DEMO_CERTIFICATES) await insertDemoCertificate(trx, core, certificate, ids.get(certificate.organisation)!)
    return accounts
  })
}
