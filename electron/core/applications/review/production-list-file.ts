import type { DownloadFile } from '../../../contract/applications'
import type { BatchRow, Db } from './batch-rows'
import { productionListData } from './production-list-data'

const MEDIA_TYPES = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
} as const

/**
 * The production list of an approved batch as a file. The writers (exceljs, pdf-lib and the CJK
 * font) load on the first export, not when the app or the CLI starts.
 */
export async function productionListFile(db: Db, batch: BatchRow, format: 'xlsx' | 'pdf'): Promise<DownloadFile> {
  const list = await productionListData(db, batch)
  const bytes =
    format === 'xlsx'
      ? await (await import('../exports/production-list-xlsx')).writeProductionListXlsx(list)
      : await (await import('../exports/production-list-pdf')).writeProductionListPdf(list)
  return {
    fileName: `制证名单-${batch.organisation_name}-批次${batch.id}.${format}`,
    mediaType: MEDIA_TYPES[format],
    base64: Buffer.from(bytes).toString('base64'),
  }
}
