import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Core } from '../../electron/core/app'
import { resourcesDir } from '../../electron/core/paths'
import { issueCertificate, type CertificateSubject } from '../../electron/core/sealing/crypto/certificate-builder'
import { certificatePem, parseCertificate, type SealCertificate } from '../../electron/core/sealing/crypto/x509'
import { demoTokenConf, demoTokenDir } from '../../electron/core/sealing/demo-token'
import { suggestModules } from '../../electron/core/sealing/pkcs11/module-suggestions'
import { generateKeyPair, initializeToken, storeCertificate } from '../../electron/core/sealing/pkcs11/provision'
import type { Actor } from '../../electron/core/users/access'
import { loadActor } from '../../electron/core/users/users-repository'
import { insertBatch, titleFields, vocationalFields } from './batches'

export const DEMO_TOKEN_LABEL = 'CertDesk 演示印章'
/** Printed by `certdesk demo`: a demo token's PIN is no secret. */
export const DEMO_TOKEN_PIN = '246810'
const DEMO_SO_PIN = '13579246'

export interface DemoSealing {
  modulePath: string
  tokenLabel: string
  pin: string
  /** The demo CA, to check the seals with openssl or a PDF reader. */
  caPath: string
  /** The sealed certificates, as plain files in the data directory. */
  files: string[]
}

const DEMO_SEALS = [
  {
    id: '01',
    keyType: 'rsa-2048' as const,
    organisation: '上海市人力资源和社会保障局',
    name: '市人社局专业技术资格证书专用章',
    appliesTo: [
      { family: 'title' as const, level: '*' },
      { family: 'vocational' as const, level: '*' },
    ],
  },
  {
    id: '02',
    keyType: 'ec-p256' as const,
    organisation: '上海市住房和城乡建设管理委员会',
    name: '市住建委专业技术资格证书专用章',
    appliesTo: [{ family: 'vocational' as const, level: '*' }],
  },
]

const TITLE_NAMES = ['张明华', '刘静怡', '赵建国']
const VOCATIONAL_NAMES = ['孙丽娟', '周志强']

/** Debian's (or another distribution's) SoftHSM2, when installed. */
function softHsmModule(): string | null {
  return suggestModules().find((module) => module.present && module.path.includes('softhsm'))?.path ?? null
}

async function actor(core: Core, username: string): Promise<Actor> {
  const row = (await core.db('users').where({ username }).first('id')) as { id: number }
  return (await loadActor(core.db, row.id))!
}

/** A self-signed demo CA in node, which issues the seal certificates for the keys on the token. */
async function demoCa(): Promise<{ key: KeyObject; certificate: SealCertificate }> {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const now = Date.now()
  const der = await issueCertificate({
    subject: { commonName: 'CertDesk 演示根 CA', organisation: 'CertDesk 演示', country: 'CN' },
    publicKey: publicKey.export({ type: 'spki', format: 'der' }),
    notBefore: new Date(now - 86_400_000),
    notAfter: new Date(now + 10 * 365 * 86_400_000),
    isCa: true,
    keyUsage: ['keyCertSign', 'cRLSign'],
    algorithm: 'sha256WithRSAEncryption',
    sign: async (tbs) => sign('sha256', tbs, privateKey),
  })
  return { key: privateKey, certificate: parseCertificate(der) }
}

/** Initialises the demo token, puts the two seals' keys and certificates on it, registers the seals. */
async function provisionDemoSeals(core: Core, modulePath: string): Promise<{ serial: string; seals: number[]; caPath: string }> {
  const host = core.tokenHost
  const serial = await initializeToken(host, { modulePath, label: DEMO_TOKEN_LABEL, soPin: DEMO_SO_PIN, userPin: DEMO_TOKEN_PIN })
  const login = { modulePath, token: { serial }, userPin: DEMO_TOKEN_PIN }
  const ca = await demoCa()
  const admin = await actor(core, 'admin')
  await core.tokens.setModules(admin, [modulePath])
  const seals: number[] = []
  for (const seal of DEMO_SEALS) {
    const id = Buffer.from(seal.id, 'hex')
    const { spkiDer } = await generateKeyPair(host, { ...login, keyType: seal.keyType, id, label: seal.name })
    const subject: CertificateSubject = { commonName: seal.name, organisation: seal.organisation, country: 'CN' }
    const now = core.clock.now().getTime()
    const der = await issueCertificate({
      subject,
      publicKey: spkiDer,
      issuer: ca.certificate,
      notBefore: new Date(now - 86_400_000),
      notAfter: new Date(now + 3 * 365 * 86_400_000),
      keyUsage: ['digitalSignature', 'nonRepudiation'],
      algorithm: 'sha256WithRSAEncryption',
      sign: async (tbs) => sign('sha256', tbs, ca.key),
    })
    await storeCertificate(host, { ...login, id, label: seal.name, der })
    const organisation = (await core.db('organisations').where({ name: seal.organisation }).first('id')) as { id: number }
    const registered = await core.sealRegistry.register(admin, {
      organisationId: organisation.id,
      name: seal.name,
      purpose: '专业技术资格证书专用章',
      certificateDerBase64: der.toString('base64'),
      tokenLabel: DEMO_TOKEN_LABEL,
      tokenSerial: serial,
      appliesTo: seal.appliesTo,
    })
    seals.push(registered.id)
  }
  const caPath = join(demoTokenDir(core.dataDir), 'demo-ca.pem')
  writeFileSync(caPath, certificatePem(ca.certificate.der))
  return { serial, seals, caPath }
}

