import type { ApiErrorBody } from './errors'

/**
 * What every call returns across IPC and HTTP. Electron keeps only the message of a thrown
 * error, so errors travel as data and are turned back into exceptions in renderer/src/api.
 */
export type Result<T> = { ok: true; value: T } | { ok: false; error: ApiErrorBody }

export const ok = <T>(value: T): Result<T> => ({ ok: true, value })
export const fail = (error: ApiErrorBody): Result<never> => ({ ok: false, error })
