import { BATCH_STATE_LABELS, QUEUE_LABELS, QUEUES, type BatchDetail, type BatchSummary, type Queue } from '../../contract/applications'
import { FAMILY_LABELS } from '../../contract/application-format'
import type { Core } from '../../core/app'
import type { Actor } from '../../core/users/access'
import { CliError, type Output } from '../io'

/** The review subcommands, as run.ts matches its positionals. */
export const REVIEW_COMMANDS = ['review list', 'review show', 'review approve', 'review return'] as const
export type ReviewCommand = (typeof REVIEW_COMMANDS)[number]

/** The options the review subcommands add to run.ts's parseArgs. */
export const REVIEW_OPTIONS = {
  batch: { type: 'string' },
  reason: { type: 'string' },
  queue: { type: 'string' },
  limit: { type: 'string' },
} as const

/** The lines of `certdesk --help` for the review subcommands. */
export const REVIEW_HELP = `  review list --user 用户 [--queue to_review|in_progress|returned|approved|submitted_by_me|all] [--limit N]
                             列出审核队列中的制证申请批次（默认 to_review：待我审核）
  review show --user 用户 --batch 批次号
                             查看批次：状态、审核记录、下一步由谁审核、不能通过的原因、证书编号
  review approve --user 审核员 --batch 批次号
                             审核通过（终审时按编号规则发放证书编号）
  review return --user 审核员 --batch 批次号 --reason 退回原因
                             退回批次`

export interface ReviewOptions {
  batch?: string
  reason?: string
  queue?: string
  limit?: string
}

function batchId(value: string | undefined, usage: string): number {
  if (value === undefined) throw new CliError(usage)
  const id = Number(value)
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(id) || id < 1) throw new CliError(`--batch 必须是批次号（正整数），收到“${value}”`)
  return id
}

function queueOf(value: string | undefined): Queue {
  if (value === undefined) return 'to_review'
  if (!(QUEUES as readonly string[]).includes(value)) throw new CliError(`--queue 只能是 ${QUEUES.join('、')} 之一，收到“${value}”`)
  return value as Queue
}

function limitOf(value: string | undefined): number {
  if (value === undefined) return 200
  const limit = Number(value)
  if (!/^\d+$/.test(value) || limit < 1 || limit > 500) throw new CliError('--limit 必须是 1–500 之间的整数')
  return limit
}

function summaryLine(batch: BatchSummary): string {
  const level = batch.level ? ` ${batch.level}` : ''
  return [
    `#${batch.id}`.padEnd(7),
    BATCH_STATE_LABELS[batch.state].padEnd(8),
    `${FAMILY_LABELS[batch.family]}${level}`.padEnd(14),
    `${batch.applicantCount} 人`.padEnd(9),
    `${batch.organisationName}`,
  ].join(' ')
}

function describe(detail: BatchDetail): string {
  const lines = [
    `批次 ${detail.id}：${detail.organisationName}（${detail.organisationCode ?? '无代码'}）${FAMILY_LABELS[detail.family]} ${detail.declarationYear} 年度`,
    `状态：${BATCH_STATE_LABELS[detail.state]}；申请人 ${detail.applicantCount} 人，已排除 ${detail.excludedCount} 人；` +
      `错误 ${detail.errorCount} 条，警告 ${detail.warningCount} 条（未确认 ${detail.unacknowledgedWarnings} 条）`,
    `提交人：${detail.createdByName ?? '—'}；结果通知：${detail.hasNotice ? '已附' : '未附'}`,
    ...detail.reviews.map(
      (review) =>
        `第 ${review.stage} 级：${review.organisationName} ${review.reviewerName} ${review.decision === 'approved' ? '通过' : '退回'}` +
        `（${review.decidedAt}）${review.reason ? `：${review.reason}` : ''}`,
    ),
  ]
  if (detail.nextStage) lines.push(`下一步：由${detail.nextStage.organisationName}进行第 ${detail.nextStage.stage} 级审核`)
  if (detail.numbers) lines.push(`证书编号：${detail.numbers.first}–${detail.numbers.last}，共 ${detail.numbers.count} 个`)
  if (detail.nextStage && detail.approveBlockers.length > 0) lines.push(...detail.approveBlockers.map((blocker) => `不能通过：${blocker}`))
  return lines.join('\n')
}

function approvedLine(detail: BatchDetail): string {
  if (detail.state === 'first_approved' && detail.nextStage) {
    return `批次 ${detail.id} 已通过初审，待${detail.nextStage.organisationName}复核`
  }
  const numbers = detail.numbers ? `：证书编号 ${detail.numbers.first}–${detail.numbers.last}，共 ${detail.numbers.count} 个` : ''
  return `批次 ${detail.id} 已审核通过${numbers}`
}

/**
 * `certdesk review …`: the review desk from the command line, as the signed-in user and through
 * the same core service as the app, so every rule (who decides which stage, four eyes, blockers)
 * holds here too.
 */
export async function review(core: Core, actor: Actor, output: Output, command: ReviewCommand, options: ReviewOptions): Promise<void> {
  switch (command) {
    case 'review list': {
      const queue = queueOf(options.queue)
      const batches = await core.review.list(actor, { queue, limit: limitOf(options.limit) })
      output.result(batches, () =>
        batches.length === 0 ? `${QUEUE_LABELS[queue]}：没有批次` : [`${QUEUE_LABELS[queue]}：`, ...batches.map(summaryLine)].join('\n'),
      )
      return
    }
    case 'review show': {
      const detail = await core.review.get(actor, batchId(options.batch, '用法：certdesk review show --user 用户 --batch 批次号'))
      output.result(detail, () => describe(detail))
      return
    }
    case 'review approve': {
      const detail = await core.review.approve(actor, batchId(options.batch, '用法：certdesk review approve --user 审核员 --batch 批次号'))
      output.result(detail, () => approvedLine(detail))
      return
    }
    case 'review return': {
      const usage = '用法：certdesk review return --user 审核员 --batch 批次号 --reason 退回原因'
      const id = batchId(options.batch, usage)
      if (options.reason === undefined) throw new CliError(usage)
      const detail = await core.review.returnBatch(actor, id, options.reason)
      output.result(detail, () => `批次 ${detail.id} 已退回：${detail.reviews.at(-1)?.reason ?? options.reason}`)
      return
    }
  }
}

export function isReviewCommand(command: string): command is ReviewCommand {
  return (REVIEW_COMMANDS as readonly string[]).includes(command)
}
