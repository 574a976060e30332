import { ElMessage } from 'element-plus'
import { onMounted, ref } from 'vue'
import { useI18n } from 'vue-i18n'
import type { UserSummary } from '@contract/users'
import { confirmWarning } from '@renderer/components/confirm'
import { showError } from '@renderer/components/notify'
import { useOrganisationsStore } from '@renderer/stores/organisations'
import { useUsersStore } from '@renderer/stores/users'

/** The users table: the edit dialog's target, enable/disable and password reset with confirmation. */
export function useUsersTable() {
  const { t } = useI18n()
  const store = useUsersStore()
  const organisations = useOrganisationsStore()
  const editing = ref<UserSummary | null>(null)
  const dialogOpen = ref(false)
  /** The one-time password on display, and whose it is; dropped when its dialog closes. */
  const oneTimePassword = ref<{ password: string; username: string } | null>(null)

  async function load(): Promise<void> {
    try {
      await Promise.all([store.load(), organisations.load()])
    } catch (error) {
      showError(error)
    }
  }

  function openCreate(): void {
    editing.value = null
    dialogOpen.value = true
  }

  function openEdit(user: UserSummary): void {
    editing.value = user
    dialogOpen.value = true
  }

  async function toggleActive(user: UserSummary): Promise<void> {
    const enable = !user.active
    const message = t(enable ? 'users.enableConfirm' : 'users.disableConfirm', { name: user.displayName })
    if (!(await confirmWarning(message, t(enable ? 'common.enable' : 'common.disable'), { confirmClass: 'user-active-confirm' }))) return
    try {
      await store.update(user.id, { active: enable })
      ElMessage.success(t('users.updated'))
    } catch (error) {
      showError(error)
    }
  }

  async function resetPassword(user: UserSummary): Promise<void> {
    const message = t('users.resetConfirm', { name: user.displayName })
    if (!(await confirmWarning(message, t('users.resetPassword'), { confirmClass: 'user-reset-confirm' }))) return
    try {
      oneTimePassword.value = { password: await store.resetPassword(user.id), username: user.username }
    } catch (error) {
      showError(error)
    }
  }

  function showOneTimePassword(password: string, username: string): void {
    oneTimePassword.value = { password, username }
  }

  onMounted(load)

  return {
    store,
    organisations,
    editing,
    dialogOpen,
    oneTimePassword,
    load,
    openCreate,
    openEdit,
    toggleActive,
    resetPassword,
    showOneTimePassword,
  }
}
