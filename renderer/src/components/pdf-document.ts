import type { PDFDocumentLoadingTask, PDFPageProxy } from 'pdfjs-dist'

type PdfJs = typeof import('pdfjs-dist')

/** A PDF as the contract carries it: base64, with the name (and type) to save it under. */
export interface PdfFile {
  fileName: string
  base64: string
  /** `application/pdf` when not given. */
  mediaType?: string
}

let loaded: Promise<PdfJs> | null = null
// An A4 page at 1.5× is about 900 px wide: readable at a glance without a wall of scrolling.
const MAX_SCALE = 1.5

/**
 * pdf.js, loaded on first use (it is large) with its worker bundled by Vite as a module worker
 * from the app's own origin, which the page's CSP (`default-src 'self'`) allows. One worker
 * serves every document: pdf.js keeps a port it was given and never terminates it.
 */
function loadPdfJs(): Promise<PdfJs> {
  loaded ??= import('pdfjs-dist').then((pdfjs) => {
    const worker = new Worker(new URL('pdfjs-dist/build/pdf.worker.min.mjs', import.meta.url), { type: 'module', name: 'pdfjs' })
    pdfjs.GlobalWorkerOptions.workerPort = worker
    return pdfjs
  })
  return loaded
}

/**
 * Opens a PDF held in memory. The options keep pdf.js inside the CSP: no `new Function` for
 * PDF functions (no unsafe-eval), no WebAssembly decoders (no wasm-unsafe-eval), nothing fetched.
 * pdf.js transfers the buffer to its worker, so it is given a copy.
 */
export async function openPdf(bytes: Uint8Array): Promise<PDFDocumentLoadingTask> {
  const pdfjs = await loadPdfJs()
  return pdfjs.getDocument({
    data: bytes.slice(),
    isEvalSupported: false,
    useWasm: false,
    enableXfa: false,
    stopAtErrors: false,
  })
}

/**
 * Draws one page into a canvas `cssWidth` pixels wide (at most 1.5 times its natural size), sharp
 * on high-density screens.
 */
export async function drawPage(page: PDFPageProxy, canvas: HTMLCanvasElement, cssWidth: number): Promise<void> {
  const natural = page.getViewport({ scale: 1 })
  const cssScale = Math.min(Math.max(cssWidth, 320) / natural.width, MAX_SCALE)
  const viewport = page.getViewport({ scale: cssScale * (window.devicePixelRatio || 1) })
  canvas.width = Math.floor(viewport.width)
  canvas.height = Math.floor(viewport.height)
  canvas.style.width = `${Math.floor(natural.width * cssScale)}px`
  canvas.style.aspectRatio = `${natural.width} / ${natural.height}`
  await page.render({ canvas, viewport }).promise
}

/** Decodes base64 (the contract's transport for files) without a data: URL round trip. */
export function base64ToBytes(base64: string): Uint8Array<ArrayBuffer> {
  const binary = atob(base64)
  const bytes = new Uint8Array(binary.length)
  for (let index = 0; index < binary.length; index += 1) bytes[index] = binary.charCodeAt(index)
  return bytes
}

/** Hands a file to the user through the browser's (or Electron's) own download handling. */
export function saveBytes(bytes: Uint8Array<ArrayBuffer>, fileName: string, type = 'application/pdf'): void {
  const url = URL.createObjectURL(new Blob([bytes], { type }))
  const link = document.createElement('a')
  link.href = url
  link.download = fileName
  link.rel = 'noopener'
  document.body.appendChild(link)
  link.click()
  link.remove()
  // The download has started from the click; revoking later leaves it time to read the blob.
  setTimeout(() => URL.revokeObjectURL(url), 60_000)
}

/** Hands a file from core (a template, an error list, a production list, a document) to the user to save. */
export function saveDownload(file: PdfFile): void {
  saveBytes(base64ToBytes(file.base64), file.fileName, file.mediaType)
}
