/**
 * Failed sign-in attempts per client address in a fixed window: a person mistyping or reusing a link is never
 * blocked, but guessing tokens stops after `limit` failures until the window ends. In memory (one process serves
 * the pages); pruned as windows end, so it stays bounded by the addresses seen in one window.
 */
export class AttemptLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {}

  /** True when this address used up its failures for the current window. */
  blocked(key: string, nowMs: number): boolean {
    const current = this.windows.get(key);
    return current !== undefined && nowMs - current.start < this.windowMs && current.count >= this.limit;
  }

  recordFailure(key: string, nowMs: number): void {
    if (this.windows.size > 10_000) this.prune(nowMs);
    const current = this.windows.get(key);
    if (!current || nowMs - current.start >= this.windowMs) this.windows.set(key, { start: nowMs, count: 1 });
    else current.count++;
  }

  private prune(nowMs: number): void {
    for (const [key, window] of this.windows) if (nowMs - window.start >= this.windowMs) this.windows.delete(key);
  }
}
