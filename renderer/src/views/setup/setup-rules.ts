import type { FormRules } from 'element-plus'
import { requiredRule } from '@renderer/components/form-rules'
import { usernameRules } from '@renderer/views/users/user-rules'

/** The administrator fields of first-run setup (the password rules are shared with the account page). */
export function setupRules(): FormRules {
  return {
    username: usernameRules('setup.username'),
    displayName: [requiredRule('setup.displayName')],
  }
}
