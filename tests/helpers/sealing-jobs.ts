import { expect } from 'vitest'
import type { SigningJobInfo } from '../../electron/contract/sealing'
import type { Actor } from '../../electron/core/users/access'
import { TOKEN_LABEL, USER_PIN, type SealingFixture } from './sealing-fixture'

/** Creates (or reuses) the job of a batch and a seal, starts it with the test PIN and waits for the run to stop. */
export async function signBatch(
  fixture: SealingFixture,
  batchId: number,
  sealId: number,
  actor: Actor = fixture.actors.sealer,
  options: { modulePath?: string; pin?: string } = {},
): Promise<SigningJobInfo> {
  const job = await fixture.core.sealing.createJob(actor, batchId, sealId)
  await fixture.core.sealing.start(actor, {
    jobId: job.id,
    modulePath: options.modulePath ?? fixture.hsm.modulePath,
    token: { serial: fixture.serial, label: TOKEN_LABEL },
    pin: options.pin ?? USER_PIN,
    confirmFinalTry: false,
    timestamp: false,
  })
  await fixture.core.sealing.settled(job.id)
  return fixture.core.sealing.job(actor, job.id)
}

/** The issued file of each certificate of a batch, by number; every certificate must be issued. */
export async function issuedFiles(fixture: SealingFixture, batchId: number): Promise<Map<string, Uint8Array>> {
  const rows = (await fixture.core
    .db('certificates as c')
    .join('certificate_versions as v', 'v.certificate_id', 'c.id')
    .where('c.batch_id', batchId)
    .orderBy('c.id')
    .select('c.number', 'c.status', 'v.pdf_hash')) as Array<{ number: string; status: string; pdf_hash: string | null }>
  const files = new Map<string, Uint8Array>()
  for (const row of rows) {
    expect(row.status, row.number).toBe('active')
    files.set(row.number, (await fixture.core.files.read(fixture.core.db, row.pdf_hash!)).bytes)
  }
  return files
}

/** Polls until the job satisfies `done`; the test's own timeout bounds the wait. */
export async function waitForJob(
  fixture: SealingFixture,
  jobId: number,
  done: (job: SigningJobInfo) => boolean,
  actor: Actor = fixture.actors.sealer,
): Promise<SigningJobInfo> {
  for (;;) {
    const job = await fixture.core.sealing.job(actor, jobId)
    if (done(job)) return job
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}
