import { onMounted, ref } from 'vue'
import type { SealInfo } from '@contract/seals'
import { showError } from '@renderer/components/notify'
import { useSealsStore } from '@renderer/stores/seals'

/** The seal registry table: loading, and which dialog (register, edit) is open. */
export function useSealRegistryTable() {
  const store = useSealsStore()
  const registerOpen = ref(false)
  const editing = ref<SealInfo | null>(null)

  async function load(): Promise<void> {
    try {
      await store.loadRegistry()
    } catch (error) {
      showError(error)
    }
  }

  function openEdit(seal: SealInfo): void {
    editing.value = seal
  }

  onMounted(load)

  return { store, registerOpen, editing, load, openEdit }
}
