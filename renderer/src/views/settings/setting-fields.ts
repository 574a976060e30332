import { SETTING_DEFINITIONS, SETTING_KEYS, type SettingKey } from '@contract/settings'

/** How a setting is edited, read off its schema so a key added to the contract shows up by itself. */
export type SettingField =
  | { key: SettingKey; kind: 'number'; min?: number; max?: number }
  | { key: SettingKey; kind: 'enum'; options: string[] }
  | { key: SettingKey; kind: 'boolean' }
  | { key: SettingKey; kind: 'text' }

interface SchemaShape {
  type?: string
  minValue?: number | null
  maxValue?: number | null
  options?: unknown[]
}

function fieldOf(key: SettingKey): SettingField {
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

export const SETTING_FIELDS: SettingField[] = SETTING_KEYS.map(fieldOf)