/** The two sample batches, imported by the institute's clerk and approved by their reviewers. */
async function sampleBatches(core: Core): Promise<{ title: number; vocational: number }> {
  const photos = [1, 2, 3].map((index) => readFileSync(join(resourcesDir(), 'demo', `photo-${index}.jpg`)))
  const people = (names: string[], fields: typeof titleFields, from: number) =>
    names.map((name, index) => ({ fields: fields(from + index, { name }), photo: photos[index % photos.length] }))
  const title = await insertBatch(core, {
    organisationCode: 'WSHL',
    family: 'title',
    createdBy: 'clerk',
    applicants: people(TITLE_NAMES, titleFields, 1201),
  })
  await core.review.approve(await actor(core, 'reviewer'), title.id)
  const vocational = await insertBatch(core, {
    organisationCode: 'JSKS',
    family: 'vocational',
    createdBy: 'clerk',
    applicants: people(VOCATIONAL_NAMES, vocationalFields, 2301),
  })
  await core.review.approve(await actor(core, 'construction-reviewer'), vocational.id)
  await core.review.approve(await actor(core, 'bureau-reviewer'), vocational.id)
  return { title: title.id, vocational: vocational.id }
}

async function seal(core: Core, sealer: string, batchId: number, sealId: number, modulePath: string, serial: string): Promise<void> {
  const user = await actor(core, sealer)
  const job = await core.sealing.createJob(user, batchId, sealId)
  await core.sealing.start(user, {
    jobId: job.id,
    modulePath,
    token: { serial },
    pin: DEMO_TOKEN_PIN,
    confirmFinalTry: false,
    timestamp: false,
  })
  await core.sealing.settled(job.id)
  const done = await core.sealing.job(user, job.id)
  if (done.state !== 'completed' || done.failed > 0)
    throw new Error(`demo sealing of batch ${batchId} ended ${done.state}: ${done.lastError ?? ''}`)
}

/** Writes each sealed certificate of the batches to <dataDir>/sealed/<number>.pdf. */
async function exportSealed(core: Core, batchIds: number[]): Promise<string[]> {
  const dir = join(core.dataDir, 'sealed')
  mkdirSync(dir, { recursive: true })
  const rows = (await core
    .db('certificates as c')
    .join('certificate_versions as v', (join) => join.on('v.certificate_id', 'c.id').andOn('v.version', 'c.current_version'))
    .whereIn('c.batch_id', batchIds)
    .whereNotNull('v.pdf_hash')
    .orderBy('c.id')
    .select('c.number', 'v.pdf_hash')) as Array<{ number: string; pdf_hash: string }>
  const files: string[] = []
  for (const row of rows) {
    const file = join(dir, `${row.number}.pdf`)
    writeFileSync(file, (await core.files.read(core.db, row.pdf_hash)).bytes)
    files.push(file)
  }
  return files
}

/**
 * The sealing part of `certdesk demo`, where SoftHSM2 is installed: a demo token in the data
 * directory with the bureau's and the construction department's seals, and the two sample
 * batches sealed through the same jobs as the desk — the title batch with the bureau's seal, the
 * vocational one with both, by the two departments' key holders. Null without SoftHSM2.
 * Must run before anything in the process initialised SoftHSM2 (it reads SOFTHSM2_CONF once).
 */
export async function seedDemoSealing(core: Core): Promise<DemoSealing | null> {
  const modulePath = softHsmModule()
  if (!modulePath) return null
  const tokens = join(demoTokenDir(core.dataDir), 'tokens')
  mkdirSync(tokens, { recursive: true })
  writeFileSync(
    demoTokenConf(core.dataDir),
    `directories.tokendir = ${tokens}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n`,
  )
  process.env.SOFTHSM2_CONF = demoTokenConf(core.dataDir)
  const { serial, seals, caPath } = await provisionDemoSeals(core, modulePath)
  const batches = await sampleBatches(core)
  await seal(core, 'sealer', batches.title, seals[0], modulePath, serial)
  await seal(core, 'sealer', batches.vocational, seals[0], modulePath, serial)
  await seal(core, 'construction-sealer', batches.vocational, seals[1], modulePath, serial)
  return {
    modulePath,
    tokenLabel: DEMO_TOKEN_LABEL,
    pin: DEMO_TOKEN_PIN,
    caPath,
    files: await exportSealed(core, [batches.title, batches.vocational]),
  }
}
