import { spawn, type ChildProcess } from 'node:child_process'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateKeyPair, storeCertificate } from '../../../electron/core/sealing/pkcs11/provision'
import { cli } from '../../helpers/cli'
import { configureShim } from '../../helpers/pkcs11-shim'
import { pdfsig } from '../../helpers/pdf-signatures'
import { createSealingFixture, DEMO_PASSWORD, TOKEN_LABEL, USER_PIN, type SealingFixture } from '../../helpers/sealing-fixture'
import { issuedFiles } from '../../helpers/sealing-jobs'
import { SOFTHSM_MODULE } from '../../helpers/softhsm'
import { issueTokenCertificate } from '../../helpers/token-certificates'

const ROOT = resolve(__dirname, '../../..')
let fixture: SealingFixture
let slowModule: string

beforeAll(async () => {
  // A slowed key (~16 signatures/s) so that the kill lands in the middle of the batch, even on a loaded machine.
  slowModule = configureShim({ target: SOFTHSM_MODULE, signDelayMs: 60 })
  fixture = await createSealingFixture()
}, 120_000)

afterAll(async () => {
  await fixture?.cleanup()
})

/** `certdesk sign` in a process of its own, the password and the PIN on its stdin. */
function signInChild(batchId: number): ChildProcess {
  const args = [
    '--data-dir',
    join(fixture.root, 'data'),
    'sign',
    '--user',
    'sealer',
    '--batch',
    String(batchId),
    '--seal',
    String(fixture.seals.bureau),
  ]
  // node itself with tsx as a loader, not the tsx wrapper: SIGKILL must reach the process that signs.
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'electron/cli/index.ts'), ...args, '--module', slowModule, '--token', TOKEN_LABEL, '--pin-stdin'],
    {
      cwd: ROOT,
      env: process.env,
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  )
  child.stdin!.end(`${DEMO_PASSWORD}\n${USER_PIN}\n`)
  return child
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }> {
  let output = ''
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()))
  return new Promise((done) => child.once('exit', (code, signal) => done({ code, signal, output })))
}

async function doneOf(batchId: number): Promise<number> {
  const row = (await fixture.core.db('signing_jobs').where({ batch_id: batchId }).first('done')) as { done: number } | undefined
  return row?.done ?? 0
}

describe('certdesk seal add, sign and verify', () => {
  it('seal add registers a seal from a certificate on the token, found by its label', async () => {
    const host = fixture.tokens
    const login = { modulePath: fixture.hsm.modulePath, token: { serial: fixture.serial }, userPin: USER_PIN }
    const id = Buffer.from('03', 'hex')
    const { spkiDer } = await generateKeyPair(host, { ...login, keyType: 'rsa-2048', id, label: 'district' })
    const { der } = issueTokenCertificate(fixture.pki, 'district', {
      spkiDer,
      subject: '/C=CN/O=上海市浦东新区人力资源和社会保障局/CN=浦东新区人社局专用章',
    })
    await storeCertificate(host, { ...login, id, label: 'district', der })
    const sealAdd = (...args: string[]) =>
      cli(
        [
          '--data-dir',
          join(fixture.root, 'data'),
          'seal',
          'add',
          '--user',
          'admin',
          '--module',
          fixture.hsm.modulePath,
          '--token',
          TOKEN_LABEL,
          ...args,
        ],
        {
          CERTDESK_PASSWORD: DEMO_PASSWORD,
        },
      )
    const { code, stdout, stderr } = await sealAdd(
      '--certificate',
      'district',
      '--org',
      '上海市浦东新区人力资源和社会保障局',
      '--name',
      '浦东新区人社局专用章',
      '--applies',
      'title:intermediate,title:primary',
    )
    expect(stderr).toBe('')
    expect(code).toBe(0)
    expect(stdout).toContain('浦东新区人社局专用章')
    const seal = await fixture.core.db('seals').where({ name: '浦东新区人社局专用章' }).first()
    expect(JSON.parse(seal.applies_to)).toEqual([
      { family: 'title', level: 'intermediate' },
      { family: 'title', level: 'primary' },
    ])
    const again = await sealAdd()
    expect(again.code).toBe(1)
    expect(again.stderr).toContain('用法')
  })

  it('a process killed mid-batch resumes with the same command: every certificate sealed once, none twice', async () => {
    const count = 40
    const batchId = await fixture.titleBatch(count, 300)
    const first = signInChild(batchId)
    const firstExit = exited(first)
    while ((await doneOf(batchId)) < 8) await new Promise((resolve) => setTimeout(resolve, 20))
    first.kill('SIGKILL')
    expect((await firstExit).signal).toBe('SIGKILL')
    const atKill = await doneOf(batchId)
    expect(atKill).toBeGreaterThanOrEqual(8)
    expect(atKill).toBeLessThan(count)

    const second = await exited(signInChild(batchId))
    expect(second.output).toContain('已完成')
    expect(second.code).toBe(0)
    const job = await fixture.core.db('signing_jobs').where({ batch_id: batchId }).first()
    expect(job).toMatchObject({ state: 'completed', total: count, done: count, failed: 0 })
    const files = await issuedFiles(fixture, batchId)
    for (const [number, bytes] of files)
      expect(
        pdfsig(bytes).map((signature) => signature.valid),
        number,
      ).toEqual([true])
    const certificateIds = (await fixture.core.db('certificates').where({ batch_id: batchId }).pluck('id')).map(String)
    expect(await fixture.core.db('audit_log').where({ action: 'certificate.issue' }).whereIn('object_id', certificateIds)).toHaveLength(
      count,
    )
    const slots = await fixture.core
      .db('version_seals as s')
      .join('certificate_versions as v', 'v.id', 's.certificate_version_id')
      .whereIn('v.certificate_id', certificateIds)
    expect(slots).toHaveLength(count)
  })
})
