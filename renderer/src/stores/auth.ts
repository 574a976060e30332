import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { AppStatus, SessionUser } from '@contract/auth'
import type { Role } from '@contract/roles'
import { api, onSessionLost } from '@renderer/api'

const POLL_INTERVAL_MS = 60_000

type SessionEndedHandler = (reason: 'expired') => void

/** Who is signed in, first-run state, and the session's liveness. */
export const useAuthStore = defineStore('auth', () => {
  const status = ref<AppStatus | null>(null)
  const user = ref<SessionUser | null>(null)
  const checked = ref(false)
  let pollTimer: ReturnType<typeof setInterval> | null = null
  let sessionEndedHandler: SessionEndedHandler | null = null

  const signedIn = computed(() => user.value !== null)
  const setupRequired = computed(() => status.value?.setupRequired ?? false)

  function hasRole(...roles: readonly Role[]): boolean {
    const held = user.value?.roles ?? []
    return roles.length === 0 || roles.some((role) => held.includes(role))
  }

  /** Learns whether setup is needed and who (if anyone) is signed in; done once at start. */
  async function initialise(): Promise<void> {
    status.value = await api.auth.status()
    user.value = status.value.setupRequired ? null : await api.auth.me()
    checked.value = true
    if (user.value) startPolling()
  }

  function signedInAs(next: SessionUser): void {
    user.value = next
    if (status.value) status.value = { ...status.value, setupRequired: false }
    startPolling()
  }

  async function login(username: string, password: string): Promise<SessionUser> {
    const result = await api.auth.login({ username, password })
    signedInAs(result.user)
    return result.user
  }

  async function setup(input: { organisationName: string; username: string; displayName: string; password: string }): Promise<SessionUser> {
    const result = await api.auth.setup(input)
    signedInAs(result.user)
    return result.user
  }

  async function logout(): Promise<void> {
    stopPolling()
    try {
      await api.auth.logout()
    } finally {
      user.value = null
    }
  }

  async function changePassword(currentPassword: string, newPassword: string): Promise<void> {
    await api.auth.changePassword({ currentPassword, newPassword })
    user.value = await api.auth.me()
  }

  /** Called by the router to be told when the session ends outside a user action. */
  function onSessionEnded(handler: SessionEndedHandler): void {
    sessionEndedHandler = handler
  }

  function endSession(): void {
    if (!user.value) return
    stopPolling()
    user.value = null
    sessionEndedHandler?.('expired')
  }

  // A poll keeps the UI honest about idle expiry: auth.me is null once the core dropped the session.
  async function poll(): Promise<void> {
    try {
      const current = await api.auth.me()
      if (current === null) endSession()
      else user.value = current
    } catch {
      // A transient failure is not proof the session ended; the next call or poll will tell.
    }
  }

  function startPolling(): void {
    stopPolling()
    pollTimer = setInterval(() => void poll(), POLL_INTERVAL_MS)
  }

  function stopPolling(): void {
    if (pollTimer !== null) clearInterval(pollTimer)
    pollTimer = null
  }

  onSessionLost(() => endSession())

  return {
    status,
    user,
    checked,
    signedIn,
    setupRequired,
    hasRole,
    initialise,
    login,
    setup,
    logout,
    changePassword,
    onSessionEnded,
  }
})
