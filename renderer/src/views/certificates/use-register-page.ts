import { computed, onMounted, ref } from 'vue'
import { useRoute } from 'vue-router'
import { mayRecordIntegrity } from '@contract/integrity'
import type { Organisation } from '@contract/organisations'
import { api } from '@renderer/api'
import { showError } from '@renderer/components/notify'
import { useAuthStore } from '@renderer/stores/auth'
import { emptyFilters, useCertificatesStore } from '@renderer/stores/certificates'
import type { PreviewTarget } from './register-labels'

const WHOLE_CITY = ['bureau', 'institute']

/**
 * The register page's state: the search, the certificate open in detail (also from `?number=` in
 * the address, so other screens can link to a certificate), the PDF shown, and the integrity dialog.
 */
export function useRegisterPage() {
  const store = useCertificatesStore()
  const auth = useAuthStore()
  const route = useRoute()
  const organisations = ref<Organisation[]>([])
  const detailNumber = ref<string | null>(null)
  /** Bumped after a record is made, so the open detail loads again. */
  const revision = ref(0)
  const previewing = ref<PreviewTarget | null>(null)
  const recording = ref(false)
  const recordFor = ref<string | null>(null)

  const canRecord = computed(() => (auth.user ? mayRecordIntegrity(auth.user) : false))

  async function search(): Promise<void> {
    try {
      await store.search()
    } catch (error) {
      showError(error)
    }
  }

  async function page(direction: 'next' | 'previous'): Promise<void> {
    try {
      await (direction === 'next' ? store.nextPage() : store.previousPage())
    } catch (error) {
      showError(error)
    }
  }

  function reset(): void {
    store.filters = emptyFilters()
    void search()
  }

  /** The applying organisations within the user's reach, for the organisation filter. */
  async function loadOrganisations(): Promise<void> {
    const user = auth.user
    const all = await api.organisations.list({})
    const wholeCity = !user || WHOLE_CITY.includes(user.organisationKind) || user.roles.includes('admin')
    organisations.value = all.filter(
      (organisation) =>
        ['review_body', 'exam_institution'].includes(organisation.kind) &&
        (wholeCity || organisation.id === user.organisationId || organisation.parentId === user.organisationId),
    )
  }

  function openRecord(number: string | null): void {
    recordFor.value = number
    recording.value = true
  }

  function onRecorded(): void {
    revision.value += 1
    void search()
  }

  onMounted(async () => {
    const linked = typeof route.query.number === 'string' ? route.query.number : null
    if (linked) store.filters = { ...emptyFilters(), number: linked }
    await Promise.all([search(), loadOrganisations().catch(showError)])
    if (linked) detailNumber.value = linked.toUpperCase()
  })

  return {
    store,
    organisations,
    detailNumber,
    revision,
    previewing,
    recording,
    recordFor,
    canRecord,
    search,
    page,
    reset,
    openRecord,
    onRecorded,
  }
}
