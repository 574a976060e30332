import { computed, ref } from 'vue'
import { showError } from './notify'

/**
 * A busy flag for actions that must not overlap (a double click on Save): `run` ignores a call
 * while any work is running, shows a failure to the user, and clears the flag however the work
 * ends. `running` names the work under way, for a screen with several buttons.
 */
export function useBusy() {
  const running = ref<string | null>(null)
  const busy = computed(() => running.value !== null)
  async function run(work: () => Promise<void>, name = 'busy'): Promise<void> {
    if (running.value) return
    running.value = name
    try {
      await work()
    } catch (error) {
      showError(error)
    } finally {
      running.value = null
    }
  }
  return { busy, running, run }
}
