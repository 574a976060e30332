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

  touch(id: string | null | undefined, idleMinutes: number): SessionLookup {
    if (!id) return { state: 'none' }
    const session = this.sessions.get(id)
    if (!session) return { state: 'none' }
    const now = this.clock.now().getTime()
    if (now - session.lastSeen > idleMinutes * 60_000) {
      this.sessions.delete(id)
      return { state: 'expired' }
    }
    session.lastSeen = now
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
