import { ERROR_CODES, type ErrorCode } from '../../../contract/errors'
import { AppError } from '../../util/app-error'

/**
 * CK_RV names that mean the key went away under us: pulled out mid-batch, its reader reset, or
 * the module finalised behind our back. The caller pauses and, once the key is back, asks for
 * `reinitialize` (C_Finalize + C_Initialize): SoftHSM2 and several USB-key drivers answer
 * CKR_GENERAL_ERROR to every new session until then.
 */
const TOKEN_FAULTS: ReadonlySet<string> = new Set([
  'CKR_DEVICE_REMOVED',
  'CKR_TOKEN_NOT_PRESENT',
  'CKR_SESSION_HANDLE_INVALID',
  'CKR_SESSION_CLOSED',
  'CKR_OBJECT_HANDLE_INVALID',
  'CKR_KEY_HANDLE_INVALID',
  'CKR_GENERAL_ERROR',
  'CKR_DEVICE_ERROR',
  'CKR_TOKEN_NOT_RECOGNIZED',
  'CKR_CRYPTOKI_NOT_INITIALIZED',
  'CKR_SLOT_ID_INVALID',
])

/** The CK_RV names with a code of their own; any other becomes INTERNAL, still naming the CKR. */
const CODES: Readonly<Record<string, ErrorCode>> = {
  CKR_PIN_INCORRECT: 'PIN_INCORRECT',
  CKR_PIN_INVALID: 'PIN_INCORRECT',
  CKR_PIN_LEN_RANGE: 'PIN_INCORRECT',
  CKR_PIN_LOCKED: 'PIN_LOCKED',
  CKR_PIN_EXPIRED: 'PIN_LOCKED',
  CKR_KEY_FUNCTION_NOT_PERMITTED: 'KEY_NOT_FOUND',
  ...Object.fromEntries([...TOKEN_FAULTS].map((name) => [name, 'TOKEN_UNAVAILABLE' as const])),
}

/**
 * The CK_RV name of a pkcs11js error (its message is the bare name, e.g. 'CKR_PIN_INCORRECT'),
 * or null for anything else. Duck-typed so the main thread can use it without loading pkcs11js.
 */
export function ckrName(error: unknown): string | null {
  if (!(error instanceof Error)) return null
  const match = /^(CKR_[A-Z0-9_]+)/.exec(error.message)
  return match ? match[1] : null
}

/**
 * Turns whatever a PKCS#11 call threw into the AppError the desks see: the code for programs, a
 * Chinese message naming the operation and the CKR name for people. `operation` is a short
 * Chinese phrase ('登录', '签名'); nothing the caller passed in (a PIN above all) goes in the text.
 */
export function pkcs11Error(operation: string, error: unknown): AppError {
  if (error instanceof AppError) return error
  const name = ckrName(error)
  if (name === null) {
    const reason = error instanceof Error ? error.message : String(error)
    return new AppError('INTERNAL', `${operation}失败：${reason}`)
  }
  const code = CODES[name] ?? 'INTERNAL'
  const message = code === 'INTERNAL' ? `印章密钥${operation}失败` : ERROR_CODES[code]
  return new AppError(code, `${message}（${operation}：${name}）`)
}

/**
 * Whether an error means the key is gone rather than wrong: a PKCS#11 fault code, or the
 * TOKEN_UNAVAILABLE / TOKEN_TIMEOUT AppError made from one. A batch pauses on these and offers
 * to go on once the key is back; on anything else it stops.
 */
export function isTokenFault(error: unknown): boolean {
  if (error instanceof AppError) return error.code === 'TOKEN_UNAVAILABLE' || error.code === 'TOKEN_TIMEOUT'
  const name = ckrName(error)
  return name !== null && TOKEN_FAULTS.has(name)
}
