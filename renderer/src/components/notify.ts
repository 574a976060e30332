import { ElMessage } from 'element-plus'
import { isApiError } from '@renderer/api'
import { errorMessage } from '@renderer/locales'

/**
 * Shows a failed action as an error message. A lost session is left to the auth store, which
 * already sends the user to the login screen with its own message.
 */
export function showError(error: unknown): void {
  if (isApiError(error) && (error.code === 'SESSION_EXPIRED' || error.code === 'UNAUTHENTICATED')) return
  ElMessage.error(errorMessage(error))
}
