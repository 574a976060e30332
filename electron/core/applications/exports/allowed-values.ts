import { GENDERS, ID_TYPES, VOCATIONAL_LEVELS, type ColumnDefinition } from '../../../contract/application-format'
import { TITLE_LEVEL_LABELS, TITLE_LEVELS } from '../../../contract/certificates'

/**
 * The values an enumerated column accepts, in the order the drop-down lists them, or null for a
 * free-text column. The ID types are the notice's five plus those the administrator added.
 */
export function allowedValuesOf(column: { kind: ColumnDefinition['kind'] | string }, extraIdTypes: readonly string[]): string[] | null {
  switch (column.kind) {
    case 'gender':
      return [...GENDERS]
    case 'idType':
      return [...new Set([...ID_TYPES, ...extraIdTypes.map((type) => type.trim()).filter((type) => type !== '')])]
    case 'titleLevel':
      return TITLE_LEVELS.map((level) => TITLE_LEVEL_LABELS[level])
    case 'vocationalLevel':
      return [...VOCATIONAL_LEVELS]
    default:
      return null
  }
}
