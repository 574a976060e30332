import { SETTING_DEFINITIONS, SETTING_KEYS, type SettingKey } from '@contract/settings'
import { LegacyStartsSchema, NumberLayoutSchema, type LegacyStarts, type NumberLayout } from '@contract/numbering'

/** Structured settings with a section of their own (the certificate-number rules) instead of one input. */
export const NUMBERING_KEYS = ['numbering.layout', 'numbering.legacyStarts', 'applications.extraIdTypes'] as const satisfies SettingKey[]

/** Settings managed on a desk of their own, not here: the seal keys' modules on the sealing desk (密钥). */
export const DESK_KEYS = ['sealing.modules'] as const satisfies SettingKey[]

/** Settings edited with a single input. */
export type ScalarSettingKey = Exclude<SettingKey, (typeof NUMBERING_KEYS)[number] | (typeof DESK_KEYS)[number]>

/** How a setting is edited, read off its schema so a key added to the contract shows up by itself. */
export type SettingField =
  | { key: ScalarSettingKey; kind: 'number'; min?: number; max?: number }
  | { key: ScalarSettingKey; kind: 'enum'; options: string[] }
  | { key: ScalarSettingKey; kind: 'boolean' }
  | { key: ScalarSettingKey; kind: 'text' }

interface SchemaShape {
  type?: string
  minValue?: number | null
  maxValue?: number | null
  options?: unknown[]
}

function fieldOf(key: ScalarSettingKey): SettingField {
  const schema = SETTING_DEFINITIONS[key].schema as unknown as SchemaShape
  switch (schema.type) {
    case 'number':
      return { key, kind: 'number', min: schema.minValue ?? undefined, max: schema.maxValue ?? undefined }
    case 'enum':
      return { key, kind: 'enum', options: (schema.options ?? []).map(String) }
    case 'boolean':
      return { key, kind: 'boolean' }
    default:
      return { key, kind: 'text' }
  }
}

function isScalar(key: SettingKey): key is ScalarSettingKey {
  return !(NUMBERING_KEYS as readonly string[]).includes(key) && !(DESK_KEYS as readonly string[]).includes(key)
}

export const SETTING_FIELDS: SettingField[] = SETTING_KEYS.filter(isScalar).map(fieldOf)

/** The layout as edited: the serial width is text while typed (what a native input holds). */
export interface LayoutDraft {
  yearDigits: 2 | 4
  serialDigits: string
}

/** The layout the draft stands for, or null while it is not one (empty, out of 4–8). */
export function layoutOf(draft: LayoutDraft): NumberLayout | null {
  const parsed = NumberLayoutSchema.safeParse({ yearDigits: draft.yearDigits, serialDigits: Number(draft.serialDigits) })
  return draft.serialDigits.trim() !== '' && parsed.success ? parsed.data : null
}

/** One row of the legacy-starts editor: a series key such as 2025WSHL and its first serial, as typed. */
export interface LegacyStartRow {
  key: string
  start: string
}

export function toLegacyRows(starts: LegacyStarts): LegacyStartRow[] {
  return Object.entries(starts)
    .sort(([left], [right]) => left.localeCompare(right))
    .map(([key, start]) => ({ key, start: String(start) }))
}

/** The year and code of a series key (2025WSHL → 2025, WSHL), or null when it is not one. */
export function seriesOf(key: string): { year: number; code: string } | null {
  const match = /^(\d{4})([A-Z0-9]{2,12})$/.exec(key.trim().toUpperCase())
  return match ? { year: Number(match[1]), code: match[2] } : null
}

/**
 * The rows as the setting's value, checked like core checks it; `error` names the first problem
 * (a message key of `settings.numbering` with its parameters) so the page can say it in either language.
 */
export function fromLegacyRows(
  rows: LegacyStartRow[],
): { value: LegacyStarts } | { error: { key: string; params: Record<string, string | number> } } {
  const value: Record<string, number> = {}
  for (const [index, row] of rows.entries()) {
    const key = row.key.trim().toUpperCase()
    const start = Number(row.start)
    if (!seriesOf(key)) return { error: { key: 'legacyKeyInvalid', params: { row: index + 1 } } }
    if (key in value) return { error: { key: 'legacyKeyDuplicate', params: { key } } }
    if (row.start.trim() === '' || !Number.isInteger(start) || start < 1 || start > 99_999_999) {
      return { error: { key: 'legacyStartInvalid', params: { row: index + 1 } } }
    }
    value[key] = start
  }
  const parsed = LegacyStartsSchema.safeParse(value)
  return parsed.success ? { value: parsed.data } : { error: { key: 'legacyStartInvalid', params: { row: rows.length } } }
}

/** Same content, whatever the order of the keys: decides which keys the section's save writes. */
export function sameValue(left: unknown, right: unknown): boolean {
  const canonical = (value: unknown): string =>
    JSON.stringify(value, (_key, item: unknown) =>
      item && typeof item === 'object' && !Array.isArray(item)
        ? Object.fromEntries(Object.entries(item as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
        : item,
    )
  return canonical(left) === canonical(right)
}
