import { onMounted, ref } from 'vue'
import { useI18n } from 'vue-i18n'
import type { CertificateStatus, CertificateSummary } from '@contract/certificates'
import { showError } from '@renderer/components/notify'
import { labelOr } from '@renderer/locales'
import { useCertificatesStore } from '@renderer/stores/certificates'

const STATUS_TAGS: Record<CertificateStatus, 'success' | 'info' | 'danger' | 'warning'> = {
  pending: 'warning',
  active: 'success',
  superseded: 'info',
  revoked: 'danger',
}

/** The certificates table: search, labels for its coded columns, and which certificate is previewed. */
export function useCertificatesTable() {
  const { t } = useI18n()
  const store = useCertificatesStore()
  const previewing = ref<string | null>(null)

  async function load(): Promise<void> {
    try {
      await store.load()
    } catch (error) {
      showError(error)
    }
  }

  /** Enter searches, except while an input method is still composing (typing a Chinese name). */
  function onSearchKeydown(event: Event | KeyboardEvent): void {
    if (event instanceof KeyboardEvent && event.key === 'Enter' && !event.isComposing) void load()
  }

  // Title levels are codes; a vocational level is free text from the certificate (一级, 高级技师…).
  function levelLabel(row: CertificateSummary): string {
    if (!row.level) return t('common.none')
    return row.family === 'title' ? labelOr('certificates.titleLevels', row.level) : row.level
  }

  function statusTag(status: CertificateStatus): 'success' | 'info' | 'danger' | 'warning' {
    return STATUS_TAGS[status] ?? 'info'
  }

  function openPreview(row: CertificateSummary): void {
    previewing.value = row.number
  }

  onMounted(load)

  return { store, previewing, load, onSearchKeydown, levelLabel, statusTag, openPreview }
}
