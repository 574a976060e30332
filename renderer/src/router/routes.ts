import type { RouteRecordRaw } from 'vue-router'

/** Every screen; `meta.roles` is checked by the guard, the menu lives in menu.ts. */
export const routes: RouteRecordRaw[] = [
  {
    path: '/setup',
    name: 'setup',
    component: () => import('@renderer/views/setup/SetupPage.vue'),
    meta: { public: true, title: 'setup.title' },
  },
  {
    path: '/login',
    name: 'login',
    component: () => import('@renderer/views/login/LoginPage.vue'),
    meta: { public: true, title: 'login.title' },
  },
  {
    path: '/',
    component: () => import('@renderer/views/layout/AppLayout.vue'),
    redirect: '/dashboard',
    children: [
      {
        path: 'dashboard',
        name: 'dashboard',
        component: () => import('@renderer/views/dashboard/DashboardPage.vue'),
        meta: { title: 'menu.dashboard' },
      },
      {
        path: 'applications',
        name: 'applications',
        component: () => import('@renderer/views/applications/ApplicationsPage.vue'),
        meta: { roles: ['reviewer', 'clerk', 'admin'], title: 'menu.applications' },
      },
      {
        path: 'applications/:id(\\d+)',
        name: 'application-batch',
        component: () => import('@renderer/views/applications/BatchPage.vue'),
        meta: { roles: ['reviewer', 'clerk', 'admin'], title: 'applications.batch' },
      },
      {
        path: 'certificates',
        name: 'certificates',
        component: () => import('@renderer/views/certificates/CertificatesPage.vue'),
        meta: { roles: ['reviewer', 'clerk', 'sealer', 'admin'], title: 'menu.certificates' },
      },
      {
        path: 'corrections',
        name: 'corrections',
        component: () => import('@renderer/views/corrections/CorrectionsPage.vue'),
        meta: { roles: ['reviewer', 'clerk', 'admin'], title: 'corrections.menu' },
      },
      {
        path: 'corrections/:id(\\d+)',
        name: 'correction',
        component: () => import('@renderer/views/corrections/CorrectionPage.vue'),
        meta: { roles: ['reviewer', 'clerk', 'admin'], title: 'corrections.title' },
      },
      {
        path: 'revocations',
        name: 'revocations',
        component: () => import('@renderer/views/revocations/RevocationsPage.vue'),
        meta: { roles: ['reviewer', 'clerk', 'admin'], title: 'revocations.menu' },
      },
      {
        path: 'filings',
        name: 'filings',
        component: () => import('@renderer/views/filings/FilingsPage.vue'),
        meta: { roles: ['clerk', 'admin'], title: 'filings.menu' },
      },
      {
        path: 'legacy',
        name: 'legacy',
        component: () => import('@renderer/views/legacy/LegacyPage.vue'),
        meta: { roles: ['reviewer', 'clerk'], title: 'legacy.menu' },
      },
      {
        path: 'sealing',
        name: 'sealing',
        component: () => import('@renderer/views/sealing/SealingPage.vue'),
        meta: { roles: ['sealer', 'admin'], title: 'menu.sealing' },
      },
      {
        path: 'sealing/jobs/:id(\\d+)',
        name: 'sealing-job',
        component: () => import('@renderer/views/sealing/JobPage.vue'),
        meta: { roles: ['sealer', 'admin'], title: 'sealing.job.title' },
      },
      {
        path: 'sync',
        name: 'sync',
        component: () => import('@renderer/views/sync/SyncPage.vue'),
        meta: { roles: ['admin', 'clerk'], title: 'menu.sync' },
      },
      {
        path: 'verify',
        name: 'verify',
        component: () => import('@renderer/views/verify/VerifyPage.vue'),
        meta: { title: 'menu.verify' },
      },
      {
        path: 'admin/organisations',
        name: 'organisations',
        component: () => import('@renderer/views/organisations/OrganisationsPage.vue'),
        meta: { roles: ['admin'], title: 'menu.organisations' },
      },
      {
        path: 'admin/users',
        name: 'users',
        component: () => import('@renderer/views/users/UsersPage.vue'),
        meta: { roles: ['admin'], title: 'menu.users' },
      },
      {
        path: 'admin/seals',
        name: 'seal-registry',
        component: () => import('@renderer/views/seal-registry/SealRegistryPage.vue'),
        meta: { roles: ['admin'], title: 'menu.seals' },
      },
      {
        path: 'admin/settings',
        name: 'settings',
        component: () => import('@renderer/views/settings/SettingsPage.vue'),
        meta: { roles: ['admin'], title: 'menu.settings' },
      },
      {
        path: 'admin/audit',
        name: 'audit',
        component: () => import('@renderer/views/audit/AuditPage.vue'),
        meta: { roles: ['admin'], title: 'menu.audit' },
      },
      {
        path: 'account/password',
        name: 'password',
        component: () => import('@renderer/views/account/ChangePasswordPage.vue'),
        meta: { title: 'menu.password' },
      },
    ],
  },
  { path: '/:pathMatch(.*)*', redirect: '/dashboard' },
]
