import { JOB_STATE_LABELS, type SigningJobInfo } from '../../contract/sealing'
import type { Core } from '../../core/app'
import type { Actor } from '../../core/users/access'
import { CliError, type Output, type Secrets } from '../io'

/** The options `certdesk sign` adds to run.ts's parseArgs. */
export const SIGN_OPTIONS = {
  seal: { type: 'string' },
  module: { type: 'string' },
  token: { type: 'string' },
  'pin-stdin': { type: 'boolean', default: false },
  'confirm-final-try': { type: 'boolean', default: false },
  timestamp: { type: 'boolean', default: false },
} as const

export interface SignOptions {
  batch?: string
  seal?: string
  module?: string
  token?: string
  'pin-stdin'?: boolean
  'confirm-final-try'?: boolean
  timestamp?: boolean
}

export const SIGN_USAGE =
  '用法：certdesk sign --user 印章密钥持有人 --batch 批次号 --seal 印章编号或名称 --module 模块路径 --token 密钥标签 [--pin-stdin] [--timestamp]'

/** Exit code of a batch stopped for its key (pulled out, or the PIN asked again): run the same command to go on. */
export const EXIT_PAUSED = 3
const POLL_MS = 1000

function positiveId(value: string | undefined, name: string): number {
  const id = Number(value)
  if (!value || !/^\d+$/.test(value) || !Number.isSafeInteger(id) || id < 1)
    throw new CliError(`${name} 必须是正整数，收到“${value ?? ''}”`)
  return id
}

async function sealIdOf(core: Core, actor: Actor, value: string): Promise<number> {
  const seals = await core.sealRegistry.list(actor, { includeInactive: false })
  const found = seals.filter((seal) => String(seal.id) === value || seal.name === value)
  if (found.length !== 1) throw new CliError(found.length === 0 ? `找不到可用的印章“${value}”` : `有多个名为“${value}”的印章，请用印章编号`)
  return found[0].id
}

function progressLine(job: SigningJobInfo): string {
  const rate = job.rate ? `，${job.rate.toFixed(1)} 份/秒` : ''
  const eta = job.etaSeconds !== null ? `，预计还需 ${Math.floor(job.etaSeconds / 60)} 分 ${job.etaSeconds % 60} 秒` : ''
  return `${JOB_STATE_LABELS[job.state]}：已签 ${job.done}/${job.total}${job.failed ? `，失败 ${job.failed}` : ''}${rate}${eta}`
}

/** Follows the job until it stops; progress goes to stderr so stdout stays the result. */
async function follow(core: Core, actor: Actor, jobId: number, json: boolean): Promise<SigningJobInfo> {
  for (;;) {
    const job = await core.sealing.job(actor, jobId)
    if (job.state !== 'running') return job
    if (!json) process.stderr.write(`\r${progressLine(job)}    `)
    await new Promise((resolve) => setTimeout(resolve, POLL_MS))
  }
}

/**
 * `certdesk sign`: seals a batch overnight through the same core service as the app — one PIN
 * for the batch, a journal that resumes where it stopped. Ctrl-C pauses at a clean point.
 */
export async function sign(core: Core, actor: Actor, output: Output, options: SignOptions, secrets: Secrets): Promise<number> {
  if (!options.batch || !options.seal || !options.module || !options.token) throw new CliError(SIGN_USAGE)
  const batchId = positiveId(options.batch, '--batch')
  const sealId = await sealIdOf(core, actor, options.seal)
  const modules = await core.tokens.modules(actor)
  // Naming the module on the command line is configuring it, as the desk's 密钥模块 page does.
  if (!modules.configured.includes(options.module)) await core.tokens.setModules(actor, [...modules.configured, options.module])
  const job = await core.sealing.createJob(actor, batchId, sealId)
  const pin = await secrets.pin(options['pin-stdin'] ?? false)
  const interrupt = () => void core.sealing.pause(actor, job.id).catch(() => undefined)
  process.once('SIGINT', interrupt)
  try {
    await core.sealing.start(actor, {
      jobId: job.id,
      modulePath: options.module,
      token: { label: options.token },
      pin,
      confirmFinalTry: options['confirm-final-try'] ?? false,
      timestamp: options.timestamp ?? false,
    })
    const final = await follow(core, actor, job.id, output.json)
    if (!output.json) process.stderr.write('\n')
    output.result(
      final,
      () =>
        `签章任务 ${final.id}（${final.batchLabel}，${final.sealName}）${progressLine(final)}${final.pausedReason ? `：${final.pausedReason}` : ''}`,
    )
    if (final.state === 'completed') return final.failed > 0 ? 1 : 0
    return EXIT_PAUSED
  } finally {
    process.off('SIGINT', interrupt)
  }
}
