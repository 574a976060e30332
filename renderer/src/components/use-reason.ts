import { computed, ref } from 'vue'
import { useI18n } from 'vue-i18n'

/** The locale keys of a reason's two problems, with `{min}` and `{max}` in them. */
export interface ReasonMessages {
  tooShort: string
  tooLong: string
}

/**
 * A reason typed for a decision (退回, 排除, 开具, 复核不通过), checked against the same bounds
 * core applies to the trimmed text before anything is sent. `touched` is for a field that shows
 * its problem only once the user has left it or pressed the button.
 */
export function useReason(max: number, messages: ReasonMessages, min = 2) {
  const { t } = useI18n()
  const reason = ref('')
  const touched = ref(false)
  const problem = computed(() => {
    const length = reason.value.trim().length
    if (length < min) return t(messages.tooShort, { min })
    if (length > max) return t(messages.tooLong, { max })
    return null
  })

  function reset(): void {
    reason.value = ''
    touched.value = false
  }

  return { reason, touched, problem, reset }
}
