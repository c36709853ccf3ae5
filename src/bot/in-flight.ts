/**
 * Listener work still running after its ack (Bolt answers Slack first, then the listener reads the store and
 * responds). Shutdown waits for it before the database closes; tests wait for it instead of sleeping.
 */
export class InFlight {
  private readonly pending = new Set<Promise<unknown>>();

  track<T>(work: Promise<T>): Promise<T> {
    this.pending.add(work);
    const forget = () => void this.pending.delete(work);
    work.then(forget, forget);
    return work;
  }

  get size(): number {
    return this.pending.size;
  }

  /** Resolves true once nothing is running (work started meanwhile is waited for too), false on timeout. */
  async idle(timeoutMs = 10_000): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
      timer.unref();
    });
    try {
      while (this.pending.size > 0) {
        const settled = Promise.allSettled([...this.pending]).then(() => true as const);
        if (!(await Promise.race([settled, timedOut]))) return false;
      }
      return true;
    } finally {
      clearTimeout(timer);
    }
  }
}
