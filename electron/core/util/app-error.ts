import { ERROR_CODES, type ApiErrorBody, type ErrorCode } from '../../contract/errors'

/** The one exception core throws on purpose; anything else becomes INTERNAL at the boundary. */
export class AppError extends Error {
  readonly code: ErrorCode
  readonly details?: ApiErrorBody['details']

  constructor(code: ErrorCode, message?: string, details?: ApiErrorBody['details']) {
    super(message ?? ERROR_CODES[code])
    this.name = 'AppError'
    this.code = code
    this.details = details
  }

  toBody(): ApiErrorBody {
    return this.details ? { code: this.code, message: this.message, details: this.details } : { code: this.code, message: this.message }
  }
}
