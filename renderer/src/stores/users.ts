import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { Role } from '@contract/roles'
import type { UserSummary } from '@contract/users'
import { api } from '@renderer/api'
import { upsertById } from './upsert'

export interface UserInput {
  username: string
  displayName: string
  organisationId: number
  roles: Role[]
}

export type UserChanges = Partial<Omit<UserInput, 'username'>> & { active?: boolean }

/** Accounts: creation and resets hand back a one-time password, which the store never keeps. */
export const useUsersStore = defineStore('users', () => {
  const items = ref<UserSummary[]>([])
  const loading = ref(false)

  async function load(): Promise<void> {
    loading.value = true
    try {
      items.value = await api.users.list({})
    } finally {
      loading.value = false
    }
  }

  async function create(input: UserInput): Promise<{ user: UserSummary; initialPassword: string }> {
    const result = await api.users.create(input)
    upsertById(items.value, result.user)
    return result
  }

  async function update(id: number, changes: UserChanges): Promise<UserSummary> {
    const updated = await api.users.update({ id, ...changes })
    upsertById(items.value, updated)
    return updated
  }

  async function resetPassword(id: number): Promise<string> {
    const { initialPassword } = await api.users.resetPassword({ id })
    await load()
    return initialPassword
  }

  return { items, loading, load, create, update, resetPassword }
})
