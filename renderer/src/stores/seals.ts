import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { SealAppearanceInfo, SealInfo, SealScope } from '@contract/seals'
import { api } from '@renderer/api'
import { upsertById } from './upsert'

/** What the admin enters to register a seal: whose, what for, and the token certificate it signs with. */
export interface RegisterSealInput {
  organisationId: number
  name: string
  purpose: string
  certificateDerBase64: string
  tokenLabel?: string
  tokenSerial?: string
  appliesTo: SealScope[]
  appearancePngBase64?: string
}

/** Changes to a registered seal; `appearancePngBase64: null` removes the seal's own appearance. */
export interface UpdateSealInput {
  name?: string
  purpose?: string
  appliesTo?: SealScope[]
  active?: boolean
  appearancePngBase64?: string | null
}

/**
 * Electronic seals: the organisations' seal appearances (机构管理 › 印章图样: the uploaded PNG of an
 * organisation's seal, or none and the app draws it), and the registry of seals (印章管理), each a
 * token certificate with its organisation, purpose and the certificates it applies to.
 */
export const useSealsStore = defineStore('seals', () => {
  const appearance = ref<SealAppearanceInfo | null>(null)
  const loading = ref(false)

  const registry = ref<SealInfo[]>([])
  const registryLoading = ref(false)

  async function load(organisationId: number): Promise<void> {
    loading.value = true
    try {
      appearance.value = await api.seals.getAppearance({ organisationId })
    } finally {
      loading.value = false
    }
  }

  async function upload(organisationId: number, pngBase64: string): Promise<void> {
    appearance.value = await api.seals.setAppearance({ organisationId, pngBase64 })
  }

  async function remove(organisationId: number): Promise<void> {
    await api.seals.removeAppearance({ organisationId })
    appearance.value = null
  }

  /** Every seal, the inactive ones too: the registry page shows them greyed. */
  async function loadRegistry(): Promise<void> {
    registryLoading.value = true
    try {
      registry.value = await api.seals.list({ includeInactive: true })
    } finally {
      registryLoading.value = false
    }
  }

  async function register(input: RegisterSealInput): Promise<SealInfo> {
    const created = await api.seals.register(input)
    upsertById(registry.value, created)
    return created
  }

  async function update(id: number, changes: UpdateSealInput): Promise<SealInfo> {
    const updated = await api.seals.update({ id, ...changes })
    upsertById(registry.value, updated)
    return updated
  }

  /** The seal's own appearance PNG (base64), read when its edit dialog opens; null when it has none. */
  async function sealAppearance(id: number): Promise<string | null> {
    return (await api.seals.appearance({ id }))?.pngBase64 ?? null
  }

  return { appearance, loading, registry, registryLoading, load, upload, remove, loadRegistry, register, update, sealAppearance }
})
