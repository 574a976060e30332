import { readFile } from 'node:fs/promises'
import { SEAL_SLOT_LABELS } from '../../contract/sealing'
import type { VerificationReport } from '../../contract/verification'
import type { Core } from '../../core/app'
import { CliError, type Output } from '../io'
import { shanghaiIso } from '../../core/util/shanghai-time'

const STATUS_LABELS: Record<VerificationReport['registryStatus'], string> = {
  active: '现行有效',
  superseded: '已被新版本取代',
  revoked: '已注销',
  pending: '尚未发证（印章未盖齐）',
  unknown: '本系统登记簿中没有这个文件',
}

/** ISO → Shanghai wall time, as the desks read it. */
function shanghai(iso: string | null): string {
  if (!iso) return '无签章时间'
  return `${shanghaiIso(new Date(iso)).slice(0, 19).replace('T', ' ')}（北京时间）`
}

function describe(file: string, report: VerificationReport): string {
  const lines = [`${file}：${report.valid ? '有效' : '无效'} —— ${report.summary}`]
  if (report.certificateNumber)
    lines.push(
      `证书编号：${report.certificateNumber}${report.version ? ` 第 ${report.version} 版` : ''}；登记状态：${STATUS_LABELS[report.registryStatus]}`,
    )
  report.signatures.forEach((signature, index) => {
    const who = signature.sealName ? `${signature.sealName}（${signature.organisationName}）` : signature.signer
    const slot = signature.slot ? SEAL_SLOT_LABELS[signature.slot] : (signature.fieldName ?? '')
    lines.push(`  签章 ${index + 1}（${slot}）：${signature.valid ? '有效' : '无效'} · ${who} · ${shanghai(signature.signingTime)}`)
    for (const problem of signature.problems) lines.push(`    ${problem}`)
  })
  for (const problem of report.problems) lines.push(`  ${problem}`)
  if (report.unsignedFields.length > 0) lines.push(`  尚未签章的印章位置：${report.unsignedFields.join('、')}`)
  return lines.join('\n')
}

/** `certdesk verify FILE.pdf [--json]`: exit 0 when valid, 1 when not, the reason on the first line. */
export async function verify(core: Core, output: Output, file: string | undefined): Promise<number> {
  if (!file) throw new CliError('用法：certdesk verify 文件.pdf [--json]')
  const bytes = await readFile(file).catch(() => {
    throw new CliError(`无法读取文件 ${file}`)
  })
  const report = await core.verification.verifyBytes(new Uint8Array(bytes))
  output.result(report, () => describe(file, report))
  return report.valid ? 0 : 1
}
