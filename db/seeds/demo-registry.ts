import { readFileSync } from 'node:fs'
import { request } from 'node:http'
import { join } from 'node:path'
import { crc32 } from 'node:zlib'
import { columnsOf } from '../../electron/contract/application-format'
import type { Core } from '../../electron/core/app'
import { writeSheetXlsx } from '../../electron/core/applications/exports/xlsx-writer'
import { resourcesDir } from '../../electron/core/paths'
import type { Actor } from '../../electron/core/users/access'
import { loadActor } from '../../electron/core/users/users-repository'
import { centralHeader, endOfCentralDirectory, localHeader, type ZipEntryRecord } from '../../electron/core/util/zip-records'
import { startRegistry } from '../../registry/server'

/** Where `npm run registry` listens by default: the demo's certificates and sync point there. */
export const DEMO_REGISTRY_URL = 'http://127.0.0.1:5190'

export interface DemoRegistry {
  /** The demo registry's data directory, to serve it later with `npm run registry -- --data-dir …`. */
  dataDir: string
  url: string
  delivered: number
  applications: number
}

/** Before anything is rendered: the demo's QR codes lead to the demo registry's status page. */
export async function pointDemoAtRegistry(core: Core): Promise<void> {
  await core.settings.update(await actor(core, 'admin'), 'verification.baseUrl', `${DEMO_REGISTRY_URL}/c`)
}

async function actor(core: Core, username: string): Promise<Actor> {
  const row = (await core.db('users').where({ username }).first('id')) as { id: number }
  return (await loadActor(core.db, row.id))!
}

function adminCall(url: string, token: string, path: string, body: unknown): Promise<number> {
  return new Promise((resolve, reject) => {
    const call = request(
      `${url}${path}`,
      { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } },
      (answer) => {
        answer.resume()
        answer.on('end', () => resolve(answer.statusCode ?? 0))
      },
    )
    call.on('error', reject)
    call.end(JSON.stringify(body))
  })
}

/** A ZIP of stored (uncompressed) files, as a phone's or a scanner's export would be. */
function storedZip(files: Array<{ name: string; bytes: Buffer }>): Buffer {
  const parts: Buffer[] = []
  const entries: ZipEntryRecord[] = []
  let offset = 0
  for (const file of files) {
    const entry = {
      name: Buffer.from(file.name),
      flags: 0x0800,
      method: 0,
      crc: crc32(file.bytes),
      compressedSize: file.bytes.length,
      size: file.bytes.length,
      offset,
    }
    const header = localHeader(entry)
    parts.push(header, file.bytes)
    offset += header.length + file.bytes.length
    entries.push(entry)
  }
  const directory = Buffer.concat(entries.map(centralHeader))
  return Buffer.concat([...parts, directory, endOfCentralDirectory(entries.length, directory.length, offset)])
}

/** An application the nursing board submitted on the online platform: two senior nurses, their photos, the notice. */
async function onlineApplication(): Promise<Record<string, unknown>> {
  const people = [
    { name: '吴晓燕', idNumber: '310104198806120027', photo: 'photo-1.jpg' },
    { name: '郑海涛', idNumber: '310105198403150031', photo: 'photo-2.jpg' },
  ]
  const values = (person: (typeof people)[number]): Record<string, string> => ({
    name: person.name,
    gender: Number(person.idNumber[16]) % 2 === 1 ? '男' : '女',
    birthMonth: `${person.idNumber.slice(6, 10)}-${person.idNumber.slice(10, 12)}`,
    idType: '居民身份证',
    idNumber: person.idNumber,
    employer: '上海市第六人民医院',
    level: '高级',
    titleName: '副主任护师',
    specialty: '护理学',
    reviewBody: '上海市卫生系列护理专业高级职称评审委员会',
    obtainedOn: '2025-12-20',
    photoName: `${person.idNumber}.jpg`,
  })
  const columns = columnsOf('title')
  const workbook = await writeSheetXlsx({
    name: '职称证书制证名单',
    widths: columns.map(() => 16),
    rows: [
      columns.map((column) => ({ value: column.header })),
      ...people.map((person) => columns.map((column) => ({ value: values(person)[column.key] ?? '' }))),
    ],
  })
  const photos = storedZip(
    people.map((person) => ({ name: `${person.idNumber}.jpg`, bytes: readFileSync(join(resourcesDir(), 'demo', person.photo)) })),
  )
  return {
    id: 'WEB-2026-DEMO-0001',
    organisationCode: 'WSHL',
    family: 'title',
    workbook: workbook.toString('base64'),
    workbookName: '网上申报名单.xlsx',
    photosZip: photos.toString('base64'),
    notice: Buffer.from('%PDF-1.7\n% 评审结果通知（演示）\n%%EOF\n').toString('base64'),
  }
}

/**
 * The registry part of `certdesk demo`: a reference registry kept in the data directory,
 * this installation's client registered there, an application waiting on the online platform,
 * and one sync pass — the sealed samples published, the application pulled as a batch to review.
 * The registry runs only for the pass; `npm run registry -- --data-dir <dataDir>/demo-registry`
 * serves it afterwards on the address the demo's QR codes and sync point at.
 */
export async function seedDemoRegistry(core: Core): Promise<DemoRegistry> {
  const dataDir = join(core.dataDir, 'demo-registry')
  const running = await startRegistry({ port: 0, dataDir, log: () => undefined })
  try {
    const admin = await actor(core, 'admin')
    const identity = await core.sync.status(admin)
    const registered = await adminCall(running.url, running.adminToken, '/_admin/clients', {
      clientId: identity.clientId,
      organisationCode: '*',
      publicKeyPem: identity.publicKeyPem,
    })
    if (registered !== 201 && registered !== 200) throw new Error(`the demo registry refused the client (${registered})`)
    const seeded = await adminCall(running.url, running.adminToken, '/_admin/applications', await onlineApplication())
    if (seeded !== 201) throw new Error(`the demo registry refused the online application (${seeded})`)
    await core.settings.update(admin, 'registry.baseUrl', running.url)
    const report = await core.sync.pass()
    if (report.error) throw new Error(`demo sync failed: ${report.error}`)
    await core.settings.update(admin, 'registry.baseUrl', DEMO_REGISTRY_URL)
    return { dataDir, url: DEMO_REGISTRY_URL, delivered: report.delivered, applications: report.taken }
  } finally {
    await running.close()
  }
}
