import type { PassCertificateInput, QuerySlipInput, TitleCertificateInput, VocationalCertificateInput } from './types'

/** One document to render, as posted to a worker (structured-clone safe). */
export type RenderTask =
  | { kind: 'title'; input: TitleCertificateInput }
  | { kind: 'vocational'; input: VocationalCertificateInput }
  | { kind: 'querySlip'; input: QuerySlipInput }
  | { kind: 'passCertificate'; input: PassCertificateInput }
