import { describe, expect, it } from 'vitest'
import { lockoutMs, remainingLockoutMs } from '../../electron/core/auth/throttle'

describe('lockoutMs', () => {
  it('costs nothing within the free attempts', () => {
    expect([0, 1, 2].map((failures) => lockoutMs(failures, 3))).toEqual([0, 0, 0])
  })

  it('starts at 2 s and doubles with every further failure', () => {
    expect([3, 4, 5, 6].map((failures) => lockoutMs(failures, 3))).toEqual([2000, 4000, 8000, 16000])
    expect(lockoutMs(1, 1)).toBe(2000)
  })

  it('never exceeds 15 minutes', () => {
    expect(lockoutMs(12, 3)).toBe(15 * 60_000)
    expect(lockoutMs(1000, 3)).toBe(15 * 60_000)
  })
})

describe('remainingLockoutMs', () => {
  const failedAt = '2026-11-28T08:00:00.000Z'
  const at = (ms: number) => new Date(new Date(failedAt).getTime() + ms)

  it('is zero without a recorded failure', () => {
    expect(remainingLockoutMs(10, null, 3, at(0))).toBe(0)
  })

  it('counts down from the last failure and reaches zero when the lockout is over', () => {
    expect(remainingLockoutMs(3, failedAt, 3, at(0))).toBe(2000)
    expect(remainingLockoutMs(3, failedAt, 3, at(1500))).toBe(500)
    expect(remainingLockoutMs(3, failedAt, 3, at(2000))).toBe(0)
    expect(remainingLockoutMs(3, failedAt, 3, at(60_000))).toBe(0)
  })

  it('is zero while failures are within the free attempts', () => {
    expect(remainingLockoutMs(2, failedAt, 3, at(0))).toBe(0)
  })
})
