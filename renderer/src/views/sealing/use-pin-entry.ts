import { computed, ref, toValue, type MaybeRefOrGetter } from 'vue'
import type { PinFlags } from '@contract/sealing'
import { isApiError } from '@renderer/api'
import { useBusy } from '@renderer/components/use-busy'
import { errorMessage } from '@renderer/locales'
import { useSealingStore } from '@renderer/stores/sealing'
import { pinState } from './sealing-labels'

/** The submit button stays off until the PIN has at least this many characters. */
const MIN_PIN_LENGTH = 4

/**
 * The PIN of the start and resume dialogs, for the `PinEntry` inside them (bind `pinEntry` as its
 * ref): the field, the final-try confirmation, and the failure of the last try. `send` reads the
 * PIN once and clears the field before the call goes out, whatever the answer; when the call
 * fails, the token's flags are read again and the cursor goes back to the field.
 * `flags`: the PIN flags of the token the dialog is about, when known.
 */
export function usePinEntry(flags: MaybeRefOrGetter<PinFlags | null>) {
  const store = useSealingStore()
  const { busy, run } = useBusy()
  const pin = ref('')
  const confirmFinalTry = ref(false)
  /** Core answered PIN_FINAL_TRY: ask for the confirmation even if the flags said nothing. */
  const finalTryReported = ref(false)
  const failure = ref<string | null>(null)
  const pinEntry = ref<{ focus(): void } | null>(null)

  /** A PIN long enough, a token not locked, and the final try confirmed when it is the last one. */
  const pinReady = computed(() => {
    const state = pinState(toValue(flags), finalTryReported.value)
    return !state.locked && pin.value.length >= MIN_PIN_LENGTH && (!state.finalTry || confirmFinalTry.value)
  })

  /** Another key, or another job: what the last answer said of the PIN no longer holds. */
  function forgetFinalTry(): void {
    confirmFinalTry.value = false
    finalTryReported.value = false
  }

  /** A new job in the dialog: its own start, with no failure shown yet. */
  function reset(): void {
    failure.value = null
    forgetFinalTry()
  }

  /** Sends the PIN once through `work`; the field is empty by the time `work` runs. */
  async function send(work: (pin: string, confirmFinalTry: boolean) => Promise<void>): Promise<void> {
    const entered = pin.value
    pin.value = ''
    failure.value = null
    await run(async () => {
      try {
        await work(entered, confirmFinalTry.value)
      } catch (error) {
        failure.value = errorMessage(error)
        if (isApiError(error) && error.code === 'PIN_FINAL_TRY') finalTryReported.value = true
        confirmFinalTry.value = false
        // A wrong PIN changes what the token says of its PIN (count low, final try, locked).
        await store.loadSlots().catch(() => undefined)
        pinEntry.value?.focus()
      }
    })
  }

  return { busy, pin, confirmFinalTry, finalTryReported, failure, pinEntry, pinReady, forgetFinalTry, reset, send }
}
