import { describe, expect, it } from 'vitest'
import { AppError } from '../../electron/core/util/app-error'
import { assertStrongPassword, generatePassword, hashPassword, verifyPassword } from '../../electron/core/users/passwords'

function weak(password: string): boolean {
  try {
    assertStrongPassword(password)
    return false
  } catch (error) {
    expect(error).toBeInstanceOf(AppError)
    expect((error as AppError).code).toBe('WEAK_PASSWORD')
    return true
  }
}

describe('hashPassword and verifyPassword', () => {
  it('stores scrypt with its parameters, a random salt and a 32-byte key; never the password', async () => {
    const password = 'Correct-horse-2026'
    const [one, two] = await Promise.all([hashPassword(password), hashPassword(password)])
    const parts = one.split('$')
    expect(parts.slice(0, 4)).toEqual(['scrypt', '32768', '8', '1'])
    expect(Buffer.from(parts[4], 'base64')).toHaveLength(16)
    expect(Buffer.from(parts[5], 'base64')).toHaveLength(32)
    expect(one).not.toContain(password)
    expect(two).not.toBe(one)
    expect(await verifyPassword(password, one)).toBe(true)
    expect(await verifyPassword(password, two)).toBe(true)
    expect(await verifyPassword('Correct-horse-2027', one)).toBe(false)
    expect(await verifyPassword('', one)).toBe(false)
  })

  it('treats compatibility forms of the same characters as the same password (NFKC)', async () => {
    const stored = await hashPassword('Pass-word-2026')
    // Full-width letters and digits, as a Chinese input method may type them.
    expect(await verifyPassword('Ｐａｓｓ-ｗｏｒｄ-２０２６', stored)).toBe(true)
  })

  it('refuses stored values that are not scrypt hashes', async () => {
    expect(await verifyPassword('anything', 'plain-text')).toBe(false)
    expect(await verifyPassword('anything', 'bcrypt$10$abc$def$ghi$jkl')).toBe(false)
    expect(await verifyPassword('anything', '')).toBe(false)
  })
})

describe('assertStrongPassword', () => {
  it('wants at least 10 characters with both letters and digits', () => {
    expect(weak('Abcdefgh12')).toBe(false)
    expect(weak('Abcdefg12')).toBe(true)
    expect(weak('abcdefghij')).toBe(true)
    expect(weak('1234567890')).toBe(true)
    expect(weak('')).toBe(true)
  })

  it('lets a long passphrase pass on length alone', () => {
    expect(weak('correct horse battery')).toBe(false)
    expect(weak('sixteen-letters!')).toBe(false)
    expect(weak('fifteen-letters')).toBe(true)
  })
})

describe('generatePassword', () => {
  it('always meets the strength rule, with unambiguous characters only', () => {
    const seen = new Set<string>()
    for (let index = 0; index < 500; index += 1) {
      const password = generatePassword()
      expect(password).toHaveLength(14)
      expect(weak(password)).toBe(false)
      expect(password).toMatch(/^[A-HJ-NP-Za-km-z2-9]+$/)
      seen.add(password)
    }
    expect(seen.size).toBe(500)
  })

  it('meets the rule at the shortest length that still can', () => {
    for (let index = 0; index < 100; index += 1) expect(weak(generatePassword(10))).toBe(false)
  })
})
