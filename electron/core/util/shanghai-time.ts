/** Shanghai keeps UTC+8 all year (no daylight saving). */
const SHANGHAI_OFFSET_MS = 8 * 3600_000

/**
 * An instant as Shanghai's wall clock, in ISO form: `2026-12-01T18:30:00.000` (+08:00 implied).
 * Callers cut the day, the minute or the second from it, as the desks, PDF and XMP dates want.
 */
export function shanghaiIso(at: Date | number): string {
  const time = typeof at === 'number' ? at : at.getTime()
  return new Date(time + SHANGHAI_OFFSET_MS).toISOString().slice(0, 23)
}
