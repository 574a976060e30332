import * as pkcs11js from 'pkcs11js'
import { describe, expect, it } from 'vitest'
import { ckrName, isTokenFault, pkcs11Error } from '../../electron/core/sealing/pkcs11/errors'
import { AppError } from '../../electron/core/util/app-error'

/** A real pkcs11js error, built the way pkcs11js builds it from the native "NAME:code" text. */
function ckr(name: string, code: number): Error {
  return new pkcs11js.Pkcs11Error(`${name}:${code}`)
}

describe('CK_RV → AppError', () => {
  it('reads the CKR name pkcs11js puts in the message', () => {
    const error = ckr('CKR_PIN_INCORRECT', 0xa0)
    expect(error.message).toBe('CKR_PIN_INCORRECT')
    expect(ckrName(error)).toBe('CKR_PIN_INCORRECT')
    expect(ckrName(new Error('dlopen failed'))).toBeNull()
    expect(ckrName('CKR_OK')).toBeNull()
  })

  it.each([
    ['CKR_PIN_INCORRECT', 0xa0, 'PIN_INCORRECT'],
    ['CKR_PIN_LEN_RANGE', 0xa2, 'PIN_INCORRECT'],
    ['CKR_PIN_LOCKED', 0xa4, 'PIN_LOCKED'],
    ['CKR_KEY_FUNCTION_NOT_PERMITTED', 0x68, 'KEY_NOT_FOUND'],
    ['CKR_DEVICE_REMOVED', 0x32, 'TOKEN_UNAVAILABLE'],
    ['CKR_TOKEN_NOT_PRESENT', 0xe0, 'TOKEN_UNAVAILABLE'],
    ['CKR_SESSION_HANDLE_INVALID', 0xb3, 'TOKEN_UNAVAILABLE'],
    ['CKR_SESSION_CLOSED', 0xb0, 'TOKEN_UNAVAILABLE'],
    ['CKR_OBJECT_HANDLE_INVALID', 0x82, 'TOKEN_UNAVAILABLE'],
    ['CKR_KEY_HANDLE_INVALID', 0x60, 'TOKEN_UNAVAILABLE'],
    ['CKR_GENERAL_ERROR', 0x5, 'TOKEN_UNAVAILABLE'],
    ['CKR_DEVICE_ERROR', 0x30, 'TOKEN_UNAVAILABLE'],
    ['CKR_TOKEN_NOT_RECOGNIZED', 0xe1, 'TOKEN_UNAVAILABLE'],
    ['CKR_CRYPTOKI_NOT_INITIALIZED', 0x190, 'TOKEN_UNAVAILABLE'],
    ['CKR_MECHANISM_INVALID', 0x70, 'INTERNAL'],
  ])('%s becomes %s, its message naming the operation and the CKR', (name, code, expected) => {
    const error = pkcs11Error('签名', ckr(name, code))
    expect(error).toBeInstanceOf(AppError)
    expect(error.code).toBe(expected)
    expect(error.message).toContain(`（签名：${name}）`)
    expect(isTokenFault(ckr(name, code))).toBe(expected === 'TOKEN_UNAVAILABLE')
    expect(isTokenFault(error)).toBe(expected === 'TOKEN_UNAVAILABLE')
  })

  it('passes AppErrors through, wraps anything else as INTERNAL, and counts timeouts as token faults', () => {
    const original = new AppError('PIN_FINAL_TRY')
    expect(pkcs11Error('登录', original)).toBe(original)
    expect(pkcs11Error('登录', new TypeError('Argument 2 has wrong type'))).toMatchObject({
      code: 'INTERNAL',
      message: '登录失败：Argument 2 has wrong type',
    })
    expect(isTokenFault(new AppError('TOKEN_TIMEOUT'))).toBe(true)
    expect(isTokenFault(new AppError('PIN_INCORRECT'))).toBe(false)
    expect(isTokenFault(new Error('CKR_PIN_INCORRECT'))).toBe(false)
  })
})
