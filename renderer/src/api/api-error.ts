import type { ApiErrorBody, ErrorCode } from '@contract/errors'

/** A failed contract call, turned back into an exception: the code for programs, the message for people. */
export class ApiError extends Error {
  readonly code: ErrorCode
  readonly details: ApiErrorBody['details']

  constructor(body: ApiErrorBody) {
    super(body.message)
    this.name = 'ApiError'
    this.code = body.code
    this.details = body.details
  }
}

/** Narrows an unknown thrown value to an ApiError. */
export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError
}
