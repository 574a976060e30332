import ExcelJS from 'exceljs'
import { BOLD, TEXT_FORMAT, WORKBOOK_CREATOR } from '../applications/exports/workbook-support'
import { NUMBER_HEADER } from './revocation-list'

/** Rows formatted as text: a number typed there is never turned into a date or a rounded figure. */
const TEXT_ROWS = 5001

/**
 * The blank revocation list: one sheet with the 证书编号 header, the column formatted as text
 * and a note beside the header. Any workbook with that header is read the same way.
 */
export async function writeRevocationTemplate(): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook()
  workbook.creator = WORKBOOK_CREATOR
  const sheet = workbook.addWorksheet('注销名单')
  sheet.columns = [
    { header: NUMBER_HEADER, key: 'number', width: 24, style: { numFmt: TEXT_FORMAT } },
    // In the header row, where it is never read as an entry.
    { header: '说明：每行填写一个要注销的证书编号（大写字母和数字）', key: 'note', width: 60 },
  ]
  sheet.getRow(1).font = BOLD
  for (let row = 2; row <= TEXT_ROWS; row += 1) sheet.getCell(`A${row}`).numFmt = TEXT_FORMAT
  return Buffer.from(await workbook.xlsx.writeBuffer())
}
