import { PHOTO_FIELD, PHOTO_LABEL, PHOTO_REASON_MIN } from '../../../contract/corrections'
import { characterCount } from '../../applications/checks/cell-text'
import { inspectPhoto } from '../../applications/photos/inspect'
import { FileStore } from '../../files/file-store'
import { isPdf } from '../../uploads/pdf-upload'
import { inspectJpeg, inspectPng } from '../../util/image-headers'
import { CORRECTION_HEADERS as HEADER } from '../checks/row-cells'
import { failed, report, type CorrectionRow } from '../checks/types'
import { MAX_PROOF_BYTES, type ProofSource } from './proof-source'

/** A proof to keep with the request, by the name the rows give it. */
export interface ProofContent {
  name: string
  bytes: Buffer
  mediaType: string
}

const IMAGE_NAME = /\.(jpe?g|png)$/i

/**
 * Finds every proof the rows name in the uploaded folder or ZIP and checks it is a PDF, JPEG or
 * PNG within the size limit. A 照片 row needs a special reason and names exactly one image, the new
 * photo, checked like an intake photo; its hash becomes the row's new value. Returns the proofs to
 * keep, by lower-cased name.
 */
export async function collectProofs(source: ProofSource | null, rows: CorrectionRow[]): Promise<Map<string, ProofContent>> {
  const kept = new Map<string, ProofContent>()
  const problems = new Map<string, string>()
  for (const row of rows) {
    const photo = row.text.item === PHOTO_LABEL
    for (const name of row.proofNames) {
      const problem = await fetch(source, name, kept, problems)
      if (problem) report(row, HEADER.proofs, 'PROOF_NOT_FOUND', problem)
    }
    if (photo) checkPhotoRow(row, kept)
  }
  return kept
}

async function fetch(
  source: ProofSource | null,
  name: string,
  kept: Map<string, ProofContent>,
  problems: Map<string, string>,
): Promise<string | null> {
  const key = name.normalize('NFC').toLowerCase()
  if (kept.has(key)) return null
  if (problems.has(key)) return problems.get(key)!
  const problem = await read(source, name, key, kept)
  if (problem) problems.set(key, problem)
  return problem
}

async function read(source: ProofSource | null, name: string, key: string, kept: Map<string, ProofContent>): Promise<string | null> {
  if (!source) return `未上传证明材料，找不到文件 ${name}：请把证明材料放在一个文件夹或 ZIP 中与本表一同上传`
  const file = source.lookup(name)
  if (!file) return `上传的证明材料中没有文件 ${name}`
  const bytes = await source.read(file)
  if (bytes.length > MAX_PROOF_BYTES) return `证明材料 ${name} 超过 ${MAX_PROOF_BYTES / 1024 / 1024} MB 的上限`
  const mediaType = mediaTypeOf(bytes)
  if (!mediaType) return `证明材料 ${name} 不是 PDF、JPEG 或 PNG 文件`
  kept.set(key, { name: file.name, bytes, mediaType })
  return null
}

function mediaTypeOf(bytes: Buffer): string | null {
  if (isPdf(bytes)) return 'application/pdf'
  return (inspectJpeg(bytes) ?? inspectPng(bytes))?.mediaType ?? null
}

/** 照片 only with a special reason and a new photo that passes the intake's photo check. */
function checkPhotoRow(row: CorrectionRow, kept: Map<string, ProofContent>): void {
  if (row.text.reason !== '' && characterCount(row.text.reason) < PHOTO_REASON_MIN) {
    report(
      row,
      HEADER.reason,
      'PHOTO_REASON',
      `照片原则上使用居民身份证照片，无特殊原因不作更换：请写明特殊原因（至少 ${PHOTO_REASON_MIN} 个字）`,
    )
  }
  const images = row.proofNames.filter((name) => IMAGE_NAME.test(name))
  if (images.length !== 1) {
    const detail =
      images.length === 0
        ? '更换照片须在证明材料中列出新照片的文件名（.jpg 或 .png）'
        : `列出了 ${images.length} 张照片，无法确定哪一张是新照片，请只列一张`
    return report(row, HEADER.proofs, 'PHOTO_PROOF_MISSING', detail)
  }
  const photo = kept.get(images[0].normalize('NFC').toLowerCase())
  if (!photo) return
  const inspected = inspectPhoto(photo.bytes)
  if (!inspected.ok) return report(row, HEADER.proofs, inspected.code, `新照片 ${images[0]}：${inspected.message}`)
  const hash = FileStore.hashOf(photo.bytes)
  if (row.field === PHOTO_FIELD && row.certificate?.photoHash === hash) {
    return report(row, HEADER.proofs, 'NEW_VALUE_SAME', `新照片 ${images[0]} 与证书现有的照片相同，没有需要更正的内容`)
  }
  if (!failed(row) && row.field === PHOTO_FIELD) {
    row.oldValue = row.certificate?.photoHash ?? ''
    row.newValue = hash
  }
}
