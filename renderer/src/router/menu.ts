import type { Component } from 'vue'
import {
  CircleCheck,
  CircleClose,
  Connection,
  DataBoard,
  Document,
  DocumentChecked,
  EditPen,
  FolderChecked,
  Files,
  Key,
  OfficeBuilding,
  Setting,
  Stamp,
  Tickets,
  Tools,
  User,
} from '@element-plus/icons-vue'
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
  // Clause 7: tables submitted by the departments' reviewers, decided by the bureau's, applied by the institute's clerks.
  { key: 'corrections', title: 'corrections.menu', icon: EditPen, path: '/corrections', roles: ['reviewer', 'clerk', 'admin'] },
  // Clause 7: recorded by the departments' reviewers, approved by the bureau's, executed by the institute's clerks.
  { key: 'revocations', title: 'revocations.menu', icon: CircleClose, path: '/revocations', roles: ['reviewer', 'clerk', 'admin'] },
  // Clauses 4–5: the institute files the paper production lists of approved batches.
  { key: 'filings', title: 'filings.menu', icon: FolderChecked, path: '/filings', roles: ['clerk', 'admin'] },
  // Clause 9: the bodies' staff issue slips from legacy records; the institute's clerks import them and re-check senior slips.
  { key: 'legacy', title: 'legacy.menu', icon: Files, path: '/legacy', roles: ['reviewer', 'clerk'] },
  // The admin sees the desk too: the key modules it configures serve the seal registry, and the jobs read-only.
  { key: 'sealing', title: 'menu.sealing', icon: Stamp, path: '/sealing', roles: ['sealer', 'admin'] },
  // The clerks publish what they file, correct and revoke; the admin answers for the credential and the address.
  { key: 'sync', title: 'menu.sync', icon: Connection, path: '/sync', roles: ['admin', 'clerk'] },
  { key: 'verify', title: 'menu.verify', icon: CircleCheck, path: '/verify' },
  {
    key: 'administration',
    title: 'menu.administration',
    icon: Tools,
    roles: ['admin'],
    children: [
      { key: 'organisations', title: 'menu.organisations', icon: OfficeBuilding, path: '/admin/organisations', roles: ['admin'] },
      { key: 'users', title: 'menu.users', icon: User, path: '/admin/users', roles: ['admin'] },
      { key: 'seals', title: 'menu.seals', icon: Key, path: '/admin/seals', roles: ['admin'] },
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
