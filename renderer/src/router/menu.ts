import type { Component } from 'vue'
import { DataBoard, Document, DocumentChecked, OfficeBuilding, Setting, Tickets, Tools, User } from '@element-plus/icons-vue'
import type { Role } from '@contract/roles'

/**
 * The one menu of the app. A capability added later adds its entry here (and its route);
 * the layout filters it by the signed-in user's roles. `key` also names the data-testid `menu-<key>`.
 */
export interface MenuItem {
  key: string
  /** i18n key of the label. */
  title: string
  icon?: Component
  /** Route path; absent on a group. */
  path?: string
  /** Any of these roles shows the item; absent means every signed-in user. */
  roles?: readonly Role[]
  children?: MenuItem[]
}

export const MENU: MenuItem[] = [
  { key: 'dashboard', title: 'menu.dashboard', icon: DataBoard, path: '/dashboard' },
  { key: 'applications', title: 'menu.applications', icon: DocumentChecked, path: '/applications', roles: ['reviewer', 'clerk', 'admin'] },
  {
    key: 'certificates',
    title: 'menu.certificates',
    icon: Tickets,
    path: '/certificates',
    roles: ['reviewer', 'clerk', 'sealer', 'admin'],
  },
  {
    key: 'administration',
    title: 'menu.administration',
    icon: Tools,
    roles: ['admin'],
    children: [
      { key: 'organisations', title: 'menu.organisations', icon: OfficeBuilding, path: '/admin/organisations', roles: ['admin'] },
      { key: 'users', title: 'menu.users', icon: User, path: '/admin/users', roles: ['admin'] },
      { key: 'settings', title: 'menu.settings', icon: Setting, path: '/admin/settings', roles: ['admin'] },
      { key: 'audit', title: 'menu.audit', icon: Document, path: '/admin/audit', roles: ['admin'] },
    ],
  },
]

/** The menu as one user sees it: items they may open, and groups with at least one such item. */
export function menuFor(hasRole: (...roles: readonly Role[]) => boolean, items: MenuItem[] = MENU): MenuItem[] {
  return items.flatMap((item) => {
    if (item.roles && !hasRole(...item.roles)) return []
    if (!item.children) return [item]
    const children = menuFor(hasRole, item.children)
    return children.length > 0 ? [{ ...item, children }] : []
  })
}
