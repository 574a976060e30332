/**
 * The sealing benchmark in a process of its own (SoftHSM2 reads its configuration once per
 * process, and the memory figures should be this work's alone). Prints one JSON line of figures.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Core } from '../electron/core/app'
import { resourcesDir } from '../electron/core/paths'
import type { Actor } from '../electron/core/users/access'
import { actorOf, applicants, insertBatch } from '../tests/helpers/batches'
import { configureShim } from '../tests/helpers/pkcs11-shim'
import { createSealingFixture, TOKEN_LABEL, USER_PIN, type SealingFixture } from '../tests/helpers/sealing-fixture'
import { SOFTHSM_MODULE } from '../tests/helpers/softhsm'

export interface SealingFigures {
  rawSignRate: number
  batchCount: number
  batchRate: number
  /** CPU time of the whole process (every thread) per certificate. */
  cpuMsPerCertificate: number
  rssMb: number[]
  slowRawRate: number
  slowCount: number
  slowBatchRate: number
  meanFileKb: number
}

const SLOW_DELAY_MS = 100

/** An approved title batch of `count`, every applicant with the same (stored once) photo. */
async function bigBatch(core: Core, count: number, from: number): Promise<number> {
  const photo = readFileSync(join(resourcesDir(), 'demo', 'photo-1.jpg'))
  const people = applicants('title', count, from)
  people[0] = { ...people[0], photo }
  const batch = await insertBatch(core, { organisationCode: 'WSHL', family: 'title', createdBy: 'clerk', applicants: people })
  const hash = (await core.db('applicants').where({ id: batch.applicantIds[0] }).first('photo_hash')).photo_hash as string
  await core.db('applicants').where({ batch_id: batch.id }).update({ photo_hash: hash })
  await core.review.approve(await actorOf(core, 'reviewer'), batch.id)
  return batch.id
}

/** Signatures per second of the bare token through the app's token worker, several in flight. */
async function rawSignRate(fixture: SealingFixture, modulePath: string, count: number): Promise<number> {
  const signer = await fixture.tokens.openSigner({
    modulePath,
    token: { serial: fixture.serial },
    certificateFingerprint: fixture.keys.bureau.fingerprint,
    pin: USER_PIN,
  })
  // About the size of the signed attributes the batch signs.
  const data = Buffer.alloc(150, 7)
  const start = performance.now()
  let next = 0
  const lane = async () => {
    while (next++ < count) await signer.sign(data)
  }
  await Promise.all(Array.from({ length: 4 }, lane))
  const seconds = (performance.now() - start) / 1000
  await signer.close()
  return count / seconds
}

/** Seals a batch, returning certificates per second from start to completion and RSS at each thousand. */
async function sealBatch(
  fixture: SealingFixture,
  sealer: Actor,
  batchId: number,
  modulePath: string,
): Promise<{ rate: number; rssMb: number[]; total: number; cpuMs: number }> {
  const sealing = fixture.core.sealing
  const job = await sealing.createJob(sealer, batchId, fixture.seals.bureau)
  const start = performance.now()
  const cpu = process.cpuUsage()
  await sealing.start(sealer, {
    jobId: job.id,
    modulePath,
    token: { serial: fixture.serial, label: TOKEN_LABEL },
    pin: USER_PIN,
    confirmFinalTry: false,
    timestamp: false,
  })
  const rssMb: number[] = []
  for (;;) {
    const current = await sealing.job(sealer, job.id)
    while (current.done >= (rssMb.length + 1) * 1000) rssMb.push(Math.round(process.memoryUsage().rss / 1024 / 1024))
    if (current.state !== 'running') {
      if (current.state !== 'completed' || current.failed > 0)
        throw new Error(`batch ended ${current.state}: ${current.lastError ?? current.pausedReason}`)
      const used = process.cpuUsage(cpu)
      const cpuMs = (used.user + used.system) / 1000 / current.done
      return { rate: current.done / ((performance.now() - start) / 1000), rssMb, total: current.done, cpuMs }
    }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? 10_000)
  const slowCount = Number(process.argv[3] ?? 100)
  const slowModule = configureShim({ target: SOFTHSM_MODULE, signDelayMs: SLOW_DELAY_MS })
  const fixture = await createSealingFixture()
  try {
    await fixture.core.tokens.setModules(fixture.actors.admin, [fixture.hsm.modulePath, slowModule])
    const sealer = fixture.actors.sealer
    const big = await bigBatch(fixture.core, count, 1)
    const slow = await bigBatch(fixture.core, slowCount, count + 1)
    const rawSign = await rawSignRate(fixture, fixture.hsm.modulePath, 3000)
    const batch = await sealBatch(fixture, sealer, big, fixture.hsm.modulePath)
    const sizes = (await fixture.core.db('files').where({ media_type: 'application/pdf' }).avg({ size: 'size' }).first()) as {
      size: number
    }
    const slowRaw = await rawSignRate(fixture, slowModule, 30)
    const slowBatch = await sealBatch(fixture, sealer, slow, slowModule)
    const figures: SealingFigures = {
      rawSignRate: rawSign,
      batchCount: batch.total,
      batchRate: batch.rate,
      cpuMsPerCertificate: batch.cpuMs,
      rssMb: batch.rssMb,
      slowRawRate: slowRaw,
      slowCount: slowBatch.total,
      slowBatchRate: slowBatch.rate,
      meanFileKb: Number(sizes.size) / 1024,
    }
    console.log(JSON.stringify(figures))
  } finally {
    await fixture.cleanup()
  }
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
