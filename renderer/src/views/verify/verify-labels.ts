import { SEAL_SLOTS, type SealSlot } from '@contract/sealing'
import type { RegistryStatus } from '@contract/verification'
import type { TagType } from '@renderer/components/tag-type'
import { labelOr } from '@renderer/locales'

const REGISTRY_TAGS: Record<RegistryStatus, TagType> = {
  active: 'success',
  superseded: 'warning',
  revoked: 'danger',
  pending: 'warning',
  unknown: 'danger',
}

/** 现行有效, 已注销… in the current language. */
export function registryLabel(status: RegistryStatus): string {
  return labelOr('verify.registryStatuses', status)
}

export function registryTag(status: RegistryStatus): TagType {
  return REGISTRY_TAGS[status] ?? 'info'
}

/** A signature field as the seal it stands for: seal_bureau → 市人社局印章; another name as it is. */
export function fieldLabel(fieldName: string): string {
  const slot = fieldName.startsWith('seal_') ? fieldName.slice(5) : null
  return slot && (SEAL_SLOTS as readonly string[]).includes(slot) ? labelOr('sealing.slots', slot as SealSlot) : fieldName
}

/** Whether a picked file looks like a PDF (name or type); the verifier reads the bytes themselves. */
export function looksLikePdf(file: File): boolean {
  return file.type === 'application/pdf' || file.name.toLowerCase().endsWith('.pdf')
}
