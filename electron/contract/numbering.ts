import { z } from 'zod'

/**
 * How a certificate number is laid out (clause 6): declaration-year code + the bureau-assigned
 * review-body or exam-project code + a zero-padded serial, upper-case letters and digits only.
 * The order is fixed by the notice; the admin chooses only the widths. Shared by core (which
 * allocates) and the settings page (which shows an example), so it holds no core imports.
 */
export const NumberLayoutSchema = z
  .object({
    yearDigits: z.union([z.literal(2), z.literal(4)]),
    serialDigits: z.number().int().min(4, '流水号至少 4 位').max(8, '流水号最多 8 位'),
  })
  .strict()

export type NumberLayout = z.infer<typeof NumberLayoutSchema>

/** Four-digit year, five-digit serial: 2025 + WSHL + 00001 → 2025WSHL00001. */
export const DEFAULT_NUMBER_LAYOUT: NumberLayout = { yearDigits: 4, serialDigits: 5 }

/**
 * Legacy series continued from a configured serial (clause 6), keyed by four-digit year + code,
 * e.g. { "2025WSHL": 1201 }: the next number of that series is 2025WSHL01201 at the earliest.
 */
export const LegacyStartsSchema = z.record(
  z.string().regex(/^\d{4}[A-Z0-9]{2,12}$/, '续编键应为四位年度加机构代码，例如 2025WSHL'),
  z.number().int().min(1, '起始流水号至少为 1').max(99_999_999),
)
export type LegacyStarts = z.infer<typeof LegacyStartsSchema>

/** The example shown beside the layout on the settings page (no checks: the schema did them). */
export function exampleNumberFor(layout: NumberLayout, year = 2025, code = 'WSHL', serial = 1): string {
  const yearCode = String(year % 10 ** layout.yearDigits).padStart(layout.yearDigits, '0')
  return `${yearCode}${code}${String(serial).padStart(layout.serialDigits, '0')}`
}
