import type { DocumentRenderer, PassCertificateInput, QuerySlipInput, TitleCertificateInput, VocationalCertificateInput } from './types'

/** One document to render, as posted to a worker (structured-clone safe). */
export type RenderTask =
  | { kind: 'title'; input: TitleCertificateInput }
  | { kind: 'vocational'; input: VocationalCertificateInput }
  | { kind: 'querySlip'; input: QuerySlipInput }
  | { kind: 'passCertificate'; input: PassCertificateInput }

/** Renders a task with a renderer: what a pool worker does, and what a single render in process does. */
export function renderTask(renderer: DocumentRenderer, task: RenderTask): Promise<Uint8Array> {
  switch (task.kind) {
    case 'title':
      return renderer.renderTitleCertificate(task.input)
    case 'vocational':
      return renderer.renderVocationalCertificate(task.input)
    case 'querySlip':
      return renderer.renderQuerySlip(task.input)
    case 'passCertificate':
      return renderer.renderPassCertificate(task.input)
  }
}
