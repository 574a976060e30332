import { randomBytes, randomInt, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto'
import { AppError } from '../util/app-error'

// scrypt N=2^15, r=8, p=1: the OWASP baseline; about 50 ms here, slow enough to hurt guessing.
const PARAMS = { N: 32768, r: 8, p: 1 }
const KEY_LENGTH = 32
const MAX_MEMORY = 64 * 1024 * 1024

function derive(password: string, salt: Buffer, params: typeof PARAMS): Promise<Buffer> {
  const options: ScryptOptions = { ...params, maxmem: MAX_MEMORY }
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, options, (error, key) => (error ? reject(error) : resolve(key))),
  )
}

/** `scrypt$N$r$p$salt$key`, parameters kept so they can be raised later without a migration. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16)
  const key = await derive(password, salt, PARAMS)
  return ['scrypt', PARAMS.N, PARAMS.r, PARAMS.p, salt.toString('base64'), key.toString('base64')].join('$')
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split('$')
  if (scheme !== 'scrypt' || !salt || !key) return false
  const expected = Buffer.from(key, 'base64')
  const actual = await derive(password, Buffer.from(salt, 'base64'), { N: Number(n), r: Number(r), p: Number(p) })
  return actual.length === expected.length && timingSafeEqual(actual, expected)
}

/** Hash compared against when the user does not exist, so timing does not reveal usernames. */
let dummyHash: Promise<string> | null = null
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword(randomBytes(12).toString('hex'))
  return dummyHash
}

/** At least 10 characters with letters and digits; long passphrases pass on length alone. */
export function assertStrongPassword(password: string): void {
  const long = password.length >= 16
  const mixed = password.length >= 10 && /[A-Za-z]/.test(password) && /[0-9]/.test(password)
  if (!long && !mixed) throw new AppError('WEAK_PASSWORD')
}

/** One-time passwords for new accounts and resets: unambiguous letters and digits. */
export function generatePassword(length = 14): string {
  const letters = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ'
  const digits = '23456789'
  const all = letters + digits
  const chars = Array.from({ length }, (_, index) =>
    index === 0 ? letters[randomInt(letters.length)] : index === 1 ? digits[randomInt(digits.length)] : all[randomInt(all.length)],
  )
  return chars.join('')
}
