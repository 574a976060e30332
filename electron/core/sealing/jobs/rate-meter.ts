/** How far back the rate looks: long enough to smooth group commits, short enough to follow a slower key. */
const WINDOW_MS = 10_000

/**
 * Certificates per second over the last seconds, for the progress line (count, rate, ETA).
 * Monotonic time, not the app clock: a rate is about elapsed time, whatever the clock says.
 */
export class RateMeter {
  private readonly samples: Array<{ at: number; count: number }> = []
  private readonly started = performance.now()

  add(count: number): void {
    const now = performance.now()
    this.samples.push({ at: now, count })
    while (this.samples.length > 0 && this.samples[0].at < now - WINDOW_MS) this.samples.shift()
  }

  /** Null until there is something to measure. */
  rate(): number | null {
    const now = performance.now()
    const recent = this.samples.filter((sample) => sample.at >= now - WINDOW_MS)
    const span = Math.min(WINDOW_MS, now - this.started) / 1000
    if (recent.length === 0 || span <= 0) return null
    return recent.reduce((sum, sample) => sum + sample.count, 0) / span
  }
}
