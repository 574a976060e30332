/** The error codes of registry/openapi.yaml (components/schemas/Error). */
export type ErrorCode =
  | 'bad_request'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'idempotency_conflict'
  | 'out_of_order'
  | 'file_missing'
  | 'hash_mismatch'
  | 'invalid'
  | 'too_large'
  | 'internal'

export interface ErrorBody {
  code: ErrorCode
  message: string
}

const STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  idempotency_conflict: 409,
  out_of_order: 409,
  file_missing: 422,
  hash_mismatch: 422,
  invalid: 422,
  too_large: 413,
  internal: 500,
}

/** A refusal with its HTTP status and a message for people, in Chinese. */
export class RegistryError extends Error {
  readonly code: ErrorCode
  readonly status: number

  constructor(code: ErrorCode, message: string, status: number = STATUS[code]) {
    super(message)
    this.name = 'RegistryError'
    this.code = code
    this.status = status
  }

  toBody(): ErrorBody {
    return { code: this.code, message: this.message }
  }
}
