import { showError } from '@renderer/components/notify'
import { ElMessage, ElMessageBox } from 'element-plus'
import { computed, onMounted, ref } from 'vue'
import { useI18n } from 'vue-i18n'
import type { Organisation } from '@contract/organisations'
import { useOrganisationsStore } from '@renderer/stores/organisations'

/** The organisations table: loading, the edit dialog's target, and activation with confirmation. */
export function useOrganisationsTable() {
  const { t } = useI18n()
  const store = useOrganisationsStore()
  const editing = ref<Organisation | null>(null)
  const dialogOpen = ref(false)
  const rows = computed(() => store.items)

  async function load(): Promise<void> {
    try {
      await store.load()
    } catch (error) {
      showError(error)
    }
  }

  function openCreate(): void {
    editing.value = null
    dialogOpen.value = true
  }

  function openEdit(organisation: Organisation): void {
    editing.value = organisation
    dialogOpen.value = true
  }

  async function toggleActive(organisation: Organisation): Promise<void> {
    const activate = !organisation.active
    try {
      await ElMessageBox.confirm(
        t(activate ? 'organisations.activateConfirm' : 'organisations.deactivateConfirm', { name: organisation.name }),
        t(activate ? 'organisations.activateTitle' : 'organisations.deactivateTitle'),
        {
          type: 'warning',
          confirmButtonText: t('common.confirm'),
          cancelButtonText: t('common.cancel'),
          confirmButtonClass: 'org-active-confirm',
        },
      )
    } catch {
      return
    }
    try {
      await store.setActive(organisation.id, activate)
      ElMessage.success(t('organisations.updated'))
    } catch (error) {
      showError(error)
    }
  }

  onMounted(load)

  return { store, rows, editing, dialogOpen, load, openCreate, openEdit, toggleActive }
}
