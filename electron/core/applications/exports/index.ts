/**
 * What the production-application desk hands out: the unified-format template, the error
 * workbook of an import, and the paper production list of an approved batch (xlsx and PDF).
 */
export { escapeCell, sheetText, MAX_CELL_CHARACTERS } from './escape-cell'
export { writeTemplate, templateSheetName, LIST_SHEET, type TemplateOptions } from './template'
export { INSTRUCTIONS_SHEET } from './template-instructions'
export { writeErrorWorkbook, ERROR_HEADER, ROW_NUMBER_HEADER, type ErrorRow, type ErrorWorkbookOptions } from './error-workbook'
export {
  productionListTitle,
  summaryLine,
  SIGNATURE_LINE,
  STAMP_LABEL,
  type ProductionList,
  type ProductionListApproval,
  type ProductionListRow,
} from './production-list'
export { writeProductionListXlsx } from './production-list-xlsx'
export { writeProductionListPdf, type ProductionListPdfOptions } from './production-list-pdf'
