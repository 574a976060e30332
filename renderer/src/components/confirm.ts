import { ElMessageBox } from 'element-plus'
import { i18n } from '@renderer/locales'

export interface ConfirmOptions {
  /** The confirm button's text; 确定 unless the action has a name worth repeating. */
  confirmText?: string
  /** The cancel button's text; 取消 unless declining has a name of its own. */
  cancelText?: string
  /** Classes for the message box's buttons, so tests can press them (the box lives outside the app's tree). */
  confirmClass: string
  cancelClass?: string
}

/**
 * Asks before a step that cannot be undone, as a warning box. True when confirmed; false when the
 * user cancelled or closed the box (Element Plus rejects then, which is not a failure).
 */
export async function confirmWarning(message: string, title: string, options: ConfirmOptions): Promise<boolean> {
  const t = i18n.global.t
  try {
    await ElMessageBox.confirm(message, title, {
      type: 'warning',
      confirmButtonText: options.confirmText ?? t('common.confirm'),
      cancelButtonText: options.cancelText ?? t('common.cancel'),
      confirmButtonClass: options.confirmClass,
      ...(options.cancelClass ? { cancelButtonClass: options.cancelClass } : {}),
    })
    return true
  } catch {
    return false
  }
}
