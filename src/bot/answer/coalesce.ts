/**
 * Shares one render among the requests for the same thing, when that is as good as a render of their own: a render
 * that *began* reading after a request was made has seen every write committed before it (the asker's own entry
 * included), so it answers that request exactly. Under a burst of identical `/scorecard`s (a team opening the
 * scorecard at 9:00, the mixed-load benchmark's 40 a second), at most one render per key runs and one more waits
 * to start, instead of one per request queued behind each other.
 *
 * Given the store's change token (on a thread whose connection only reads: SQLite's `data_version` does not move
 * for a connection's own writes), a render is also shared with any later request for the same key while the
 * token is still the one read just before that render began: nothing has been committed since, so a new render
 * would read the same rows. Forty `/scorecard`s a minute with no write in between then cost one render, not forty.
 */

const MAX_KEYS = 200;

interface Render<T> {
  startedAt: number;
  /** The store's change token read just before this render began; undefined when unknown. */
  version: string | undefined;
  result: Promise<T>;
  settled: boolean;
}

export class RenderCoalescer<T> {
  private readonly latest = new Map<string, Render<T>>();
  private readonly next = new Map<string, Promise<T>>();

  constructor(
    private readonly clock: () => number = Date.now,
    /** The store's change token, from a connection that only reads; without it, renders are shared by time alone. */
    private readonly dataVersion?: () => Promise<string | undefined>,
  ) {}

  /** `askedAt`: when the request was made (wall-clock ms, as `Date.now()` on any thread). */
  async run(key: string, askedAt: number, compute: () => Promise<T>): Promise<T> {
    const version = await this.readVersion();
    const latest = this.latest.get(key);
    if (latest && (latest.startedAt >= askedAt || (version !== undefined && latest.version === version))) return latest.result;
    const waiting = this.next.get(key);
    if (waiting) return waiting;
    if (!latest || latest.settled) return this.start(key, compute, version);
    // A render is under way but began before this request: the next one starts when it ends, for everyone asking meanwhile.
    const startNext = async () => this.start(key, compute, await this.readVersion());
    const queued = latest.result.then(startNext, startNext);
    this.next.set(key, queued);
    return queued;
  }

  private async readVersion(): Promise<string | undefined> {
    // A token that can't be read only means no sharing by version.
    return this.dataVersion ? this.dataVersion().catch(() => undefined) : undefined;
  }

  private start(key: string, compute: () => Promise<T>, version: string | undefined): Promise<T> {
    this.next.delete(key);
    if (this.latest.size >= MAX_KEYS && !this.latest.has(key)) this.forgetSettled();
    const render: Render<T> = { startedAt: this.clock(), version, result: compute(), settled: false };
    this.latest.set(key, render);
    const settle = () => {
      render.settled = true;
    };
    render.result.then(settle, () => {
      settle();
      // A failed render is not shared with later requests: the next asks again.
      if (this.latest.get(key) === render) this.latest.delete(key);
    });
    return render.result;
  }

  private forgetSettled(): void {
    for (const [key, render] of this.latest) if (render.settled) this.latest.delete(key);
  }
}
