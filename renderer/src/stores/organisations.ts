import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { Organisation, OrganisationGrant } from '@contract/organisations'
import type { OrganisationKind } from '@contract/roles'
import { api } from '@renderer/api'
import { upsertById } from './upsert'

/** The fields an administrator edits; `null` clears an optional field. */
export interface OrganisationInput {
  name: string
  kind: OrganisationKind
  code: string | null
  parentId: number | null
  organisingUnit: string | null
}

/** Organisations (the bureau, departments, review bodies, exam institutions…) and their codes. */
export const useOrganisationsStore = defineStore('organisations', () => {
  const items = ref<Organisation[]>([])
  const loading = ref(false)
  const includeInactive = ref(true)

  async function load(): Promise<void> {
    loading.value = true
    try {
      items.value = await api.organisations.list({ includeInactive: includeInactive.value })
    } finally {
      loading.value = false
    }
  }

  async function create(input: OrganisationInput): Promise<Organisation> {
    const created = await api.organisations.create(input)
    await load()
    return created
  }

  async function update(id: number, input: Partial<OrganisationInput>): Promise<Organisation> {
    const updated = await api.organisations.update({ id, ...input })
    await load()
    return updated
  }

  async function setActive(id: number, active: boolean): Promise<Organisation> {
    const updated = await api.organisations.update({ id, active })
    upsertById(items.value, updated)
    return updated
  }

  /** What an applying organisation may apply for, read fresh each time the dialog opens. */
  function grants(organisationId: number): Promise<OrganisationGrant[]> {
    return api.organisations.grants({ organisationId })
  }

  /** Replaces the organisation's grants as a whole; returns them as stored. */
  function setGrants(organisationId: number, grants: OrganisationGrant[]): Promise<OrganisationGrant[]> {
    return api.organisations.setGrants({ organisationId, grants })
  }

  return { items, loading, includeInactive, load, create, update, setActive, grants, setGrants }
})
