/**
 * Sign-in attempts per client address in a fixed window: enough for a person retrying a link, too few to guess
 * tokens. In memory (one process serves the pages); the map is pruned as windows end, so it stays bounded by the
 * number of addresses seen in one window.
 */
export class AttemptLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {}

  /** Counts an attempt; false when this address is over the limit for the current window. */
  allow(key: string, nowMs: number): boolean {
    if (this.windows.size > 10_000) this.prune(nowMs);
    const current = this.windows.get(key);
    if (!current || nowMs - current.start >= this.windowMs) {
      this.windows.set(key, { start: nowMs, count: 1 });
      return true;
    }
    current.count++;
    return current.count <= this.limit;
  }

  private prune(nowMs: number): void {
    for (const [key, window] of this.windows) if (nowMs - window.start >= this.windowMs) this.windows.delete(key);
  }
}
