import { existsSync } from 'node:fs'
import { isAbsolute } from 'node:path'
import * as pkcs11js from 'pkcs11js'
import { ERROR_CODES } from '../../../contract/errors'
import { AppError } from '../../util/app-error'
import { ckrName, pkcs11Error } from './errors'
import type { SlotDescription, TokenDescription, TokenFlags, TokenSelector } from './protocol'

/** CK_SLOT_INFO's "token present" flag: pkcs11js exports it, but its typings do not declare it. */
const CKF_TOKEN_PRESENT = 0x1

/** One loaded PKCS#11 module: a PKCS11 instance per path, initialised once. */
export interface LoadedModule {
  path: string
  pkcs11: pkcs11js.PKCS11
}

/** A token found by its selector: the slot it sits in now, and what it says about itself. */
export interface FoundToken {
  slot: Buffer
  token: TokenDescription
}

function moduleError(path: string, reason: string): AppError {
  return new AppError('TOKEN_MODULE', `${ERROR_CODES.TOKEN_MODULE}（${path}：${reason}）`)
}

/**
 * C_Initialize with OS locking allowed: without CKF_OS_LOCKING_OK a module may assume one thread,
 * and a worker replaced after a hang can still be inside it. CKR_CRYPTOKI_ALREADY_INITIALIZED is
 * fine: the module is per process, and someone else in it (another TokenHost, a test) got there first.
 */
function initialize(path: string, pkcs11: pkcs11js.PKCS11): void {
  try {
    pkcs11.C_Initialize({ flags: pkcs11js.CKF_OS_LOCKING_OK })
  } catch (error) {
    if (ckrName(error) === 'CKR_CRYPTOKI_ALREADY_INITIALIZED') return
    throw moduleError(path, `初始化失败 ${ckrName(error) ?? String(error)}`)
  }
}

function load(path: string): pkcs11js.PKCS11 {
  // A bare name would be searched for on the library path: only ever load the file the user chose.
  if (!isAbsolute(path)) throw moduleError(path, '模块路径必须是绝对路径')
  if (!existsSync(path)) throw moduleError(path, '模块文件不存在')
  const pkcs11 = new pkcs11js.PKCS11()
  try {
    pkcs11.load(path)
  } catch (error) {
    throw moduleError(path, error instanceof Error ? error.message : String(error))
  }
  initialize(path, pkcs11)
  return pkcs11
}

/** The modules this worker has loaded, one PKCS11 instance per path, initialised once. */
export class ModuleRegistry {
  private readonly modules = new Map<string, LoadedModule>()

  /** The module at `path`, loaded and initialised on first use. */
  get(path: string): LoadedModule {
    let loaded = this.modules.get(path)
    if (!loaded) {
      loaded = { path, pkcs11: load(path) }
      this.modules.set(path, loaded)
    }
    return loaded
  }

  /** C_Finalize + C_Initialize: the only thing that brings SoftHSM2 (and some drivers) back after a removal. */
  reinitialize(path: string): LoadedModule {
    const loaded = this.modules.get(path)
    if (!loaded) return this.get(path)
    try {
      loaded.pkcs11.C_Finalize()
    } catch {
      // Already finalised, or the driver is confused: C_Initialize below decides.
    }
    initialize(path, loaded.pkcs11)
    return loaded
  }

  /** C_Finalize every module (on close and at process exit); the worker is done afterwards. */
  finalizeAll(): void {
    for (const loaded of this.modules.values()) {
      try {
        loaded.pkcs11.C_Finalize()
      } catch {
        // Nothing more to do for a module that cannot even finalise.
      }
    }
    this.modules.clear()
  }
}

function trimmed(value: string): string {
  return value.replace(/[\s\0]+$/u, '')
}

function flagsOf(flags: number): TokenFlags {
  return {
    loginRequired: (flags & pkcs11js.CKF_LOGIN_REQUIRED) !== 0,
    userPinCountLow: (flags & pkcs11js.CKF_USER_PIN_COUNT_LOW) !== 0,
    userPinFinalTry: (flags & pkcs11js.CKF_USER_PIN_FINAL_TRY) !== 0,
    userPinLocked: (flags & pkcs11js.CKF_USER_PIN_LOCKED) !== 0,
    userPinToBeChanged: (flags & pkcs11js.CKF_USER_PIN_TO_BE_CHANGED) !== 0,
    tokenInitialized: (flags & pkcs11js.CKF_TOKEN_INITIALIZED) !== 0,
  }
}

/** C_GetTokenInfo, as the plain description the desks see. */
export function tokenInfo(pkcs11: pkcs11js.PKCS11, slot: Buffer): TokenDescription {
  const info = pkcs11.C_GetTokenInfo(slot)
  return {
    label: trimmed(info.label),
    manufacturer: trimmed(info.manufacturerID),
    model: trimmed(info.model),
    serial: trimmed(info.serialNumber),
    flags: flagsOf(info.flags),
  }
}

/** A CK_ULONG (a CK_SLOT_ID handle, a CKA_KEY_TYPE value): little-endian, 4 or 8 bytes by platform. */
export function ulongValue(value: Buffer): number {
  let result = 0
  for (let index = value.length - 1; index >= 0; index -= 1) result = result * 256 + value[index]
  return result
}

/** Every slot of the module, with its token when one is present. */
export function listSlots(loaded: LoadedModule): SlotDescription[] {
  const { pkcs11 } = loaded
  try {
    return pkcs11.C_GetSlotList(false).map((slot) => {
      const info = pkcs11.C_GetSlotInfo(slot)
      const tokenPresent = (info.flags & CKF_TOKEN_PRESENT) !== 0
      return {
        slotId: String(ulongValue(slot)),
        description: trimmed(info.slotDescription),
        manufacturer: trimmed(info.manufacturerID),
        tokenPresent,
        token: tokenPresent ? tokenInfo(pkcs11, slot) : null,
      }
    })
  } catch (error) {
    throw pkcs11Error('列出插槽', error)
  }
}

function describe(selector: TokenSelector): string {
  return [selector.serial ? `序列号为“${selector.serial}”` : '', selector.label ? `标签为“${selector.label}”` : '']
    .filter(Boolean)
    .join('、')
}

function matches(token: TokenDescription, selector: TokenSelector): boolean {
  if (!token.flags.tokenInitialized) return false
  if (selector.serial !== undefined && token.serial !== selector.serial) return false
  return selector.label === undefined || token.label === selector.label
}

/** The one initialised token matching `selector`; none or several is an error, never a guess. */
export function findToken(loaded: LoadedModule, selector: TokenSelector): FoundToken {
  if (!selector.serial && !selector.label) throw new AppError('VALIDATION', '请指定印章密钥的序列号或标签')
  const found: FoundToken[] = []
  try {
    for (const slot of loaded.pkcs11.C_GetSlotList(true)) {
      const token = tokenInfo(loaded.pkcs11, slot)
      if (matches(token, selector)) found.push({ slot, token })
    }
  } catch (error) {
    throw pkcs11Error('查找印章密钥', error)
  }
  if (found.length === 0) throw new AppError('TOKEN_UNAVAILABLE', `${ERROR_CODES.TOKEN_UNAVAILABLE}（未找到${describe(selector)}的密钥）`)
  if (found.length > 1) throw new AppError('VALIDATION', `有 ${found.length} 个密钥符合${describe(selector)}，请按序列号选择`)
  return found[0]
}
