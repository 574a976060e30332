import type ExcelJS from 'exceljs'
import { FAMILY_LABELS } from '../../../contract/application-format'
import { sheetText } from './escape-cell'
import {
  productionListCells,
  productionListDetails,
  productionListHeaders,
  productionListTitle,
  SIGNATURE_LINE,
  STAMP_LABEL,
  summaryLine,
  type ProductionList,
} from './production-list'
import { BOLD, solidFill, streamingWorkbook, TEXT_FORMAT, THIN_BORDER } from './workbook-support'

const WIDTHS = [6, 20, 12, 6, 16, 22, 18, 18, 8, 14]
const ID_NUMBER_COLUMN = 6
const CENTRED: Partial<ExcelJS.Alignment> = { horizontal: 'center', vertical: 'middle', wrapText: true }
/** Rows of the stamp area: room for a 42 mm seal below the signature line. */
const STAMP_ROWS = 5

/** The paper production list as a workbook for printing: A4 landscape, one page wide, the header row on every page. */
export async function writeProductionListXlsx(list: ProductionList): Promise<Buffer> {
  const { workbook, finish } = streamingWorkbook()
  const columnCount = WIDTHS.length
  const lastColumn = String.fromCharCode(64 + columnCount)
  const details = productionListDetails(list)
  const headerRow = 2 + details.length
  const sheet = workbook.addWorksheet(`${FAMILY_LABELS[list.family]}纸质制证名单`, {
    pageSetup: {
      paperSize: 9,
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      margins: { left: 0.5, right: 0.5, top: 0.6, bottom: 0.7, header: 0.3, footer: 0.3 },
      printTitlesRow: `${headerRow}:${headerRow}`,
    },
    headerFooter: { oddFooter: '&C第 &P 页 / 共 &N 页', differentFirst: false, differentOddEven: false },
    views: [{ state: 'frozen', ySplit: headerRow }],
  })
  sheet.columns = WIDTHS.map((width, index) => ({ width, style: index + 1 === ID_NUMBER_COLUMN ? { numFmt: TEXT_FORMAT } : {} }))

  const merged = (texts: string, font: Partial<ExcelJS.Font>, alignment: Partial<ExcelJS.Alignment>, height?: number) => {
    const row = sheet.addRow([sheetText(texts)])
    row.getCell(1).font = font
    row.getCell(1).alignment = alignment
    if (height) row.height = height
    sheet.mergeCells(`A${row.number}:${lastColumn}${row.number}`)
    row.commit()
  }
  merged(productionListTitle(list), { bold: true, size: 16 }, { horizontal: 'center', vertical: 'middle', wrapText: true }, 32)
  for (const line of details) merged(line, {}, { horizontal: 'left', vertical: 'middle', wrapText: true })

  const header = sheet.addRow(productionListHeaders(list.family))
  header.height = 22
  header.eachCell((cell) => {
    cell.font = BOLD
    cell.fill = solidFill('FFEDEDED')
    cell.border = THIN_BORDER
    cell.alignment = CENTRED
  })
  header.commit()

  list.rows.forEach((item, index) => {
    const cells = productionListCells(item, index)
    const row = sheet.addRow([])
    cells.forEach((text, column) => {
      const cell = row.getCell(column + 1)
      cell.value = column === 0 ? index + 1 : sheetText(text)
      cell.border = THIN_BORDER
      cell.alignment = CENTRED
      if (column + 1 === ID_NUMBER_COLUMN) cell.numFmt = TEXT_FORMAT
    })
    row.commit()
  })

  sheet.addRow([]).commit()
  merged(summaryLine(list), BOLD, { horizontal: 'left', vertical: 'middle' }, 20)
  sheet.addRow([]).commit()
  writeSignatureArea(sheet, lastColumn)
  sheet.commit()
  return finish()
}

/** The head's signature and date on the left, the space for the official stamp on the right. */
function writeSignatureArea(sheet: ExcelJS.Worksheet, lastColumn: string): void {
  const first = sheet.addRow([sheetText(SIGNATURE_LINE)])
  const stampCell = first.getCell(8)
  stampCell.value = sheetText(STAMP_LABEL)
  stampCell.alignment = { horizontal: 'center', vertical: 'bottom' }
  first.getCell(1).alignment = { horizontal: 'left', vertical: 'top' }
  sheet.mergeCells(`A${first.number}:F${first.number}`)
  sheet.mergeCells(`H${first.number}:${lastColumn}${first.number + STAMP_ROWS - 1}`)
  // The merge has made the rows below; size them, then commit them all (committing a row commits those above it).
  for (let index = 0; index < STAMP_ROWS; index++) sheet.getRow(first.number + index).height = 24
  sheet.getRow(first.number + STAMP_ROWS - 1).commit()
}
