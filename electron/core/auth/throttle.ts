/**
 * How long a user must wait after `failures` consecutive failed logins: nothing for the free
 * attempts, then 2 s doubling up to 15 minutes. Counted in the database, so restarting the app
 * does not reset it.
 */
export function lockoutMs(failures: number, freeAttempts: number): number {
  if (failures < freeAttempts) return 0
  return Math.min(2000 * 2 ** (failures - freeAttempts), 15 * 60_000)
}

export function remainingLockoutMs(failures: number, lastFailedAt: string | null, freeAttempts: number, now: Date): number {
  if (!lastFailedAt) return 0
  const until = new Date(lastFailedAt).getTime() + lockoutMs(failures, freeAttempts)
  return Math.max(0, until - now.getTime())
}
