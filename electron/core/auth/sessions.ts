import { randomBytes } from 'node:crypto'
import type { Clock } from '../util/clock'

interface Session {
  userId: number
  lastSeen: number
}

export type SessionLookup = { state: 'active'; userId: number } | { state: 'expired' } | { state: 'none' }

/**
 * Sessions live in memory only: a restart signs everyone out, and no session id is ever
 * written to disk. Each successful lookup counts as activity.
 */
export class SessionStore {
  private readonly sessions = new Map<string, Session>()

  constructor(private readonly clock: Clock) {}

  create(userId: number): string {
    const id = randomBytes(32).toString('base64url')
    this.sessions.set(id, { userId, lastSeen: this.clock.now().getTime() })
    return id
  }

  /** Looks a session up and counts it as activity. */
  touch(id: string | null | undefined, idleMinutes: number): SessionLookup {
    return this.lookup(id, idleMinutes, true)
  }

  /**
   * Looks a session up without counting it as activity: the renderer's periodic "am I still
   * signed in?" check must not keep an idle window signed in forever.
   */
  peek(id: string | null | undefined, idleMinutes: number): SessionLookup {
    return this.lookup(id, idleMinutes, false)
  }

  private lookup(id: string | null | undefined, idleMinutes: number, activity: boolean): SessionLookup {
    if (!id) return { state: 'none' }
    const session = this.sessions.get(id)
    if (!session) return { state: 'none' }
    const now = this.clock.now().getTime()
    if (now - session.lastSeen > idleMinutes * 60_000) {
      // A peek leaves it, so the next real call still says "expired" rather than "not signed in".
      if (activity) this.sessions.delete(id)
      return { state: 'expired' }
    }
    if (activity) session.lastSeen = now
    return { state: 'active', userId: session.userId }
  }

  delete(id: string | null | undefined): void {
    if (id) this.sessions.delete(id)
  }

  /** Ends every session of a user (disabled account, password changed elsewhere). */
  deleteUser(userId: number, exceptId?: string): void {
    for (const [id, session] of this.sessions) if (session.userId === userId && id !== exceptId) this.sessions.delete(id)
  }
}
