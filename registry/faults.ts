import { setTimeout as delay } from 'node:timers/promises'

/** Faults injected into /v1/ requests, set through POST /_admin/faults. */
export interface FaultSettings {
  /** Added before every request is handled. */
  latencyMs: number
  /** Share of requests whose connection is destroyed before anything is done. */
  dropRate: number
  /** Share answered 500 before anything is done. */
  errorRate: number
  /** Share handled and committed whose answer is then lost (the connection destroyed instead). */
  loseResponseRate: number
  seed: number
}

export interface FaultStats {
  requests: number
  delayed: number
  dropped: number
  errors: number
  lostResponses: number
}

export type FaultAction = 'none' | 'drop' | 'error' | 'lose'

const NO_FAULTS: FaultSettings = { latencyMs: 0, dropRate: 0, errorRate: 0, loseResponseRate: 0, seed: 1 }

/** mulberry32: small, seeded, so a test that injects faults at a rate sees the same ones every run. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function emptyStats(): FaultStats {
  return { requests: 0, delayed: 0, dropped: 0, errors: 0, lostResponses: 0 }
}

/** Decides, per request, which fault (if any) it gets. */
export class FaultInjector {
  private current: FaultSettings = { ...NO_FAULTS }
  private random = seededRandom(NO_FAULTS.seed)
  private counts = emptyStats()

  /** Replaces the settings (missing ones are off), restarts the random sequence and the counts. */
  configure(settings: Partial<FaultSettings>): FaultSettings {
    this.current = { ...NO_FAULTS, ...settings }
    this.random = seededRandom(this.current.seed)
    this.counts = emptyStats()
    return this.settings()
  }

  settings(): FaultSettings {
    return { ...this.current }
  }

  stats(): FaultStats {
    return { ...this.counts }
  }

  /** Waits the configured latency, then draws this request's fault. */
  async decide(): Promise<FaultAction> {
    const settings = this.current
    this.counts.requests += 1
    // Three draws on every request, whatever the rates: the sequence of faults depends only on the seed and the request count.
    const drop = this.random()
    const error = this.random()
    const lose = this.random()
    if (settings.latencyMs > 0) {
      this.counts.delayed += 1
      await delay(settings.latencyMs)
    }
    if (drop < settings.dropRate) {
      this.counts.dropped += 1
      return 'drop'
    }
    if (error < settings.errorRate) {
      this.counts.errors += 1
      return 'error'
    }
    if (lose < settings.loseResponseRate) {
      this.counts.lostResponses += 1
      return 'lose'
    }
    return 'none'
  }
}
