/**
 * Stable error codes shared by every transport. The code is for programs, the message is for
 * people: core fills `message` in Chinese (the desks work in Chinese); the renderer may swap in
 * its own translation of the code when the user switched to English.
 */
export const ERROR_CODES = {
  VALIDATION: '输入的内容不符合要求',
  UNAUTHENTICATED: '请先登录',
  SESSION_EXPIRED: '长时间未操作，会话已过期，请重新登录',
  FORBIDDEN: '您没有执行此操作的权限',
  LOGIN_FAILED: '用户名或密码错误',
  LOGIN_THROTTLED: '登录失败次数过多，请稍后再试',
  ACCOUNT_DISABLED: '该账户已停用，请联系系统管理员',
  SETUP_REQUIRED: '系统尚未初始化，请先创建管理员账户',
  SETUP_DONE: '系统已经初始化，不能再次创建初始管理员',
  NOT_FOUND: '要操作的记录不存在',
  CONFLICT: '记录已存在或与现有数据冲突',
  WEAK_PASSWORD: '密码强度不足：至少 10 位，且同时包含字母和数字',
  LAST_ADMIN: '不能移除最后一个可用的系统管理员',
  INVALID_STATE: '当前状态下不能执行此操作',
  UNTRUSTED_SENDER: '请求来源不受信任',
  UNKNOWN_METHOD: '未知的操作',
  TOKEN_MODULE: 'PKCS#11 模块无法加载，请检查模块路径与密钥驱动的安装',
  TOKEN_UNAVAILABLE: '未检测到印章密钥（USB Key）或密钥已被拔出，请插入后重试',
  TOKEN_TIMEOUT: '印章密钥长时间无响应，请拔出后重新插入',
  PIN_INCORRECT: 'PIN 码错误',
  PIN_LOCKED: 'PIN 码已锁定，请联系印章管理部门解锁后再用',
  PIN_FINAL_TRY: '密钥只剩最后一次 PIN 码尝试机会，再输错将被锁定：请确认后再试',
  KEY_NOT_FOUND: '在印章密钥中找不到与证书对应的唯一签名私钥',
  SEAL_CERTIFICATE_INVALID: '印章证书不能用于签章（已过期、尚未生效或没有签名用途）',
  TIMESTAMP_FAILED: '时间戳服务没有给出有效的时间戳',
  INTERNAL: '系统内部错误，请稍后重试或联系系统管理员',
} as const

export type ErrorCode = keyof typeof ERROR_CODES

/** The error half of a result envelope; `details` carries e.g. the field paths of a validation error. */
export interface ApiErrorBody {
  code: ErrorCode
  message: string
  details?: Array<{ path: string; message: string }>
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(ERROR_CODES, value)
}
